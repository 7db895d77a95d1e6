/**
 * A loopback TCP proxy between a client and a server, so tests can cut or stall the
 * client's connection without touching the server.
 */
import { type Server, type Socket, createConnection, createServer } from 'node:net';

/** A running proxy. */
export interface TcpProxy {
  /** `127.0.0.1:port` of the proxy. */
  readonly connectString: string;
  readonly port: number;
  /** Number of client connections accepted so far. */
  readonly accepted: number;
  /** Destroys every open connection (both sides), as a network failure would. */
  dropAll(): void;
  /** While stalled, bytes are held back (not lost) and connections stay open: each side hears nothing. */
  stall(stalled: boolean): void;
  /** While refusing, new connections are closed at once. */
  refuse(refusing: boolean): void;
  close(): Promise<void>;
}

/** Starts a proxy on a free loopback port forwarding to `targetPort`. */
export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let stalled = false;
  let refusing = false;
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted++;
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: targetHost, port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    if (stalled) {
      client.pause();
      upstream.pause();
    }
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  const { port } = address;
  const proxy: TcpProxy = {
    connectString: `127.0.0.1:${port}`,
    port,
    get accepted() {
      return accepted;
    },
    dropAll() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    stall(value) {
      stalled = value;
      for (const sockets of pairs) {
        for (const socket of sockets) {
          if (value) socket.pause();
          else socket.resume();
        }
      }
    },
    refuse(value) {
      refusing = value;
    },
    async close() {
      proxy.dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
