/**
 * `#tcp-transport` for Node: ZooKeeper's native transport, frames with a 4-byte length
 * prefix over a `node:net` socket.
 * @module
 */
import { createConnection } from 'node:net';
import { FrameDecoder, encodeLengthPrefixed } from '@zkts/protocol';
import type { TcpEndpoint, Transport, TransportHandlers } from './transport.js';
import type { TcpTransportOptions } from './tcp-options.js';

/** Opens a TCP connection to one server, with Nagle off as ZooKeeper's client sets it. */
export function createTcpTransport(endpoint: TcpEndpoint, handlers: TransportHandlers, options: TcpTransportOptions): Transport {
  const decoder = new FrameDecoder(options.maxFrameBytes);
  const socket = createConnection({ host: endpoint.host, port: endpoint.port, noDelay: true });
  let done = false;
  const finish = (error: Error | undefined): void => {
    if (done) return;
    done = true;
    socket.destroy();
    handlers.onClose(error);
  };
  socket.on('connect', () => {
    if (!done) handlers.onOpen();
  });
  socket.on('data', (chunk: Buffer) => {
    if (done) return;
    let frames: Uint8Array[];
    try {
      frames = decoder.push(chunk);
    } catch (error) {
      return finish(error as Error);
    }
    for (const frame of frames) {
      if (done) return;
      handlers.onFrame(frame);
    }
  });
  socket.on('error', (error) => finish(error));
  socket.on('close', () => finish(new Error(`Connection to ${endpoint.host}:${endpoint.port} closed by the server`)));
  return {
    send(frame) {
      if (!done) socket.write(encodeLengthPrefixed(frame));
    },
    close() {
      if (done) return;
      done = true;
      socket.destroy();
    },
  };
}

/**
 * Asks a server with the `isro` four-letter word whether it serves writes, as a read-only
 * client does to find its way back to the majority (`ClientCnxn.pingRwServer`).
 */
export function isReadWriteServer(endpoint: TcpEndpoint, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: endpoint.host, port: endpoint.port });
    let answer = '';
    const finish = (result: boolean): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on('connect', () => socket.end('isro'));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
    });
    socket.on('end', () => finish(answer.trim() === 'rw'));
    socket.on('error', () => finish(false));
  });
}

/** TCP is available: this module is the Node implementation. */
export const tcpSupported = true;
