/**
 * ZooKeeper's stream framing: every frame on a TCP connection is preceded by its length as a
 * 4-byte big-endian int.
 * @module
 */
import { assert } from './assert.js';
import { allocateBytes } from './byte-pool.js';
import { DEFAULT_MAX_FRAME_BYTES } from './constants.js';
import { ProtocolError } from './protocol-error.js';

/** Bytes of the length prefix. */
const PREFIX_BYTES = 4;

/**
 * Returns the 4-byte big-endian length of `frame` followed by `frame`, in new memory (small
 * results are views into a shared slab, like the frame encoders' results).
 */
export function encodeLengthPrefixed(frame: Uint8Array): Uint8Array {
  const length = frame.length;
  const out = allocateBytes(PREFIX_BYTES + length);
  out[0] = length >>> 24;
  out[1] = (length >>> 16) & 0xff;
  out[2] = (length >>> 8) & 0xff;
  out[3] = length & 0xff;
  out.set(frame, PREFIX_BYTES);
  return out;
}

/**
 * Splits a byte stream into frames. Feed it chunks in arrival order; it handles frames split
 * across chunks and several frames in one chunk.
 *
 * A frame that lies wholly inside one chunk is returned as a subarray of that chunk (no copy),
 * so callers must not overwrite chunks they have pushed. A frame that spans chunks is copied
 * once into an array of exactly its length, allocated only after the length was checked
 * against `maxFrameBytes`; at most one such frame is buffered, so memory stays within the limit.
 *
 * A negative or oversize length throws ProtocolError as soon as its 4 bytes arrive, and the
 * decoder stays failed: the stream has lost its framing and the connection must be closed.
 */
export class FrameDecoder {
  /** Largest accepted frame length in bytes (ZooKeeper's `jute.maxbuffer`). */
  readonly maxFrameBytes: number;
  private readonly prefix = new Uint8Array(PREFIX_BYTES);
  private prefixFill = 0;
  private body: Uint8Array | null = null;
  private bodyFill = 0;
  private failure: ProtocolError | null = null;

  constructor(maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {
    assert(Number.isInteger(maxFrameBytes) && maxFrameBytes >= 0 && maxFrameBytes <= 0x7fffffff, 'maxFrameBytes must be a non-negative int32');
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Bytes of an incomplete frame (prefix included) held back until more data arrives. */
  get bufferedBytes(): number {
    return this.body === null ? this.prefixFill : PREFIX_BYTES + this.bodyFill;
  }

  /** Consumes `chunk` and returns the frames it completed, in order (possibly none). */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failure !== null) throw this.failure;
    const frames: Uint8Array[] = [];
    const end = chunk.length;
    let pos = 0;
    while (pos < end) {
      const body = this.body;
      if (body !== null) {
        const take = Math.min(end - pos, body.length - this.bodyFill);
        body.set(chunk.subarray(pos, pos + take), this.bodyFill);
        this.bodyFill += take;
        pos += take;
        if (this.bodyFill === body.length) {
          frames.push(body);
          this.body = null;
          this.bodyFill = 0;
        }
        continue;
      }
      if (this.prefixFill === 0 && end - pos >= PREFIX_BYTES) {
        const length = this.checkLength(
          ((chunk[pos] as number) << 24) | ((chunk[pos + 1] as number) << 16) | ((chunk[pos + 2] as number) << 8) | (chunk[pos + 3] as number),
        );
        pos += PREFIX_BYTES;
        if (end - pos >= length) {
          frames.push(chunk.subarray(pos, pos + length));
          pos += length;
        } else {
          this.startBody(length);
        }
        continue;
      }
      // The prefix itself is split across chunks.
      while (this.prefixFill < PREFIX_BYTES && pos < end) this.prefix[this.prefixFill++] = chunk[pos++] as number;
      if (this.prefixFill < PREFIX_BYTES) break;
      this.prefixFill = 0;
      const p = this.prefix;
      const length = this.checkLength(((p[0] as number) << 24) | ((p[1] as number) << 16) | ((p[2] as number) << 8) | (p[3] as number));
      if (length === 0) frames.push(new Uint8Array(0));
      else this.startBody(length);
    }
    return frames;
  }

  private checkLength(length: number): number {
    if (length < 0 || length > this.maxFrameBytes) {
      this.failure = new ProtocolError(`Frame length ${length} is outside 0..${this.maxFrameBytes}`);
      throw this.failure;
    }
    return length;
  }

  private startBody(length: number): void {
    this.body = new Uint8Array(length);
    this.bodyFill = 0;
  }
}
