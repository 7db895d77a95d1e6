/**
 * Fuzzes every decoder with random and mutated frames. The only exception a decoder may throw
 * is ProtocolError; whatever decodes must be bounded by the frame's size (no allocation from an
 * unchecked length), re-encode, and decode again to the same bytes. A failure prints the seed
 * and the frame; rerun with ZKTS_FUZZ_SEED=<seed> to reproduce.
 */
import {
  decodeConnectRequest,
  decodeConnectResponse,
  decodeRequest,
  decodeResponse,
  encodeConnectRequest,
  encodeConnectResponse,
  encodeLengthPrefixed,
  encodeRequest,
  encodeResponse,
  encodeWatcherEvent,
  FrameDecoder,
  OpCode,
  ProtocolError,
  type RequestOp,
  type ResponseOp,
} from '@zkts/protocol';
import { describe, expect, it } from 'vitest';
import { arbitrary, requestBodies, requestOps, responseBodies, responseOps } from './support/arbitrary.js';
import { hex } from './support/hex.js';
import { Rng } from './support/rng.js';

const SEED = Number(process.env.ZKTS_FUZZ_SEED ?? 0x7a6b7473);
const FRAMES = 100_000;
const STREAM_MAX_FRAME_BYTES = 4096;

class FuzzFailure extends Error {}

function fail(what: string, frame: Uint8Array, iteration: number, cause?: unknown): never {
  throw new FuzzFailure(`${what} (seed ${SEED}, iteration ${iteration}, frame ${hex(frame)})`, { cause });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * How much a decoded value holds beyond views of the frame: string lengths, array lengths and
 * copied bytes. Each of these costs at least one frame byte, so it never exceeds the frame size.
 */
function footprint(value: unknown, frame: Uint8Array): number {
  if (typeof value === 'string') return value.length;
  if (value instanceof Uint8Array) return value.length === 0 || value.buffer === frame.buffer ? 0 : value.length;
  if (Array.isArray(value)) {
    let n = value.length;
    for (const item of value) n += footprint(item, frame);
    return n;
  }
  if (typeof value === 'object' && value !== null) {
    let n = 0;
    for (const item of Object.values(value)) n += footprint(item, frame);
    return n;
  }
  return 0;
}

/** Valid frames of every kind, and the op each reply xid answers. */
function buildCorpus(rng: Rng): { frames: Uint8Array[]; opByXid: Map<number, ResponseOp> } {
  const frames: Uint8Array[] = [];
  const opByXid = new Map<number, ResponseOp>();
  for (let round = 0; round < 8; round++) {
    for (const op of requestOps) {
      const body = (requestBodies[op] as ((r: Rng) => unknown) | undefined)?.(rng);
      frames.push(encodeRequest({ xid: rng.range(1, 1 << 30), type: op as RequestOp }, body as never));
    }
    for (const op of responseOps) {
      const xid = rng.range(1, 1 << 30);
      opByXid.set(xid, op);
      const err = rng.chance(0.15) ? -101 : 0;
      const body = err === 0 ? (responseBodies[op] as ((r: Rng) => unknown) | undefined)?.(rng) : undefined;
      frames.push(encodeResponse({ xid, zxid: rng.int64(), err }, op, body as never));
    }
    frames.push(encodeConnectRequest(arbitrary.ConnectRequest(rng)));
    frames.push(encodeConnectResponse(arbitrary.ConnectResponse(rng)));
    frames.push(encodeWatcherEvent(-1n, arbitrary.WatcherEvent(rng)));
    for (const [xid, op] of [[-2, OpCode.ping], [-4, OpCode.auth], [-8, OpCode.setWatches]] as const) {
      frames.push(encodeResponse({ xid, zxid: rng.int64(), err: 0 }, op));
    }
  }
  return { frames, opByXid };
}

const INTERESTING_INTS = [-1, -2, 0, 1, 0x7fffffff, -0x80000000, 0xffff, 0x10000, 255, 256];

function mutate(rng: Rng, frame: Uint8Array, corpus: Uint8Array[]): Uint8Array {
  let out = frame.slice();
  const steps = rng.range(1, 3);
  for (let s = 0; s < steps; s++) {
    switch (rng.below(8)) {
      case 0: {
        // bit flips
        const flips = rng.range(1, 4);
        for (let i = 0; i < flips && out.length > 0; i++) {
          const at = rng.below(out.length);
          out[at] = (out[at] as number) ^ (1 << rng.below(8));
        }
        break;
      }
      case 1: {
        // interesting bytes
        if (out.length > 0) out[rng.below(out.length)] = rng.pick([0x00, 0xff, 0x7f, 0x80, 0x01]);
        break;
      }
      case 2: {
        // length-field corruption: an int32 anywhere, usually at a 4-byte boundary
        if (out.length >= 4) {
          const at = rng.chance(0.6) ? rng.below(Math.floor(out.length / 4)) * 4 : rng.below(out.length - 3);
          const value = rng.chance(0.7) ? rng.pick(INTERESTING_INTS) : rng.chance(0.5) ? out.length - at + rng.range(-6, 6) : rng.int32();
          new DataView(out.buffer, out.byteOffset).setInt32(at, value);
        }
        break;
      }
      case 3:
        out = out.slice(0, rng.below(out.length + 1));
        break;
      case 4: {
        const extra = rng.bytes(rng.range(1, 16));
        const longer = new Uint8Array(out.length + extra.length);
        longer.set(out);
        longer.set(extra, out.length);
        out = longer;
        break;
      }
      case 5: {
        // splice: a prefix of this frame and a suffix of another
        const other = rng.pick(corpus);
        const a = rng.below(out.length + 1);
        const b = rng.below(other.length + 1);
        const spliced = new Uint8Array(a + other.length - b);
        spliced.set(out.subarray(0, a));
        spliced.set(other.subarray(b), a);
        out = spliced;
        break;
      }
      case 6: {
        // delete a range
        const a = rng.below(out.length + 1);
        const b = Math.min(out.length, a + rng.range(1, 8));
        const shorter = new Uint8Array(out.length - (b - a));
        shorter.set(out.subarray(0, a));
        shorter.set(out.subarray(b), a);
        out = shorter;
        break;
      }
      default: {
        // duplicate a range (repeats headers, vector items, multi ops)
        const a = rng.below(out.length + 1);
        const b = Math.min(out.length, a + rng.range(1, 24));
        const grown = new Uint8Array(out.length + (b - a));
        grown.set(out.subarray(0, b));
        grown.set(out.subarray(a), b);
        out = grown;
      }
    }
  }
  return out;
}

/** Runs `decode`; only ProtocolError may escape, and a result must be bounded and re-encodable. */
function check<T>(
  frame: Uint8Array,
  iteration: number,
  name: string,
  decode: (f: Uint8Array) => T,
  encode: (value: T) => Uint8Array,
): boolean {
  let value: T;
  try {
    value = decode(frame);
  } catch (e) {
    if (e instanceof ProtocolError) return false;
    fail(`${name} threw ${String(e)}`, frame, iteration, e);
  }
  const held = footprint(value, frame);
  if (held > frame.length) fail(`${name} holds ${held} units from a ${frame.length}-byte frame`, frame, iteration);
  let again: Uint8Array;
  try {
    const bytes = encode(value);
    again = encode(decode(bytes));
    if (!sameBytes(bytes, again)) fail(`${name} re-encoding is not stable`, frame, iteration);
  } catch (e) {
    if (e instanceof FuzzFailure) throw e;
    fail(`${name} result does not re-encode`, frame, iteration, e);
  }
  return true;
}

describe('fuzzing the decoders', () => {
  it(`survives ${FRAMES} random and mutated frames`, () => {
    const rng = new Rng(SEED);
    const { frames: corpus, opByXid } = buildCorpus(rng);
    const opTypeForXid = (xid: number): number | undefined => {
      const known = opByXid.get(xid);
      if (known !== undefined) return known;
      // Unknown xids: usually some op, so mutated replies still reach body decoding.
      const h = Math.imul(xid, 0x9e3779b1) >>> 0;
      return h % 8 === 0 ? undefined : responseOps[h % responseOps.length];
    };
    const requestResult = (d: ReturnType<typeof decodeRequest>): Uint8Array => encodeRequest(d.header as { xid: number; type: RequestOp }, d.body as never);
    const responseResult = (d: ReturnType<typeof decodeResponse>): Uint8Array =>
      d.kind === 'notification'
        ? encodeWatcherEvent(d.header.zxid, d.event)
        : d.kind === 'response'
          ? encodeResponse(d.header, d.opType, d.body as never)
          : encodeResponse(d.header, d.kind === 'ping' ? OpCode.ping : d.kind === 'auth' ? OpCode.auth : OpCode.setWatches);

    let decoded = 0;
    let stream: Uint8Array[] = [];
    let streamBytes = 0;
    const started = Date.now();
    for (let i = 0; i < FRAMES; i++) {
      const frame = rng.chance(0.05) ? rng.bytes(rng.below(64)) : rng.chance(0.03) ? (rng.pick(corpus) as Uint8Array) : mutate(rng, rng.pick(corpus), corpus);
      if (check(frame, i, 'decodeRequest', decodeRequest, requestResult)) decoded++;
      if (check(frame, i, 'decodeResponse', (f) => decodeResponse(f, opTypeForXid), responseResult)) decoded++;
      if (check(frame, i, 'decodeConnectRequest', decodeConnectRequest, encodeConnectRequest)) decoded++;
      if (check(frame, i, 'decodeConnectResponse', decodeConnectResponse, encodeConnectResponse)) decoded++;

      // Feed the same frames, length-prefixed and sometimes with a corrupt prefix, to FrameDecoder.
      const wire = encodeLengthPrefixed(frame);
      if (rng.chance(0.02)) new DataView(wire.buffer, wire.byteOffset).setInt32(0, rng.int32());
      stream.push(wire);
      streamBytes += wire.length;
      if (streamBytes > 8192 || i === FRAMES - 1) {
        feedStream(rng, stream, i);
        stream = [];
        streamBytes = 0;
      }
    }
    const elapsedMs = Date.now() - started;
    console.log(`fuzz: ${FRAMES} frames, ${decoded} successful decodes, ${elapsedMs} ms (seed ${SEED})`);
    // The mutations must not be so destructive that nothing decodes, nor so mild that everything does.
    expect(decoded).toBeGreaterThan(FRAMES / 20);
    expect(decoded).toBeLessThan(FRAMES * 3);
  }, 60_000);
});

function feedStream(rng: Rng, parts: Uint8Array[], iteration: number): void {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  let decoder = new FrameDecoder(STREAM_MAX_FRAME_BYTES);
  let pos = 0;
  while (pos < bytes.length) {
    const n = rng.chance(0.1) ? rng.range(0, 3) : rng.range(1, 700);
    const chunk = bytes.subarray(pos, pos + n);
    pos += n;
    try {
      for (const frame of decoder.push(chunk)) {
        if (frame.length > STREAM_MAX_FRAME_BYTES) fail(`FrameDecoder returned a ${frame.length}-byte frame`, chunk, iteration);
      }
    } catch (e) {
      if (!(e instanceof ProtocolError)) fail(`FrameDecoder threw ${String(e)}`, chunk, iteration, e);
      decoder = new FrameDecoder(STREAM_MAX_FRAME_BYTES);
    }
    if (decoder.bufferedBytes > STREAM_MAX_FRAME_BYTES + 4) fail(`FrameDecoder buffers ${decoder.bufferedBytes} bytes`, chunk, iteration);
  }
}
