import { createServer, type Server, type Socket } from 'node:net';
import { encodeLengthPrefixed, FrameDecoder, ProtocolError } from '@zkts/protocol';
import type { FrameChannel, FrameHandler } from './frame-channel.js';

/** What the TCP listener needs from the server. */
export interface TcpListenerHost {
  /** A new socket: returns its handler, or undefined to refuse it (per-IP limit). */
  accept(channel: FrameChannel): FrameHandler | undefined;
  /** Answers a four-letter word (`ruok`, `srvr`, …), or undefined when the word is unknown or not allowed. */
  fourLetterWord(word: string): Promise<string> | string | undefined;
}

/** The first four bytes of a connection spell a four-letter word instead of a frame length. */
function asFourLetterWord(bytes: Uint8Array): string | undefined {
  if (bytes.length < 4) return undefined;
  for (let i = 0; i < 4; i++) {
    const c = bytes[i]!;
    if (c < 0x61 || c > 0x7a) return undefined;
  }
  return String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
}

class TcpChannel implements FrameChannel {
  readonly kind = 'tcp' as const;
  readonly remoteAddress: string;

  constructor(private readonly socket: Socket) {
    this.remoteAddress = normalizeAddress(socket.remoteAddress ?? '');
  }

  send(frame: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(encodeLengthPrefixed(frame));
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
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
    const decoder = new FrameDecoder(this.maxFrameBytes);
    let handler: FrameHandler | undefined;
    let first = true;
    socket.on('data', (chunk: Buffer) => {
      if (first) {
        first = false;
        const word = asFourLetterWord(chunk);
        if (word !== undefined) {
          void this.answerFourLetterWord(socket, word);
          return;
        }
        handler = this.host.accept(channel);
        if (handler === undefined) {
          socket.destroy();
          return;
        }
        socket.on('close', () => handler?.onClose());
      }
      if (handler === undefined) return;
      let frames: Uint8Array[];
      try {
        frames = decoder.push(chunk);
      } catch (error) {
        // A bad frame costs only this connection.
        if (!(error instanceof ProtocolError)) throw error;
        socket.destroy();
        return;
      }
      for (const frame of frames) handler.onFrame(frame);
    });
  }

  private async answerFourLetterWord(socket: Socket, word: string): Promise<void> {
    let answer: string | undefined;
    try {
      answer = await this.host.fourLetterWord(word);
    } catch (error) {
      answer = `error: ${(error as Error).message}\n`;
    }
    socket.end(answer ?? `${word} is not executed because it is not in the whitelist.\n`);
  }
}
