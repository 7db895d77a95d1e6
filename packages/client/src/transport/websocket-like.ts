/**
 * The slice of the WHATWG WebSocket interface the client uses. Browsers' global `WebSocket`
 * and the `ws` package both provide it, so the transport works unchanged over either.
 * @module
 */

/** A message, close or error event as the transport reads it. */
export interface WebSocketEventLike {
  readonly data?: unknown;
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
  readonly error?: unknown;
}

/** A WebSocket connection. */
export interface WebSocketLike {
  /** Set to `arraybuffer` so binary messages arrive as bytes, not Blobs. */
  binaryType: string;
  /** CONNECTING 0, OPEN 1, CLOSING 2, CLOSED 3. */
  readonly readyState: number;
  /** Sends one binary message. */
  send(data: Uint8Array): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** Subscribes to the socket's events. */
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: WebSocketEventLike) => void): void;
}

/** A WebSocket constructor (`new WebSocket(url)`). */
export type WebSocketConstructor = new (url: string) => WebSocketLike;
