/**
 * Jute's binary encoding (`BinaryOutputArchive` / `BinaryInputArchive`): big-endian
 * `int` and `long`, one-byte `boolean`, and length-prefixed `buffer`, `ustring` and `vector`,
 * where a length of −1 stands for null.
 * @module
 */
import { assert } from './assert.js';
import { claimSlab, releaseSlab, type SlabLease } from './byte-pool.js';
import { ProtocolError } from './protocol-error.js';

// The package compiles against ES2022 alone (no DOM or Node types), so it declares the slice of
// the WHATWG text codecs it uses; every runtime we target (Node 20, browsers) provides them.
declare const TextEncoder: new () => { encodeInto(source: string, destination: Uint8Array): { read: number; written: number } };
declare const TextDecoder: new (label: string, options: { fatal: boolean; ignoreBOM: boolean }) => { decode(input: Uint8Array): string };

const textEncoder = new TextEncoder();
// As Java's `new String(bytes, UTF_8)`: malformed UTF-8 becomes U+FFFD (fatal: false) and a
// leading U+FEFF is part of the string, not a byte-order mark to strip (ignoreBOM: true).
const textDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Below this length a plain loop beats TextDecoder's call overhead for ASCII strings. */
const SHORT_STRING_BYTES = 64;

/**
 * Appends jute-encoded values to a growable byte buffer.
 *
 * One writer builds one frame or record: call the field methods in the record's field order,
 * then {@link JuteWriter.toBytes}. Small outputs are written straight into a shared slab (see
 * `byte-pool.ts`), so the result is usually a view into a larger ArrayBuffer.
 */
export class JuteWriter {
  private buf: Uint8Array;
  private view: DataView;
  /** Where this writer's bytes begin in `buf`. */
  private start: number;
  private pos: number;
  /** End of the writable region of `buf`; reaching it moves the bytes to a larger buffer. */
  private limit: number;
  /** The slab `buf` belongs to while this writer still holds it. */
  private lease: SlabLease | null;

  /** @param initialCapacity bytes expected; larger outputs grow the buffer as needed. */
  constructor(initialCapacity = 256) {
    assert(Number.isInteger(initialCapacity) && initialCapacity > 0, 'initialCapacity must be a positive integer');
    const lease = claimSlab(initialCapacity);
    this.lease = lease;
    if (lease !== null) {
      this.buf = lease.bytes;
      this.view = lease.view;
      this.start = lease.offset;
    } else {
      this.buf = new Uint8Array(initialCapacity);
      this.view = new DataView(this.buf.buffer);
      this.start = 0;
    }
    this.pos = this.start;
    this.limit = this.buf.length;
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos - this.start;
  }

  /** Writes a jute `int` (32-bit, big-endian two's complement). */
  int(value: number): void {
    if (this.pos + 4 > this.limit) this.grow(4);
    this.view.setInt32(this.pos, value);
    this.pos += 4;
  }

  /** Writes a jute `long` (64-bit, big-endian two's complement). */
  long(value: bigint): void {
    if (this.pos + 8 > this.limit) this.grow(8);
    this.view.setBigInt64(this.pos, value);
    this.pos += 8;
  }

  /** Writes a jute `boolean`: one byte, 1 or 0. */
  bool(value: boolean): void {
    if (this.pos + 1 > this.limit) this.grow(1);
    this.buf[this.pos++] = value ? 1 : 0;
  }

  /** Writes a jute `buffer`: an `int` length and the bytes, or length −1 for null. */
  buffer(value: Uint8Array | null): void {
    if (value === null) {
      this.int(-1);
      return;
    }
    const length = value.length;
    if (this.pos + 4 + length > this.limit) this.grow(4 + length);
    this.view.setInt32(this.pos, length);
    this.buf.set(value, this.pos + 4);
    this.pos += 4 + length;
  }

  /**
   * Writes a jute `ustring`: an `int` byte length and the UTF-8 bytes, or length −1 for null.
   * A lone surrogate becomes U+FFFD (Java would write `?`); valid znode paths never contain one.
   */
  string(value: string | null): void {
    if (value === null) {
      this.int(-1);
      return;
    }
    const units = value.length;
    // Every UTF-16 unit becomes at most 3 UTF-8 bytes (a surrogate pair: 4 bytes for 2 units).
    const worst = 4 + units * 3;
    if (this.pos + worst > this.limit) this.grow(worst);
    const buf = this.buf;
    const start = this.pos + 4;
    let p = start;
    let i = 0;
    for (; i < units; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) break;
      buf[p++] = c;
    }
    if (i < units) {
      p = start + textEncoder.encodeInto(value, buf.subarray(start, this.limit)).written;
    }
    this.view.setInt32(this.pos, p - start);
    this.pos = p;
  }

  /** Writes a vector's `int` length prefix, −1 for a null vector. The caller then writes the items. */
  vectorLength(length: number): void {
    this.int(length);
  }

  /** Writes a `vector<ustring>`; null writes length −1. */
  stringVector(values: readonly string[] | null): void {
    if (values === null) {
      this.int(-1);
      return;
    }
    this.int(values.length);
    for (let i = 0; i < values.length; i++) this.string(values[i] as string);
  }

  /**
   * Writes a vector of records with `writeItem` (pass a module-level function, not a fresh
   * closure, on hot paths); null writes length −1.
   */
  vector<T>(values: readonly T[] | null, writeItem: (writer: JuteWriter, item: T) => void): void {
    if (values === null) {
      this.int(-1);
      return;
    }
    this.int(values.length);
    for (let i = 0; i < values.length; i++) writeItem(this, values[i] as T);
  }

  /** Appends bytes with no length prefix (an already-encoded record). */
  raw(bytes: Uint8Array): void {
    if (this.pos + bytes.length > this.limit) this.grow(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /**
   * The bytes written so far, as a view (no copy). The view owns its bytes: writing on after
   * this call moves the writer to fresh memory, so returned views never change.
   */
  toBytes(): Uint8Array {
    const out = this.buf.subarray(this.start, this.pos);
    if (this.lease !== null) {
      releaseSlab(this.lease, this.pos);
      this.lease = null;
    }
    this.limit = this.pos;
    return out;
  }

  /** Moves the bytes written so far to a private buffer with room for `bytes` more. */
  private grow(bytes: number): void {
    const used = this.pos - this.start;
    const needed = used + bytes;
    // Room for a few trailing fields past a large buffer, and amortized doubling for many small ones.
    const capacity = Math.max(needed + 256 + (needed >>> 4), used * 2);
    const next = new Uint8Array(capacity);
    next.set(this.buf.subarray(this.start, this.pos));
    if (this.lease !== null) {
      releaseSlab(this.lease, this.start);
      this.lease = null;
    }
    this.buf = next;
    this.view = new DataView(next.buffer);
    this.start = 0;
    this.pos = used;
    this.limit = capacity;
  }
}

/**
 * Reads jute-encoded values from a byte range, checking every length against the bytes that
 * remain. Anything that would read past the end, a negative length other than −1, or a length
 * larger than what remains throws {@link ProtocolError}; nothing is allocated from an
 * unchecked length.
 *
 * `buffer` reads return subarrays of the input (no copy): they share memory with the frame,
 * so copy them (`slice()`) before keeping them past the frame's lifetime or mutating them.
 */
export class JuteReader {
  private readonly bytes: Uint8Array;
  /** Created on the first `long`: many frames have none, and a DataView costs more than an int read. */
  private view: DataView | null = null;
  private pos: number;
  private readonly end: number;

  /** Reads `bytes[start, end)`. */
  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    assert(start >= 0 && start <= end && end <= bytes.length, 'reader range out of bounds');
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  /** Offset of the next byte to read, relative to the start of the input array. */
  get offset(): number {
    return this.pos;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /** Reads a jute `int`. */
  int(): number {
    this.need(4);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 4;
    return ((b[p] as number) << 24) | ((b[p + 1] as number) << 16) | ((b[p + 2] as number) << 8) | (b[p + 3] as number);
  }

  /** Reads a jute `long`. */
  long(): bigint {
    this.need(8);
    const view = (this.view ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength));
    const value = view.getBigInt64(this.pos);
    this.pos += 8;
    return value;
  }

  /** Reads a jute `boolean`; any non-zero byte is true, as Java's `DataInput.readBoolean`. */
  bool(): boolean {
    this.need(1);
    return this.bytes[this.pos++] !== 0;
  }

  /** Reads a jute `buffer`: null for length −1, otherwise a subarray of the input (no copy). */
  buffer(): Uint8Array | null {
    const length = this.length('buffer');
    if (length === -1) return null;
    const start = this.pos;
    this.pos += length;
    return this.bytes.subarray(start, this.pos);
  }

  /** Reads a jute `buffer` where null is not meaningful: length −1 reads as an empty array. */
  bufferNonNull(): Uint8Array {
    return this.buffer() ?? new Uint8Array(0);
  }

  /** Reads a jute `ustring`, or null for length −1. */
  nullableString(): string | null {
    const length = this.length('string');
    if (length === -1) return null;
    const start = this.pos;
    this.pos += length;
    return decodeUtf8(this.bytes, start, this.pos);
  }

  /**
   * Reads a jute `ustring` where null is not meaningful: length −1 reads as `''`. ZooKeeper's
   * own checks reject a null path exactly where they reject an empty one (BAD_ARGUMENTS).
   */
  string(): string {
    return this.nullableString() ?? '';
  }

  /**
   * Reads a vector's length: −1 for null, else a count no larger than the remaining bytes
   * allow given that each item takes at least `minItemBytes`.
   */
  vectorLength(minItemBytes: number): number {
    const length = this.int();
    if (length === -1) return -1;
    if (length < 0) throw new ProtocolError(`Negative vector length ${length} at offset ${this.pos - 4}`);
    if (length * minItemBytes > this.end - this.pos) {
      throw new ProtocolError(`Vector of ${length} items cannot fit in the ${this.end - this.pos} remaining bytes`);
    }
    return length;
  }

  /** Reads a `vector<ustring>`; a null vector reads as empty. */
  stringVector(): string[] {
    const length = this.vectorLength(4);
    const values: string[] = [];
    for (let i = 0; i < length; i++) values.push(this.string());
    return values;
  }

  /**
   * Reads a vector of records with `readItem`, each at least `minItemBytes` long; a null
   * vector reads as empty.
   */
  vector<T>(readItem: (reader: JuteReader) => T, minItemBytes: number): T[] {
    return this.nullableVector(readItem, minItemBytes) ?? [];
  }

  /** Reads a vector of records, keeping null (length −1) as null. */
  nullableVector<T>(readItem: (reader: JuteReader) => T, minItemBytes: number): T[] | null {
    const length = this.vectorLength(minItemBytes);
    if (length === -1) return null;
    const values: T[] = [];
    for (let i = 0; i < length; i++) values.push(readItem(this));
    return values;
  }

  /** Throws ProtocolError unless every byte has been read; `what` names the record for the message. */
  expectEnd(what: string): void {
    if (this.pos !== this.end) {
      throw new ProtocolError(`${this.end - this.pos} unexpected trailing bytes after ${what}`);
    }
  }

  private need(bytes: number): void {
    if (this.end - this.pos < bytes) {
      throw new ProtocolError(`Unexpected end of frame: need ${bytes} bytes at offset ${this.pos}, ${this.end - this.pos} left`);
    }
  }

  /** Reads a length prefix and checks it against the remaining bytes; −1 is returned as is. */
  private length(what: string): number {
    const length = this.int();
    if (length === -1) return -1;
    if (length < 0) throw new ProtocolError(`Negative ${what} length ${length} at offset ${this.pos - 4}`);
    if (length > this.end - this.pos) {
      throw new ProtocolError(`${what} length ${length} at offset ${this.pos - 4} exceeds the ${this.end - this.pos} remaining bytes`);
    }
    return length;
  }
}

function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= SHORT_STRING_BYTES) {
    let text = '';
    for (let i = start; i < end; i++) {
      const b = bytes[i] as number;
      if (b >= 0x80) return textDecoder.decode(bytes.subarray(start, end));
      text += String.fromCharCode(b);
    }
    return text;
  }
  return textDecoder.decode(bytes.subarray(start, end));
}
