/**
 * A loopback TCP proxy that loses the reply to one request: when a client frame containing a
 * marker passes through, the server's next bytes (the reply) are dropped and both connections
 * are cut, as a network failure right after the server applied the request would. Later
 * connections pass everything through.
 */
import { type Server, type Socket, createConnection, createServer } from 'node:net';

/** A running proxy. */
export interface ReplyDroppingProxy {
  readonly connectString: string;
  /** How many replies were dropped (at most one). */
  readonly droppedReplies: number;
  close(): Promise<void>;
}

/** Starts a proxy to the first server of `connectString` that drops the reply to the first request containing `marker`. */
export async function startReplyDroppingProxy(connectString: string, marker: string): Promise<ReplyDroppingProxy> {
  const [host, port] = connectString.split(',')[0]!.split(':');
  const needle = Buffer.from(marker);
  let armed = true;
  let droppedReplies = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((downstream) => {
    const upstream = createConnection({ host: host!, port: Number(port) });
    sockets.add(downstream).add(upstream);
    let dropNextReply = false;
    downstream.on('data', (chunk: Buffer) => {
      if (armed && chunk.includes(needle)) {
        armed = false;
        dropNextReply = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (dropNextReply) {
        droppedReplies++;
        downstream.destroy();
        upstream.destroy();
        return;
      }
      downstream.write(chunk);
    });
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
    get droppedReplies() {
      return droppedReplies;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
