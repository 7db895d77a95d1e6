import { DEFAULT_MAX_FRAME_BYTES, encodeLengthPrefixed, FrameDecoder, ProtocolError } from '@zkts/protocol';
import { describe, expect, it } from 'vitest';
import { hex } from './support/hex.js';
import { Rng } from './support/rng.js';

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const rng = new Rng(77);
const frames = [new Uint8Array(0), Uint8Array.of(1), rng.bytes(3), rng.bytes(4), rng.bytes(5), rng.bytes(40), new Uint8Array(0), rng.bytes(300)];
const stream = concat(frames.map(encodeLengthPrefixed));

describe('encodeLengthPrefixed', () => {
  it('prepends the big-endian length', () => {
    expect(hex(encodeLengthPrefixed(Uint8Array.of(0xaa, 0xbb)))).toBe('00000002aabb');
    expect(hex(encodeLengthPrefixed(new Uint8Array(0)))).toBe('00000000');
    expect(hex(encodeLengthPrefixed(new Uint8Array(0x10203)).subarray(0, 4))).toBe('00010203');
  });
});

describe('FrameDecoder', () => {
  it('defaults to jute.maxbuffer', () => {
    expect(new FrameDecoder().maxFrameBytes).toBe(DEFAULT_MAX_FRAME_BYTES);
  });

  it('returns coalesced frames from one chunk as views of it', () => {
    const decoder = new FrameDecoder();
    const out = decoder.push(stream);
    expect(out.map(hex)).toEqual(frames.map(hex));
    for (const f of out) if (f.length > 0) expect(f.buffer).toBe(stream.buffer);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('splits the stream at every single split point', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const decoder = new FrameDecoder();
      const out = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(out.map(hex)).toEqual(frames.map(hex));
      expect(decoder.bufferedBytes).toBe(0);
    }
  });

  it('splits the stream at every pair of split points', () => {
    const small = concat(frames.slice(0, 6).map(encodeLengthPrefixed));
    const expected = frames.slice(0, 6).map(hex);
    for (let a = 0; a <= small.length; a++) {
      for (let b = a; b <= small.length; b++) {
        const decoder = new FrameDecoder();
        const out = [...decoder.push(small.subarray(0, a)), ...decoder.push(small.subarray(a, b)), ...decoder.push(small.subarray(b))];
        expect(out.map(hex)).toEqual(expected);
      }
    }
  });

  it('accepts byte-at-a-time input and random chunking', () => {
    const one = new FrameDecoder();
    const out: Uint8Array[] = [];
    for (let i = 0; i < stream.length; i++) out.push(...one.push(stream.subarray(i, i + 1)));
    expect(out.map(hex)).toEqual(frames.map(hex));

    for (let trial = 0; trial < 200; trial++) {
      const decoder = new FrameDecoder();
      const got: Uint8Array[] = [];
      let at = 0;
      while (at < stream.length) {
        const n = rng.range(0, 50);
        got.push(...decoder.push(stream.subarray(at, at + n)));
        at += n;
      }
      expect(got.map(hex)).toEqual(frames.map(hex));
    }
  });

  it('accepts a frame of exactly maxFrameBytes and rejects one byte more before buffering its body', () => {
    const decoder = new FrameDecoder(8);
    expect(decoder.push(encodeLengthPrefixed(new Uint8Array(8)))).toHaveLength(1);
    const over = new FrameDecoder(8);
    expect(() => over.push(Uint8Array.of(0, 0, 0, 9))).toThrow(ProtocolError);
    expect(over.bufferedBytes).toBe(0);
  });

  it('rejects huge and negative lengths as soon as the prefix is complete', () => {
    for (const prefix of [[0x7f, 0xff, 0xff, 0xff], [0xff, 0xff, 0xff, 0xff], [0x80, 0, 0, 0], [0, 0x10, 0, 0]]) {
      const decoder = new FrameDecoder();
      expect(decoder.push(Uint8Array.of(...prefix.slice(0, 2)))).toEqual([]);
      expect(() => decoder.push(Uint8Array.of(...prefix.slice(2)))).toThrow(/Frame length/);
      expect(decoder.bufferedBytes).toBe(0);
      // The stream has lost its framing: the decoder stays failed.
      expect(() => decoder.push(Uint8Array.of(0, 0, 0, 0))).toThrow(ProtocolError);
    }
  });

  it('holds at most one partial frame, no larger than the limit', () => {
    const decoder = new FrameDecoder(1000);
    const big = encodeLengthPrefixed(rng.bytes(1000));
    expect(decoder.push(big.subarray(0, 500))).toEqual([]);
    expect(decoder.bufferedBytes).toBe(500);
    const out = decoder.push(big.subarray(500));
    expect(out).toHaveLength(1);
    expect(hex(out[0] as Uint8Array)).toBe(hex(big.subarray(4)));
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('does not alias a spanning frame to the chunks it came from', () => {
    const decoder = new FrameDecoder();
    const wire = encodeLengthPrefixed(Uint8Array.of(1, 2, 3, 4));
    const first = wire.slice(0, 5);
    decoder.push(first);
    const [frame] = decoder.push(wire.slice(5));
    first.fill(0);
    expect(hex(frame as Uint8Array)).toBe('01020304');
  });
});
