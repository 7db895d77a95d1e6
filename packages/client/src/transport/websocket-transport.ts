import { WebSocketImpl } from '#websocket';
import type { Transport, TransportHandlers, WebSocketEndpoint } from './transport.js';
import type { WebSocketEventLike } from './websocket-like.js';

/** Options of the WebSocket transport. */
export interface WebSocketTransportOptions {
  /** Largest frame accepted from the server; a bigger one ends the connection, as an oversize TCP frame does. */
  readonly maxFrameBytes: number;
}

/**
 * Opens a WebSocket to one server. Each binary message carries exactly one frame (the record
 * bytes, without TCP's length prefix); text messages are a protocol violation.
 */
export function createWebSocketTransport(
  endpoint: WebSocketEndpoint,
  handlers: TransportHandlers,
  options: WebSocketTransportOptions,
): Transport {
  if (WebSocketImpl === undefined) throw new Error('No WebSocket implementation is available on this platform');
  const socket = new WebSocketImpl(endpoint.url);
  socket.binaryType = 'arraybuffer';
  let done = false;
  const finish = (error: Error | undefined): void => {
    if (done) return;
    done = true;
    try {
      socket.close();
    } catch {
      // Closing a socket that never opened can throw in some implementations; it is gone either way.
    }
    handlers.onClose(error);
  };
  socket.addEventListener('open', () => {
    if (!done) handlers.onOpen();
  });
  socket.addEventListener('message', (event: WebSocketEventLike) => {
    if (done) return;
    const frame = toBytes(event.data);
    if (frame === undefined) return finish(new Error('WebSocket server sent a text message; frames must be binary'));
    if (frame.length > options.maxFrameBytes) {
      return finish(new Error(`Frame of ${frame.length} bytes exceeds maxFrameBytes ${options.maxFrameBytes}`));
    }
    handlers.onFrame(frame);
  });
  socket.addEventListener('error', (event: WebSocketEventLike) => {
    finish(new Error(`WebSocket error on ${endpoint.url}${event.message === undefined ? '' : `: ${event.message}`}`));
  });
  socket.addEventListener('close', (event: WebSocketEventLike) => {
    finish(new Error(`WebSocket to ${endpoint.url} closed (code ${event.code ?? 'unknown'})`));
  });
  return {
    send(frame) {
      if (!done) socket.send(frame);
    },
    close() {
      if (done) return;
      done = true;
      try {
        socket.close();
      } catch {
        // See finish(): nothing more to release.
      }
    },
  };
}

function toBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}
