/**
 * What a transport offers a client connection: whole frames out, flow
 * control in. Transports only move bytes; they never parse a request.
 */
export interface FrameChannel {
  /** Sends one frame (without the TCP length prefix; the channel adds framing). */
  send(frame: Uint8Array): void;
  /** Stops delivering incoming frames until `resume`: backpressure for a client with too much outstanding. */
  pause(): void;
  /** Delivers incoming frames again after `pause`. */
  resume(): void;
  /** Closes the connection after flushing what was sent. */
  close(): void;
  /** The peer's IP address, for the `ip` ACL scheme and per-IP limits. */
  readonly remoteAddress: string;
  /** The peer's port, for `cons`. */
  readonly remotePort: number;
  /** `tcp` or `websocket`, for `cons` and logs. */
  readonly kind: 'tcp' | 'websocket';
}

/** Callbacks a transport invokes on the connection it serves. */
export interface FrameHandler {
  onFrame(frame: Uint8Array): void;
  /** The connection opened with a four-letter word (TCP only); it carries no session. */
  onFourLetterWord?(): void;
  onClose(): void;
}
