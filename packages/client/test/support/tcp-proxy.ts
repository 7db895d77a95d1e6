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
  /** While stalled, bytes are neither forwarded nor are connections closed: the peer hears nothing. */
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
    const forward = (from: Socket, to: Socket): void => {
      from.on('data', (chunk: Buffer) => {
        if (!stalled) to.write(chunk);
      });
    };
    forward(client, upstream);
    forward(upstream, client);
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
  return {
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
    },
    refuse(value) {
      refusing = value;
    },
    async close() {
      this.dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
