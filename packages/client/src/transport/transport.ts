/**
 * The byte-moving layer under a client connection. A transport carries whole jute frames
 * (a request or reply record, without the 4-byte length prefix that TCP adds) and never
 * parses them, so the same connection logic runs over TCP and WebSocket.
 * @module
 */

/** One server of the connect string, reached over raw TCP. */
export interface TcpEndpoint {
  readonly transport: 'tcp';
  readonly host: string;
  readonly port: number;
}

/** One server of the connect string, reached over a WebSocket URL (`ws://` or `wss://`). */
export interface WebSocketEndpoint {
  readonly transport: 'websocket';
  readonly url: string;
}

/** A server the client may connect to. */
export type Endpoint = TcpEndpoint | WebSocketEndpoint;

/** What a transport reports to the connection that owns it. */
export interface TransportHandlers {
  /** The connection is established and `send` may be called. */
  onOpen(): void;
  /** One whole frame arrived. */
  onFrame(frame: Uint8Array): void;
  /**
   * The connection ended on its own (peer closed, network error, bad framing). Called at most
   * once, and never after the owner called {@link Transport.close}.
   */
  onClose(error: Error | undefined): void;
}

/** An open or opening connection to one server. */
export interface Transport {
  /** Queues one frame for sending; the transport adds whatever framing its medium needs. */
  send(frame: Uint8Array): void;
  /** Closes the connection; idempotent, and silences all further handler calls. */
  close(): void;
}

/** Opens a transport to an endpoint. Options such as `maxFrameBytes` are bound by the caller. */
export type TransportFactory = (endpoint: Endpoint, handlers: TransportHandlers) => Transport;

/** Formats an endpoint for messages and logs. */
export function endpointToString(endpoint: Endpoint): string {
  if (endpoint.transport === 'websocket') return endpoint.url;
  return endpoint.host.includes(':') ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}
