/**
 * The transaction log file format (zkts's own, in ZooKeeper's spirit):
 *
 * ```
 * LogFile  := Header Record* ZeroPadding
 * Header   := magic u32 "ZTLG" | version u32 | dbId u64 | crc32 u32 (of the 16 bytes before)
 * Record   := length u32 | crc32 u32 | zxid u64 | payload
 *             length = 8 + payload bytes; crc32 covers the length bytes, the zxid and the payload
 * ```
 *
 * All integers big-endian. A length of 0 cannot start a record, so zero bytes
 * (from preallocation, or a file extended but not yet written) end the log.
 * The checksum covers the length, so a torn or flipped length is caught too.
 * @module
 */
import { CRC32_START, crc32Finish, crc32Update } from '../tree/crc32.js';

/** "ZTLG" as a big-endian u32. */
export const LOG_MAGIC = 0x5a544c47;

/** Version of this layout. */
export const LOG_FORMAT_VERSION = 1;

/** Bytes of the file header. */
export const LOG_HEADER_BYTES = 20;

/** Bytes of a record before its payload (length, crc, zxid). */
export const RECORD_OVERHEAD_BYTES = 16;

/** Bytes of the length and checksum fields, which the length does not count. */
const RECORD_PREFIX_BYTES = 8;

/** Largest zxid high word that keeps a zxid a safe JS integer. */
const MAX_ZXID_HIGH = 0x1fffff;

const TWO_POW_32 = 0x1_0000_0000;

/** The log file header's fields. */
export interface LogHeader {
  version: number;
  dbId: bigint;
}

/** Encodes a log file header. */
export function encodeLogHeader(dbId: bigint): Uint8Array {
  const bytes = new Uint8Array(LOG_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, LOG_MAGIC);
  view.setUint32(4, LOG_FORMAT_VERSION);
  view.setBigUint64(8, BigInt.asUintN(64, dbId));
  view.setUint32(16, crc32Finish(crc32Update(CRC32_START, bytes.subarray(0, 16))));
  return bytes;
}

/** Parses a header; null if it is short, damaged, or not a zkts log. */
export function decodeLogHeader(bytes: Uint8Array): LogHeader | null {
  if (bytes.length < LOG_HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, LOG_HEADER_BYTES);
  if (view.getUint32(0) !== LOG_MAGIC) return null;
  if (view.getUint32(16) !== crc32Finish(crc32Update(CRC32_START, bytes.subarray(0, 16)))) return null;
  const version = view.getUint32(4);
  if (version !== LOG_FORMAT_VERSION) return null;
  return { version, dbId: view.getBigInt64(8) };
}

/**
 * Whether `bytes`, which do not start with a valid header, are what a crash can
 * leave of a new log file: a prefix of a header (the header and the first
 * records go out in one write, which a crash can cut anywhere), or zeros (the
 * file's size reached the disk, its data did not).
 */
export function isTornHeader(bytes: Uint8Array): boolean {
  if (allZero(bytes, 0)) return true;
  if (bytes.length >= LOG_HEADER_BYTES) return false;
  // Magic and version are fixed; the dbId that follows is whatever the writer used.
  const fixed = encodeLogHeader(0n).subarray(0, 8);
  for (let i = 0; i < Math.min(bytes.length, fixed.length); i++) if (bytes[i] !== fixed[i]) return false;
  return true;
}

/** Encodes one record: the frame with its checksum, the payload copied in. */
export function encodeLogRecord(zxid: number, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(RECORD_OVERHEAD_BYTES + payload.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, 8 + payload.length);
  view.setUint32(8, Math.floor(zxid / TWO_POW_32));
  view.setUint32(12, zxid >>> 0);
  frame.set(payload, RECORD_OVERHEAD_BYTES);
  let crc = crc32Update(CRC32_START, frame.subarray(0, 4));
  crc = crc32Update(crc, frame.subarray(RECORD_PREFIX_BYTES));
  view.setUint32(4, crc32Finish(crc));
  return frame;
}

/** One record found in a log file. `payload` is a view into the file's bytes. */
export interface LogRecordView {
  zxid: number;
  /** Offset of the record's first byte in the file. */
  offset: number;
  /** Offset just past the record. */
  end: number;
  payload: Uint8Array;
}

/** Why the bytes at some offset are not a record. */
export interface InvalidRegion {
  offset: number;
  reason: string;
  /**
   * True when the record there is intact (its checksum matches) but out of
   * order: that is never a torn write, always a bug or tampering.
   */
  intact: boolean;
}

/**
 * Reads the records of one log file held in memory, in order, validating each.
 * Reading stops at the clean end (the file's end or zero padding) or at the
 * first invalid bytes, which {@link invalid} then describes.
 */
export class LogFileCursor {
  /** The header, or null when it is missing or damaged ({@link next} then returns null). */
  readonly header: LogHeader | null;
  /** Offset of the next record to read (after the last valid one). */
  offset: number;
  /** Set when reading stopped at bytes that are neither a record nor zero padding. */
  invalid: InvalidRegion | null = null;
  /** Zxid of the last valid record, 0 before the first. */
  lastZxid = 0;
  /** Zxid of the first valid record, 0 before it. */
  firstZxid = 0;
  /** Records read so far. */
  count = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly maxRecordBytes: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.header = decodeLogHeader(bytes);
    this.offset = LOG_HEADER_BYTES;
    if (this.header === null) {
      this.offset = 0;
      this.invalid = { offset: 0, reason: bytes.length < LOG_HEADER_BYTES ? 'truncated header' : 'bad header', intact: false };
    }
  }

  /** The next valid record, or null at the end or at invalid bytes. */
  next(): LogRecordView | null {
    if (this.invalid !== null) return null;
    const at = this.offset;
    const problem = this.check(at, this.lastZxid);
    if (problem === 'end') return null;
    if (typeof problem === 'string') {
      this.invalid = { offset: at, reason: problem, intact: problem === ORDER_PROBLEM };
      return null;
    }
    const record = problem;
    this.offset = record.end;
    this.lastZxid = record.zxid;
    if (this.count === 0) this.firstZxid = record.zxid;
    this.count++;
    return record;
  }

  /**
   * Whether an intact record with a zxid above `minZxid` starts anywhere after
   * `from`. It tells a torn tail (nothing valid follows: safe to cut) from
   * damage in the middle (valid records follow: cutting would lose them).
   */
  hasRecordAfter(from: number, minZxid: number): boolean {
    const bytes = this.bytes;
    const last = bytes.length - RECORD_OVERHEAD_BYTES;
    for (let at = Math.max(from + 1, 0); at <= last; at++) {
      // A record's length is at least 8, so its first four bytes are never all zero: skip zero runs fast.
      if (bytes[at] === 0 && bytes[at + 1] === 0 && bytes[at + 2] === 0 && bytes[at + 3] === 0) continue;
      const found = this.check(at, -1);
      if (typeof found === 'object' && found.zxid > minZxid) return true;
    }
    return false;
  }

  /** Validates the record at `at`: the record, 'end' for a clean end, or why it is invalid. */
  private check(at: number, afterZxid: number): LogRecordView | 'end' | string {
    const bytes = this.bytes;
    const remaining = bytes.length - at;
    if (remaining === 0) return 'end';
    if (remaining < 4) return allZero(bytes, at) ? 'end' : 'truncated length';
    const length = this.view.getUint32(at);
    if (length === 0) return allZero(bytes, at) ? 'end' : 'zero length followed by data';
    if (length < 8 || length - 8 > this.maxRecordBytes) return `bad length ${length}`;
    const end = at + RECORD_PREFIX_BYTES + length;
    if (end > bytes.length) return `truncated record (needs ${end - at} bytes, ${remaining} left)`;
    // The cheap range check first: it rejects most offsets hasRecordAfter probes before any checksum work.
    const high = this.view.getUint32(at + 8);
    if (high > MAX_ZXID_HIGH) return 'zxid out of range';
    let crc = crc32Update(CRC32_START, bytes.subarray(at, at + 4));
    crc = crc32Update(crc, bytes.subarray(at + RECORD_PREFIX_BYTES, end));
    if (crc32Finish(crc) !== this.view.getUint32(at + 4)) return 'checksum mismatch';
    const zxid = high * TWO_POW_32 + this.view.getUint32(at + 12);
    if (afterZxid >= 0 && zxid <= afterZxid) return ORDER_PROBLEM;
    return { zxid, offset: at, end, payload: bytes.subarray(at + RECORD_OVERHEAD_BYTES, end) };
  }
}

const ORDER_PROBLEM = 'zxid not above the previous record';

function allZero(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}
