/**
 * A scripted stand-in for a ZooKeeper server, plugged in as the client's transport factory:
 * tests see every frame the client writes (decoded) and decide what comes back, so the
 * connection logic is tested deterministically without sockets.
 */
import {
  type ConnectRequest,
  type DecodedRequest,
  EventType,
  KeeperState,
  type ResponseBody,
  type ResponseBodyByOp,
  type ResponseOp,
  decodeConnectRequest,
  decodeRequest,
  encodeConnectResponse,
  encodeResponse,
  encodeWatcherEvent,
} from '@zkts/protocol';
import type { Endpoint, TransportFactory, TransportHandlers } from '../../src/index.js';

/** One client connection as the fake server sees it. */
export class FakeConnection {
  connectRequest: ConnectRequest | undefined;
  readonly requests: DecodedRequest[] = [];
  closedByClient = false;
  /** When the client opened this connection (`performance.now()`). */
  readonly createdAt = performance.now();
  private cursor = 0;
  private wake: (() => void) | undefined;

  constructor(
    readonly endpoint: Endpoint,
    private readonly handlers: TransportHandlers,
  ) {}

  /** Completes the TCP/WebSocket connect; the client then writes its ConnectRequest. */
  open(): void {
    this.handlers.onOpen();
  }

  /** Answers the handshake. */
  accept(response: { sessionId?: bigint; timeOut?: number; passwd?: Uint8Array; readOnly?: boolean } = {}): void {
    this.handlers.onFrame(
      encodeConnectResponse({
        protocolVersion: 0,
        timeOut: response.timeOut ?? 30_000,
        sessionId: response.sessionId ?? 0x1234n,
        passwd: response.passwd ?? new Uint8Array(16).fill(7),
        readOnly: response.readOnly ?? false,
      }),
    );
  }

  /** Sends the reply to a request. */
  reply<K extends ResponseOp>(request: { header: { xid: number }; type: K }, reply: { err?: number; zxid?: bigint; body?: ResponseBodyByOp[K] } = {}): void {
    const opType: number = request.type;
    this.handlers.onFrame(encodeResponse({ xid: request.header.xid, zxid: reply.zxid ?? 1n, err: reply.err ?? 0 }, opType, reply.body as ResponseBody | undefined));
  }

  /** Sends a reply frame for a reserved xid (auth −4, ping −2). */
  replySpecial(xid: number, err = 0): void {
    this.handlers.onFrame(encodeResponse({ xid, zxid: 0n, err }, 11, undefined));
  }

  /** Sends a watch notification. */
  notify(type: keyof typeof EventType, path: string, zxid = -1n): void {
    this.handlers.onFrame(encodeWatcherEvent(zxid, { type: EventType[type], state: KeeperState.SyncConnected, path }));
  }

  /** Delivers raw bytes as a frame. */
  frame(bytes: Uint8Array): void {
    this.handlers.onFrame(bytes);
  }

  /** The network fails. */
  fail(): void {
    this.handlers.onClose(new Error('simulated network failure'));
  }

  /** Resolves with the next request the client writes (after the ConnectRequest). */
  async nextRequest(): Promise<DecodedRequest> {
    for (;;) {
      const request = this.requests[this.cursor];
      if (request !== undefined) {
        this.cursor++;
        return request;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** Resolves with the next request that is not a ping. */
  async nextNonPing(): Promise<DecodedRequest> {
    for (;;) {
      const request = await this.nextRequest();
      if (request.header.xid !== -2) return request;
    }
  }

  /** Resolves once the ConnectRequest arrived. */
  async handshake(): Promise<ConnectRequest> {
    while (this.connectRequest === undefined) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    return this.connectRequest;
  }

  /** @internal transport side */
  receive(frame: Uint8Array): void {
    if (this.connectRequest === undefined) this.connectRequest = decodeConnectRequest(frame.slice());
    else this.requests.push(decodeRequest(frame.slice()));
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** Hands out {@link FakeConnection}s for every connection attempt of a client. */
export class FakeServer {
  readonly connections: FakeConnection[] = [];
  private cursor = 0;
  private wake: (() => void) | undefined;

  readonly factory: TransportFactory = (endpoint, handlers) => {
    const connection = new FakeConnection(endpoint, handlers);
    this.connections.push(connection);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
    return {
      send: (frame) => connection.receive(frame),
      close: () => {
        connection.closedByClient = true;
      },
    };
  };

  /** Resolves with the next connection attempt. */
  async nextConnection(): Promise<FakeConnection> {
    for (;;) {
      const connection = this.connections[this.cursor];
      if (connection !== undefined) {
        this.cursor++;
        return connection;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** Resolves with the next attempt, opened and accepted. */
  async establish(response?: Parameters<FakeConnection['accept']>[0]): Promise<FakeConnection> {
    const connection = await this.nextConnection();
    connection.open();
    await connection.handshake();
    connection.accept(response);
    return connection;
  }
}
