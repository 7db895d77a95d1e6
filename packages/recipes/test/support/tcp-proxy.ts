/**
 * A loopback TCP proxy that can cut a client off from its server without touching either:
 * `cut()` drops every connection and refuses new ones until `restore()`.
 */
import { type Server, type Socket, createConnection, createServer } from 'node:net';

/** A running proxy. */
export interface TcpProxy {
  readonly connectString: string;
  /** Drops every connection and refuses new ones. */
  cut(): void;
  /** Accepts connections again. */
  restore(): void;
  close(): Promise<void>;
}

/** Starts a proxy to the first server of `connectString`. */
export async function startTcpProxy(connectString: string): Promise<TcpProxy> {
  const [host, port] = connectString.split(',')[0]!.split(':');
  let refusing = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((downstream) => {
    if (refusing) {
      downstream.destroy();
      return;
    }
    const upstream = createConnection({ host: host!, port: Number(port) });
    sockets.add(downstream).add(upstream);
    downstream.pipe(upstream);
    upstream.pipe(downstream);
    const end = (): void => {
      downstream.destroy();
      upstream.destroy();
      sockets.delete(downstream);
      sockets.delete(upstream);
    };
    downstream.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    connectString: `127.0.0.1:${address.port}`,
    cut() {
      refusing = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      refusing = false;
    },
    async close() {
      refusing = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
