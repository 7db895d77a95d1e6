import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { IncomingMessage } from 'node:http';
import type { FrameChannel, FrameHandler } from './frame-channel.js';
import { normalizeAddress } from './tcp-listener.js';
import { FrameGate } from './frame-gate.js';

/** What the WebSocket listener needs from the server. */
export interface WsListenerHost {
  /** A new connection: returns its handler, or undefined to refuse it (per-IP limit). */
  accept(channel: FrameChannel): FrameHandler | undefined;
}

/** WebSocket close code for a frame we cannot accept (RFC 6455 "unsupported data" / "policy"). */
const CLOSE_UNSUPPORTED_DATA = 1003;
const CLOSE_POLICY_VIOLATION = 1008;

class WsChannel implements FrameChannel {
  readonly kind = 'websocket' as const;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Set once the connection has a handler; it holds messages while the handler is paused. */
  gate: FrameGate | undefined;

  constructor(private readonly socket: WebSocket, request: IncomingMessage) {
    this.remoteAddress = normalizeAddress(request.socket.remoteAddress ?? '');
    this.remotePort = request.socket.remotePort ?? 0;
  }

  send(frame: Uint8Array): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(frame, { binary: true });
  }

  pause(): void {
    if (this.gate === undefined) this.socket.pause();
    else this.gate.pause();
  }

  resume(): void {
    if (this.gate === undefined) this.socket.resume();
    else this.gate.resume();
  }

  close(): void {
    this.socket.close();
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

/** The WebSocket client port: one ZooKeeper frame per binary message, no length prefix. */
export class WsListener {
  private server: WebSocketServer | undefined;

  constructor(
    private readonly host: WsListenerHost,
    private readonly maxFrameBytes: number,
  ) {}

  /** Binds and resolves with the bound port. */
  listen(port: number, address: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = new WebSocketServer({ port, host: address, maxPayload: this.maxFrameBytes, perMessageDeflate: false });
      this.server = server;
      server.once('error', reject);
      server.once('listening', () => {
        server.off('error', reject);
        const bound = server.address();
        resolve(typeof bound === 'object' && bound !== null ? bound.port : port);
      });
      server.on('connection', (socket, request) => this.onConnection(socket, request));
    });
  }

  /** Stops accepting and terminates every open connection. */
  close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return Promise.resolve();
    for (const client of server.clients) client.terminate();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  private onConnection(socket: WebSocket, request: IncomingMessage): void {
    const channel = new WsChannel(socket, request);
    const handler: FrameHandler | undefined = this.host.accept(channel);
    if (handler === undefined) {
      socket.close(CLOSE_POLICY_VIOLATION, 'too many connections from this address');
      return;
    }
    socket.on('error', () => socket.terminate());
    socket.on('close', () => handler.onClose());
    const gate = new FrameGate((frame) => handler.onFrame(frame), { pause: () => socket.pause(), resume: () => socket.resume() });
    channel.gate = gate;
    socket.on('message', (data, isBinary) => {
      if (!isBinary) {
        socket.close(CLOSE_UNSUPPORTED_DATA, 'zkts expects binary ZooKeeper frames');
        return;
      }
      gate.push([toBytes(data)]);
    });
  }
}
