import type { RequestHeader } from './records.js';

/**
 * Malformed, truncated or oversize bytes on the wire. Distinct from {@link ZkError}: a
 * ProtocolError means the peer broke the framing or jute encoding, so the connection that
 * carried it can no longer be trusted and is normally closed.
 */
export class ProtocolError extends Error {
  /**
   * The request header, when {@link decodeRequest} could read it but not the body. ZooKeeper
   * answers such requests with MARSHALLING_ERROR (or UNIMPLEMENTED for unknown op codes)
   * instead of dropping the connection, and needs the xid to do so.
   */
  readonly header: RequestHeader | undefined;

  constructor(message: string, options: { header?: RequestHeader; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProtocolError';
    this.header = options.header;
  }
}
