/**
 * Whole frames as they travel between client and server, without the 4-byte length prefix
 * (see {@link encodeLengthPrefixed} and {@link FrameDecoder} for that layer).
 *
 * Decoders return `buffer` fields as subarrays of the frame (no copy); copy them before
 * keeping them beyond the frame's lifetime. Encoders return views that may share an
 * ArrayBuffer with other frames (small frames come from a slab pool): use `byteOffset` and
 * `byteLength`, never `frame.buffer` alone.
 * @module
 */
import { assert } from './assert.js';
import { decodeRecord } from './codec.js';
import { SpecialXid } from './constants.js';
import { JuteReader, JuteWriter } from './jute.js';
import {
  type RequestBody,
  type RequestBodyByOp,
  type RequestOp,
  type ResponseBody,
  type ResponseBodyByOp,
  type ResponseOp,
  requestBodyCodec,
  responseBodyCodec,
} from './op-bodies.js';
import { ProtocolError } from './protocol-error.js';
import {
  connectRequestCodec,
  connectResponseCodec,
  replyHeaderCodec,
  requestHeaderCodec,
  watcherEventCodec,
} from './record-codecs.js';
import type { ConnectRequest, ConnectResponse, ReplyHeader, RequestHeader, WatcherEvent } from './records.js';

/**
 * Encodes the client's first frame. The trailing `readOnly` flag is written unless
 * `readOnlyOmitted` is set, which reproduces a pre-3.4 client's frame.
 */
export function encodeConnectRequest(req: ConnectRequest): Uint8Array {
  const writer = new JuteWriter(connectRequestCodec.minBytes + req.passwd.length + 1);
  connectRequestCodec.write(writer, req);
  return writer.toBytes();
}

/**
 * Decodes the client's first frame. A frame that ends after the password comes from a
 * client older than 3.4: it decodes with `readOnly: false` and `readOnlyOmitted: true`, and
 * ZooKeeper then leaves the flag out of its answer too. A null password reads as empty.
 */
export function decodeConnectRequest(frame: Uint8Array): ConnectRequest {
  return decodeRecord(connectRequestCodec, frame, 'ConnectRequest');
}

/**
 * Encodes the server's answer to a connect request. Set `readOnlyOmitted` when answering a
 * client whose request omitted the flag, as ZooKeeper does for old clients.
 */
export function encodeConnectResponse(res: ConnectResponse): Uint8Array {
  const writer = new JuteWriter(connectResponseCodec.minBytes + res.passwd.length + 1);
  connectResponseCodec.write(writer, res);
  return writer.toBytes();
}

/**
 * Decodes the server's answer to a connect request. A frame without the trailing flag
 * (servers before 3.4) decodes with `readOnly: false` and `readOnlyOmitted: true`.
 */
export function decodeConnectResponse(frame: Uint8Array): ConnectResponse {
  return decodeRecord(connectResponseCodec, frame, 'ConnectResponse');
}

/** A decoded request frame; `type` repeats `header.type` so that it narrows `body`. */
export type DecodedRequest = {
  [K in RequestOp]: { type: K; header: RequestHeader; body: RequestBodyByOp[K] };
}[RequestOp];

/**
 * The body type `encodeRequest` takes for op type `K`: exact for a literal op code, any request
 * body when the op is only known as a `number` (dispatch code).
 */
export type RequestBodyFor<K extends number> = number extends K ? RequestBody : K extends RequestOp ? RequestBodyByOp[K] : never;

/** The body type `encodeResponse` takes for op type `K`, like {@link RequestBodyFor}. */
export type ResponseBodyFor<K extends number> = number extends K ? ResponseBody : K extends ResponseOp ? ResponseBodyByOp[K] : never;

/**
 * Encodes a request frame: the header, then the body the op code calls for
 * ({@link RequestBodyByOp}); header-only ops take no body.
 */
export function encodeRequest<K extends number>(header: { xid: number; type: K }, body?: RequestBodyFor<K>): Uint8Array {
  const codec = requestBodyCodec(header.type);
  assert(codec !== undefined, `no request format for op ${header.type}`);
  const writer = new JuteWriter();
  requestHeaderCodec.write(writer, header);
  if (codec !== null) {
    assert(body !== undefined, `op ${header.type} needs a request body`);
    codec.write(writer, body);
  }
  return writer.toBytes();
}

/**
 * Decodes a request frame on the server. Throws ProtocolError for a truncated header, an
 * unknown op code, a malformed body or trailing bytes; once the header was read the error
 * carries it (`ProtocolError.header`) so the server can still answer that xid.
 */
export function decodeRequest(frame: Uint8Array): DecodedRequest {
  const reader = new JuteReader(frame);
  const header = requestHeaderCodec.read(reader);
  const codec = requestBodyCodec(header.type);
  if (codec === undefined) throw new ProtocolError(`Unknown op code ${header.type}`, { header });
  let body: unknown;
  try {
    if (codec !== null) body = codec.read(reader);
    reader.expectEnd(`the body of op ${header.type}`);
  } catch (e) {
    if (e instanceof ProtocolError) throw new ProtocolError(e.message, { header, cause: e });
    throw e;
  }
  return { type: header.type, header, body } as DecodedRequest;
}

/**
 * Encodes a reply frame for a request of type `opType`. The body is written only when
 * `header.err` is 0, as ZooKeeper's clients read a body only then, so an error reply is the
 * 16-byte header whatever `opType` and `body` are. Pass no body for header-only replies (ping,
 * auth, setWatches, delete, …). A failed multi is err 0 with a body of error results.
 * Notifications use {@link encodeWatcherEvent} instead.
 */
export function encodeResponse<K extends number>(header: ReplyHeader, opType: K, body?: ResponseBodyFor<K>): Uint8Array {
  const writer = new JuteWriter();
  replyHeaderCodec.write(writer, header);
  if (header.err === 0) {
    const codec = responseBodyCodec(opType);
    assert(codec !== undefined, `no response format for op ${opType}`);
    if (codec !== null) {
      assert(body !== undefined, `a successful reply to op ${opType} needs a body`);
      codec.write(writer, body);
    }
  }
  return writer.toBytes();
}

/**
 * Encodes a watch notification: ReplyHeader{xid: −1, zxid, err: 0} then the event.
 * ZooKeeper 3.8 servers send zxid −1 here.
 */
export function encodeWatcherEvent(zxid: bigint, event: WatcherEvent): Uint8Array {
  const writer = new JuteWriter(16 + 12 + event.path.length * 3);
  replyHeaderCodec.write(writer, { xid: SpecialXid.NOTIFICATION, zxid, err: 0 });
  watcherEventCodec.write(writer, event);
  return writer.toBytes();
}

/**
 * A decoded frame from the server: a watch notification, the reply to a ping, an auth packet
 * or setWatches (their reserved xids), or the reply to a request. `body` is undefined when
 * `header.err` is not 0 or the op has no response body.
 */
export type DecodedResponse =
  | { kind: 'notification'; header: ReplyHeader; event: WatcherEvent }
  | { kind: 'ping'; header: ReplyHeader }
  | { kind: 'auth'; header: ReplyHeader }
  | { kind: 'setWatches'; header: ReplyHeader }
  | {
      [K in ResponseOp]: { kind: 'response'; opType: K; header: ReplyHeader; body: ResponseBodyByOp[K] | undefined };
    }[ResponseOp];

/**
 * Decodes a frame from the server. `opTypeForXid` names the op of the pending request with
 * that xid (an unknown xid throws ProtocolError). As ZooKeeper's client does, a reply with a
 * non-zero err is read as header only and anything after the header is ignored; otherwise
 * trailing bytes throw ProtocolError.
 */
export function decodeResponse(frame: Uint8Array, opTypeForXid: (xid: number) => number | undefined): DecodedResponse {
  const reader = new JuteReader(frame);
  const header = replyHeaderCodec.read(reader);
  switch (header.xid) {
    case SpecialXid.NOTIFICATION: {
      const event = watcherEventCodec.read(reader);
      reader.expectEnd('WatcherEvent');
      return { kind: 'notification', header, event };
    }
    case SpecialXid.PING:
      expectHeaderOnly(reader, header);
      return { kind: 'ping', header };
    case SpecialXid.AUTH:
      expectHeaderOnly(reader, header);
      return { kind: 'auth', header };
    case SpecialXid.SET_WATCHES:
      expectHeaderOnly(reader, header);
      return { kind: 'setWatches', header };
  }
  const opType = opTypeForXid(header.xid);
  if (opType === undefined) throw new ProtocolError(`Reply for xid ${header.xid}, which has no pending request`);
  const codec = responseBodyCodec(opType);
  if (codec === undefined) throw new ProtocolError(`Reply for xid ${header.xid} of op ${opType}, which has no reply format`);
  let body: unknown;
  if (header.err === 0) {
    if (codec !== null) body = codec.read(reader);
    reader.expectEnd(`the reply to op ${opType}`);
  }
  return { kind: 'response', opType, header, body } as DecodedResponse;
}

function expectHeaderOnly(reader: JuteReader, header: ReplyHeader): void {
  if (header.err === 0) reader.expectEnd(`the reply with xid ${header.xid}`);
}

