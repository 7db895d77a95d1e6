/**
 * `#tcp-transport` in browsers: raw TCP sockets do not exist there, so choosing the TCP
 * transport fails with a message that says what to use instead.
 * @module
 */
import type { TcpEndpoint, Transport, TransportHandlers } from './transport.js';
import type { TcpTransportOptions } from './tcp-options.js';

/** Always throws: browsers cannot open TCP connections. */
export function createTcpTransport(endpoint: TcpEndpoint, _handlers: TransportHandlers, _options: TcpTransportOptions): Transport {
  throw new Error(
    `Cannot connect to ${endpoint.host}:${endpoint.port} over TCP in a browser; use ws:// or wss:// URLs (the websocket transport)`,
  );
}

/** Browsers cannot probe servers with four-letter words; read-only clients there never look for a read-write server. */
export function isReadWriteServer(_endpoint: TcpEndpoint, _timeoutMs: number): Promise<boolean> {
  return Promise.resolve(false);
}

/** TCP is not available: this module is the browser stand-in. */
export const tcpSupported = false;
