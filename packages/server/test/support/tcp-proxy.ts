/**
 * A loopback TCP proxy for connection-loss tests: it forwards bytes both ways, and on command
 * holds the client's bytes back (requests stay in flight), cuts every connection, or refuses
 * new ones (the client cannot reconnect until it is unblocked).
 * @module
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

interface Pair {
  client: Socket;
  upstream: Socket;
}

/** A proxy in front of one server port. */
export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private holding = false;
  private blocked = false;
  private heldBytes = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Listens on a free loopback port and forwards to `targetPort`. */
  static async start(targetPort: number): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => proxy?.onClient(client, targetPort));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    proxy = new TcpProxy(server, address.port);
    return proxy;
  }

  /** `127.0.0.1:port` of the proxy. */
  get connectString(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Bytes from clients held back (and later dropped) since {@link holdClientBytes}. */
  get heldByteCount(): number {
    return this.heldBytes;
  }

  /** Number of client connections being forwarded. */
  get connectionCount(): number {
    return this.pairs.size;
  }

  /** Stops forwarding client bytes to the server: requests sent now stay in flight. */
  holdClientBytes(): void {
    this.holding = true;
    this.heldBytes = 0;
  }

  /** Refuses (closes at once) new client connections until {@link unblock}. */
  block(): void {
    this.blocked = true;
  }

  unblock(): void {
    this.blocked = false;
  }

  /** Destroys every forwarded connection, both sides; held bytes are dropped. */
  cutAll(): void {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    this.pairs.clear();
    this.holding = false;
  }

  async stop(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onClient(client: Socket, targetPort: number): void {
    if (this.blocked) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    const pair: Pair = { client, upstream };
    this.pairs.add(pair);
    const drop = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    client.on('data', (chunk: Buffer) => {
      if (this.holding) {
        this.heldBytes += chunk.length;
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
  }
}
