/**
 * Binary encoding of {@link PeerMessage}s for the transport between servers.
 *
 * Layout: one format byte, one type byte, then the message's fields in a fixed order. Every
 * integer field is an unsigned LEB128 varint of `value + 1` (so −1, used by observers' votes
 * and by ACKEPOCH, costs one byte), in its shortest form only, so that every message has
 * exactly one encoding; a byte field is a varint length followed by the bytes.
 * Decoding checks every length and range and throws {@link PeerMessageError} for anything
 * malformed; it never reads past the input or allocates from an unchecked length.
 * @module
 */
import { assert } from './assert.js';
import type { PeerMessage, PeerMessageType, PeerState } from './messages.js';
import { EPOCH_LIMIT, isZxid } from './zxid.js';

/** Thrown by {@link decodePeerMessage} for bytes that are not a well-formed message. */
export class PeerMessageError extends Error {
  override readonly name = 'PeerMessageError';
}

const FORMAT_VERSION = 1;

/** Varints of `value + 1` for values up to 2^53 − 1 need at most 8 bytes (56 bits). */
const VARINT_BYTES_MAX = 8;

const TYPE_CODES: Readonly<Record<PeerMessageType, number>> = {
  NOTIFICATION: 1,
  FOLLOWERINFO: 2,
  OBSERVERINFO: 3,
  LEADERINFO: 4,
  ACKEPOCH: 5,
  DIFF: 6,
  TRUNC: 7,
  SNAP: 8,
  PROPOSAL: 9,
  COMMIT: 10,
  NEWLEADER: 11,
  ACK: 12,
  UPTODATE: 13,
  INFORM: 14,
  PING: 15,
  REQUEST: 16,
  SYNC: 17,
  SYNCED: 18,
};

const TYPES_BY_CODE: ReadonlyMap<number, PeerMessageType> = new Map(
  Object.entries(TYPE_CODES).map(([type, code]) => [code, type as PeerMessageType]),
);

/** FastLeaderElection's `ServerState` ordinals. */
const STATE_CODES: readonly PeerState[] = ['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING'];

class ByteWriter {
  private buf = new Uint8Array(32);
  private pos = 0;

  int(value: number): void {
    assert(Number.isSafeInteger(value) && value >= -1, `cannot encode integer ${value}`);
    let rest = value + 1;
    this.reserve(VARINT_BYTES_MAX);
    while (rest >= 0x80) {
      this.buf[this.pos++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buf[this.pos++] = rest;
  }

  bytes(value: Uint8Array): void {
    this.int(value.length);
    this.reserve(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  toBytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    let capacity = this.buf.length * 2;
    while (capacity < this.pos + bytes) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
}

class ByteReader {
  private pos = 0;
  constructor(private readonly input: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.input.length) throw new PeerMessageError('message truncated');
    return this.input[this.pos++] as number;
  }

  /** An integer field in `[min, max]` (max defaults to 2^53 − 1). */
  int(field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (i === VARINT_BYTES_MAX) throw new PeerMessageError(`${field}: varint too long`);
      const b = this.byte();
      // A zero final byte after the first would be a second encoding of the same value.
      if (b === 0 && i > 0) throw new PeerMessageError(`${field}: non-minimal varint`);
      value += (b & 0x7f) * scale;
      scale *= 0x80;
      if ((b & 0x80) === 0) break;
    }
    const result = value - 1;
    if (!Number.isSafeInteger(result) || result < min || result > max) {
      throw new PeerMessageError(`${field}: ${result} out of range [${min}, ${max}]`);
    }
    return result;
  }

  zxid(field: string): number {
    const value = this.int(field, 0);
    if (!isZxid(value)) throw new PeerMessageError(`${field}: ${value} is not a zxid`);
    return value;
  }

  epoch(field: string, min = 0): number {
    return this.int(field, min, EPOCH_LIMIT - 1);
  }

  bytes(field: string): Uint8Array {
    const length = this.int(field, 0);
    if (length > this.input.length - this.pos) throw new PeerMessageError(`${field}: length ${length} exceeds message`);
    const value = this.input.slice(this.pos, this.pos + length);
    this.pos += length;
    return value;
  }

  end(): void {
    if (this.pos !== this.input.length) {
      throw new PeerMessageError(`${this.input.length - this.pos} trailing bytes after message`);
    }
  }
}

/** Encodes a message for the wire. The message must be well-formed (asserted). */
export function encodePeerMessage(msg: PeerMessage): Uint8Array {
  const w = new ByteWriter();
  w.int(FORMAT_VERSION);
  w.int(TYPE_CODES[msg.type]);
  if (msg.type === 'NOTIFICATION') {
    w.int(msg.leader);
    w.int(msg.zxid);
    w.int(msg.electionEpoch);
    w.int(msg.peerEpoch);
    w.int(STATE_CODES.indexOf(msg.state));
    return w.toBytes();
  }
  w.int(msg.conn);
  w.int(msg.seq);
  switch (msg.type) {
    case 'FOLLOWERINFO':
    case 'OBSERVERINFO':
      w.int(msg.acceptedEpoch);
      break;
    case 'LEADERINFO':
      w.int(msg.epoch);
      w.int(msg.learnerConn);
      break;
    case 'ACKEPOCH':
      w.int(msg.currentEpoch);
      w.int(msg.lastZxid);
      break;
    case 'DIFF':
    case 'TRUNC':
    case 'COMMIT':
    case 'NEWLEADER':
    case 'ACK':
    case 'UPTODATE':
      w.int(msg.zxid);
      break;
    case 'SNAP':
    case 'PROPOSAL':
    case 'INFORM':
      w.int(msg.zxid);
      w.bytes(msg.data);
      break;
    case 'REQUEST':
      w.bytes(msg.data);
      break;
    case 'SYNC':
    case 'SYNCED':
      w.int(msg.id);
      break;
    case 'PING':
      break;
  }
  return w.toBytes();
}

/**
 * Decodes one message. Throws {@link PeerMessageError} for truncated, overlong, out-of-range
 * or unknown input; the returned byte fields are copies, independent of `bytes`.
 */
export function decodePeerMessage(bytes: Uint8Array): PeerMessage {
  const r = new ByteReader(bytes);
  const version = r.int('format', 0, 0x7f);
  if (version !== FORMAT_VERSION) throw new PeerMessageError(`unknown format version ${version}`);
  const code = r.int('type', 0, 0xff);
  const type = TYPES_BY_CODE.get(code);
  if (type === undefined) throw new PeerMessageError(`unknown message type ${code}`);
  const msg = decodeBody(type, r);
  r.end();
  return msg;
}

function decodeBody(type: PeerMessageType, r: ByteReader): PeerMessage {
  if (type === 'NOTIFICATION') {
    const leader = r.int('leader', -1);
    const zxid = r.int('zxid', -1);
    if (zxid !== -1 && !isZxid(zxid)) throw new PeerMessageError(`zxid: ${zxid} is not a zxid`);
    const electionEpoch = r.int('electionEpoch', 0);
    const peerEpoch = r.epoch('peerEpoch', -1);
    const state = STATE_CODES[r.int('state', 0, STATE_CODES.length - 1)] as PeerState;
    return { type, leader, zxid, electionEpoch, peerEpoch, state };
  }
  const conn = r.int('conn', 0);
  const seq = r.int('seq', 0);
  switch (type) {
    case 'FOLLOWERINFO':
    case 'OBSERVERINFO':
      return { type, conn, seq, acceptedEpoch: r.epoch('acceptedEpoch') };
    case 'LEADERINFO': {
      const epoch = r.epoch('epoch');
      return { type, conn, seq, epoch, learnerConn: r.int('learnerConn', 0) };
    }
    case 'ACKEPOCH':
      return { type, conn, seq, currentEpoch: r.epoch('currentEpoch', -1), lastZxid: r.zxid('lastZxid') };
    case 'DIFF':
    case 'TRUNC':
    case 'COMMIT':
    case 'NEWLEADER':
    case 'ACK':
    case 'UPTODATE':
      return { type, conn, seq, zxid: r.zxid('zxid') };
    case 'SNAP':
    case 'PROPOSAL':
    case 'INFORM': {
      const zxid = r.zxid('zxid');
      return { type, conn, seq, zxid, data: r.bytes('data') };
    }
    case 'REQUEST':
      return { type, conn, seq, data: r.bytes('data') };
    case 'SYNC':
    case 'SYNCED':
      return { type, conn, seq, id: r.int('id', 0) };
    case 'PING':
      return { type, conn, seq };
  }
}
