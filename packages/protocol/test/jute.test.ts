import { decodeRequest, JuteReader, JuteWriter, OpCode, ProtocolError } from '@zkts/protocol';
import { describe, expect, it } from 'vitest';
import { fromHex, hex } from './support/hex.js';

function written(fill: (w: JuteWriter) => void, initialCapacity?: number): string {
  const w = new JuteWriter(initialCapacity);
  fill(w);
  return hex(w.toBytes());
}

describe('JuteWriter', () => {
  it('writes big-endian ints, longs and one-byte booleans', () => {
    expect(written((w) => w.int(-2))).toBe('fffffffe');
    expect(written((w) => w.int(0x01020304))).toBe('01020304');
    expect(written((w) => w.long(-0x8000000000000000n))).toBe('8000000000000000');
    expect(written((w) => w.long(0x0102030405060708n))).toBe('0102030405060708');
    expect(written((w) => (w.bool(true), w.bool(false)))).toBe('0100');
  });

  it('writes UTF-8 strings with their byte length, and -1 for null', () => {
    expect(written((w) => w.string(''))).toBe('00000000');
    expect(written((w) => w.string(null))).toBe('ffffffff');
    expect(written((w) => w.string('/é'))).toBe('00000003' + '2fc3a9');
    expect(written((w) => w.string('a€😀'))).toBe('00000008' + '61' + 'e282ac' + 'f09f9880');
  });

  it('writes buffers and vectors with -1 for null', () => {
    expect(written((w) => w.buffer(null))).toBe('ffffffff');
    expect(written((w) => w.buffer(Uint8Array.of(9, 8)))).toBe('00000002' + '0908');
    expect(written((w) => w.stringVector(['a', '']))).toBe('00000002' + '0000000161' + '00000000');
    expect(written((w) => w.stringVector(null))).toBe('ffffffff');
    expect(written((w) => w.vector([1, 2], (x, n) => x.int(n)))).toBe('00000002' + '00000001' + '00000002');
  });

  it('grows past its initial capacity without losing earlier bytes or views', () => {
    const w = new JuteWriter(1);
    w.int(7);
    const early = w.toBytes();
    const big = new Uint8Array(10_000).fill(0xab);
    w.buffer(big);
    w.string('x'.repeat(5000));
    const bytes = w.toBytes();
    expect(bytes.length).toBe(4 + 4 + 10_000 + 4 + 5000);
    expect(hex(early)).toBe('00000007');
    expect(hex(bytes.subarray(0, 8))).toBe('00000007' + '00002710');
  });
});

describe('JuteWriter memory', () => {
  it('keeps interleaved writers apart', () => {
    const a = new JuteWriter();
    const b = new JuteWriter();
    for (let i = 0; i < 100; i++) {
      a.int(i);
      b.int(-i - 1);
    }
    const c = new JuteWriter();
    c.string('c');
    const bytesA = a.toBytes();
    const bytesC = c.toBytes();
    const bytesB = b.toBytes();
    const d = new JuteWriter();
    d.long(-1n);
    const bytesD = d.toBytes();
    const r = new JuteReader(bytesA);
    const s = new JuteReader(bytesB);
    for (let i = 0; i < 100; i++) {
      expect(r.int()).toBe(i);
      expect(s.int()).toBe(-i - 1);
    }
    expect(hex(bytesC)).toBe('0000000163');
    expect(hex(bytesD)).toBe('ffffffffffffffff');
  });

  it('never hands out the same bytes twice, even after an abandoned writer', () => {
    const abandoned = new JuteWriter();
    abandoned.int(0x11111111);
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 2000; i++) {
      const w = new JuteWriter();
      w.int(i);
      w.string('x'.repeat(i % 50));
      frames.push(w.toBytes());
    }
    abandoned.int(0x22222222);
    expect(hex(abandoned.toBytes())).toBe('1111111122222222');
    frames.forEach((f, i) => {
      const r = new JuteReader(f);
      expect(r.int()).toBe(i);
      expect(r.string()).toBe('x'.repeat(i % 50));
      r.expectEnd('frame');
    });
  });

  it('keeps returned bytes unchanged when writing continues after toBytes', () => {
    const w = new JuteWriter();
    w.int(1);
    const first = w.toBytes();
    const other = new JuteWriter();
    other.int(-1);
    other.toBytes();
    w.int(2);
    expect(hex(first)).toBe('00000001');
    expect(hex(w.toBytes())).toBe('0000000100000002');
  });
});

describe('JuteReader', () => {
  it('reads what the writer wrote', () => {
    const w = new JuteWriter();
    w.int(-5);
    w.long(123456789012345n);
    w.bool(true);
    w.string('päth');
    w.string(null);
    w.buffer(Uint8Array.of(1, 2));
    w.buffer(null);
    w.stringVector(['x', 'yz']);
    const r = new JuteReader(w.toBytes());
    expect(r.int()).toBe(-5);
    expect(r.long()).toBe(123456789012345n);
    expect(r.bool()).toBe(true);
    expect(r.string()).toBe('päth');
    expect(r.nullableString()).toBeNull();
    expect(r.buffer()).toEqual(Uint8Array.of(1, 2));
    expect(r.buffer()).toBeNull();
    expect(r.stringVector()).toEqual(['x', 'yz']);
    expect(r.remaining).toBe(0);
    r.expectEnd('test');
  });

  it('treats any non-zero byte as true', () => {
    expect(new JuteReader(Uint8Array.of(0x80)).bool()).toBe(true);
  });

  it('replaces malformed UTF-8 instead of throwing, like Java', () => {
    expect(new JuteReader(fromHex('00000002 ff61')).string()).toBe('\ufffda');
  });

  it('keeps a leading U+FEFF, short or long, as Java does', () => {
    for (const text of ['\ufeffa', `\ufeff${'x'.repeat(100)}`]) {
      const w = new JuteWriter();
      w.string(text);
      expect(new JuteReader(w.toBytes()).string()).toBe(text);
    }
  });

  it('reads a range of a larger array', () => {
    const bytes = fromHex('aaaa 00000001 00000002 bbbb');
    const r = new JuteReader(bytes, 2, 10);
    expect(r.int()).toBe(1);
    expect(r.int()).toBe(2);
    expect(() => r.int()).toThrow(ProtocolError);
  });

  it('throws ProtocolError for reads past the end', () => {
    expect(() => new JuteReader(fromHex('000000')).int()).toThrow(ProtocolError);
    expect(() => new JuteReader(fromHex('00000000000000')).long()).toThrow(ProtocolError);
    expect(() => new JuteReader(new Uint8Array(0)).bool()).toThrow(ProtocolError);
  });

  it('throws ProtocolError for negative lengths other than -1', () => {
    for (const prefix of ['fffffffe', '80000000']) {
      expect(() => new JuteReader(fromHex(prefix + '00'.repeat(8))).buffer()).toThrow(/Negative/);
      expect(() => new JuteReader(fromHex(prefix + '00'.repeat(8))).string()).toThrow(/Negative/);
      expect(() => new JuteReader(fromHex(prefix + '00'.repeat(8))).stringVector()).toThrow(/Negative/);
    }
  });

  it('throws ProtocolError for lengths beyond the remaining bytes without allocating them', () => {
    const frame = new Uint8Array(50);
    new DataView(frame.buffer).setInt32(0, 0x7fffffff);
    expect(() => new JuteReader(frame).buffer()).toThrow(/exceeds the 46 remaining bytes/);
    expect(() => new JuteReader(frame).string()).toThrow(/exceeds the 46 remaining bytes/);
    expect(() => new JuteReader(frame).stringVector()).toThrow(/cannot fit/);
    expect(() => new JuteReader(frame).vector((r) => r.int(), 4)).toThrow(/cannot fit/);
    // A vector of 12 strings needs at least 48 bytes, so it is refused before reading any.
    new DataView(frame.buffer).setInt32(0, 12);
    expect(() => new JuteReader(frame).stringVector()).toThrow(/cannot fit/);
  });

  it('refuses a 2^31-1 length inside a 50-byte request frame, in every length-bearing position', () => {
    const base = fromHex('00000001 00000001 | 00000002 2f61 | 00000001 07 | 00000000 | 00000000');
    // path length, data length, acl vector length
    for (const at of [8, 14, 19]) {
      const frame = new Uint8Array(50);
      frame.set(base);
      new DataView(frame.buffer).setInt32(at, 0x7fffffff);
      const before = process.memoryUsage().arrayBuffers;
      expect(() => decodeRequest(frame)).toThrow(ProtocolError);
      // Nothing close to 2 GiB was allocated (allow generous noise from the runtime).
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    }
    expect(decodeRequest(base).type).toBe(OpCode.create);
  });

  it('returns buffers as zero-copy views of the input', () => {
    const bytes = fromHex('00000003 010203');
    const view = new JuteReader(bytes).buffer();
    expect(view?.buffer).toBe(bytes.buffer);
    expect(view?.byteOffset).toBe(4);
  });
});
