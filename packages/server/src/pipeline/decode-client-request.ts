import { decodeRequest, OpCode, ProtocolError, type RequestHeader } from '@zkts/protocol';
import { opKind } from './op-kind.js';

/**
 * A frame from a client after the handshake, sorted the way ZooKeeper's
 * server treats it:
 * - `request`: a request it understands;
 * - `malformed`: a known op whose body does not decode; ZooKeeper answers
 *   MARSHALLING_ERROR and keeps the connection;
 * - `unsupported`: an op code a server never takes from a client; ZooKeeper's
 *   UnimplementedRequestProcessor answers UNIMPLEMENTED and closes;
 * - `unreadable`: not even a request header; the stream is lost, close.
 */
export type ClientRequest =
  | { kind: 'request'; header: RequestHeader; body: unknown }
  | { kind: 'malformed'; header: RequestHeader }
  | { kind: 'unsupported'; header: RequestHeader }
  | { kind: 'unreadable' };

/** Ops with no request body: ZooKeeper never reads past their header, so trailing bytes are ignored. */
const HEADER_ONLY_OPS: ReadonlySet<number> = new Set([OpCode.ping, OpCode.closeSession, OpCode.whoAmI]);

/** Decodes a request frame without throwing for anything a client can send. */
export function decodeClientRequest(frame: Uint8Array): ClientRequest {
  try {
    const { header, body } = decodeRequest(frame);
    if (opKind(header.type) === undefined) return { kind: 'unsupported', header };
    return { kind: 'request', header, body };
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    const header = error.header;
    if (header === undefined) return { kind: 'unreadable' };
    if (opKind(header.type) === undefined) return { kind: 'unsupported', header };
    if (HEADER_ONLY_OPS.has(header.type)) return { kind: 'request', header, body: undefined };
    return { kind: 'malformed', header };
  }
}
