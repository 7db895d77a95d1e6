import { createServer, type Server, type Socket } from 'node:net';
import { encodeLengthPrefixed, FrameDecoder, ProtocolError } from '@zkts/protocol';
import type { FrameChannel, FrameHandler } from './frame-channel.js';
import { FrameGate } from './frame-gate.js';

/** What the TCP listener needs from the server. */
export interface TcpListenerHost {
  /** A new socket: returns its handler, or undefined to refuse it (per-IP limit). */
  accept(channel: FrameChannel): FrameHandler | undefined;
  /**
   * Looks up a connection's first four bytes as a four-letter word (`ruok`,
   * `srvr`, …): returns what computes the answer, or undefined when they are
   * no word the server knows (they are then the length prefix of a frame).
   */
  fourLetterWord(word: string): (() => Promise<string> | string) | undefined;
}

const PREFIX_BYTES = 4;

class TcpChannel implements FrameChannel {
  readonly kind = 'tcp' as const;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Set once the connection has a handler; it holds frames while the handler is paused. */
  gate: FrameGate | undefined;

  constructor(private readonly socket: Socket) {
    this.remoteAddress = normalizeAddress(socket.remoteAddress ?? '');
    this.remotePort = socket.remotePort ?? 0;
  }

  send(frame: Uint8Array): void {
    // Nothing more goes out once the connection is closing (ended) or gone.
    if (this.socket.writable) this.socket.write(encodeLengthPrefixed(frame));
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
    this.socket.end();
    // A peer that never reads must not pin the socket open.
    this.socket.setTimeout(1000, () => this.socket.destroy());
  }
}

/** `::ffff:127.0.0.1` → `127.0.0.1`, so ip ACLs match as ZooKeeper's do. */
export function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** The raw TCP client port: ZooKeeper's 4-byte length framing, plus four-letter words. */
export class TcpListener {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly host: TcpListenerHost,
    private readonly maxFrameBytes: number,
  ) {
    this.server = createServer({ noDelay: true }, (socket) => this.onSocket(socket));
  }

  /** Binds and resolves with the bound port. */
  listen(port: number, address: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, address, () => {
        this.server.off('error', reject);
        const bound = this.server.address();
        resolve(typeof bound === 'object' && bound !== null ? bound.port : port);
      });
    });
  }

  /** Stops accepting and destroys every open socket. */
  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private onSocket(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const channel = new TcpChannel(socket);
    // ZooKeeper applies the per-IP limit when it accepts, before reading anything.
    const handler = this.host.accept(channel);
    if (handler === undefined) {
      socket.destroy();
      return;
    }
    socket.on('close', () => handler.onClose());
    const gate = new FrameGate((frame) => handler.onFrame(frame), { pause: () => socket.pause(), resume: () => socket.resume() });
    channel.gate = gate;
    const decoder = new FrameDecoder(this.maxFrameBytes);
    // Until four bytes have arrived we cannot tell a four-letter word from a frame length.
    let head: Uint8Array | undefined = new Uint8Array(0);
    let answeringWord = false;
    socket.on('data', (chunk: Buffer) => {
      if (answeringWord) return;
      let bytes: Uint8Array = chunk;
      if (head !== undefined) {
        bytes = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
        if (bytes.length < PREFIX_BYTES) {
          head = bytes;
          return;
        }
        head = undefined;
        const answer = this.host.fourLetterWord(String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!));
        if (answer !== undefined) {
          answeringWord = true;
          handler.onFourLetterWord?.();
          void this.sendFourLetterAnswer(socket, answer);
          return;
        }
      }
      let frames: Uint8Array[];
      try {
        frames = decoder.push(bytes);
      } catch (error) {
        // A bad length prefix costs only this connection.
        if (!(error instanceof ProtocolError)) throw error;
        socket.destroy();
        return;
      }
      gate.push(frames);
    });
  }

  private async sendFourLetterAnswer(socket: Socket, answer: () => Promise<string> | string): Promise<void> {
    let text: string;
    try {
      text = await answer();
    } catch (error) {
      text = `Error: ${(error as Error).message}\n`;
    }
    // Anything else the client sent is ignored: ZooKeeper answers and closes.
    socket.pause();
    socket.end(text);
  }
}
