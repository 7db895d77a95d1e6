/**
 * Golden frames: bytes that real ZooKeeper clients and a real Apache ZooKeeper 3.8 server put on
 * the wire (recorded by scripts/capture-golden-frames.mjs), each with the field values it must
 * decode to. Every frame must decode to those values and re-encode to the identical bytes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  FrameDecoder,
  OpCode,
  type RequestOp,
  type ResponseOp,
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
} from '@zkts/protocol';

/** One recorded frame; see scripts/capture-golden-frames.mjs for how `expected` was obtained. */
interface GoldenFrame {
  name: string;
  source: string;
  direction: 'client-to-server' | 'server-to-client';
  /** The frame's op code; connect frames carry createSession's. */
  opType: number;
  /** The frame as on the wire, 4-byte length prefix included. */
  hex: string;
  /** Decoded field values: longs as decimal strings, buffers as hex, absent bodies as null. */
  expected: Record<string, unknown>;
  notes?: string;
  /** Fields no independent source could supply; only the byte-exact re-encoding covers them. */
  unverified?: string[];
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/golden-frames.json', import.meta.url), 'utf8')) as GoldenFrame[];

function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** The frame without its length prefix, after checking that the prefix matches. */
function payloadOf(fixture: GoldenFrame): Uint8Array {
  const wire = fromHex(fixture.hex);
  expect(new DataView(wire.buffer).getInt32(0)).toBe(wire.length - 4);
  return wire.subarray(4);
}

/** Rewrites a decoded value in the fixtures' notation, so the two compare with toEqual. */
function notation(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return toHex(value);
  if (Array.isArray(value)) return value.map(notation);
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, field]) => field !== undefined)
        .map(([key, field]) => [key, notation(field)]),
    );
  }
  return value;
}

/** A decoded response body in fixture notation; multi results without a body get `body: null` as in the fixtures. */
function responseBodyNotation(opType: number, body: unknown): unknown {
  const value = notation(body);
  if (opType !== OpCode.multi || value === null) return value;
  const { results } = value as { results: Array<Record<string, unknown>> };
  return { results: results.map((result) => ({ ...result, body: result.body ?? null })) };
}

/**
 * Compares a decoded connect record with the fixture. A frame without the trailing readOnly
 * flag has no `readOnly` in the fixture and must decode as `readOnlyOmitted`, so that it
 * re-encodes without the flag.
 */
function expectConnectRecord(decoded: { readOnly: boolean; readOnlyOmitted?: boolean }, fixture: GoldenFrame): void {
  const actual = notation(decoded) as Record<string, unknown>;
  if ('readOnly' in fixture.expected) {
    expect(decoded.readOnlyOmitted ?? false).toBe(false);
  } else {
    expect(decoded.readOnlyOmitted).toBe(true);
    expect(decoded.readOnly).toBe(false);
    delete actual.readOnly;
  }
  delete actual.readOnlyOmitted;
  for (const field of fixture.unverified ?? []) delete actual[field];
  expect(actual).toEqual(fixture.expected);
}

function checkFrame(fixture: GoldenFrame): void {
  const frame = payloadOf(fixture);
  let reencoded: Uint8Array;
  if (fixture.opType === OpCode.createSession) {
    if (fixture.direction === 'client-to-server') {
      const decoded = decodeConnectRequest(frame);
      expectConnectRecord(decoded, fixture);
      reencoded = encodeConnectRequest(decoded);
    } else {
      const decoded = decodeConnectResponse(frame);
      expectConnectRecord(decoded, fixture);
      reencoded = encodeConnectResponse(decoded);
    }
  } else if (fixture.direction === 'client-to-server') {
    const decoded = decodeRequest(frame);
    expect(decoded.type).toBe(fixture.opType);
    expect({ header: notation(decoded.header), body: notation(decoded.body) }).toEqual(fixture.expected);
    reencoded = encodeRequest(decoded.header as { xid: number; type: RequestOp }, decoded.body as never);
  } else {
    const decoded = decodeResponse(frame, () => fixture.opType);
    switch (decoded.kind) {
      case 'notification':
        expect(fixture.opType).toBe(OpCode.notification);
        expect({ header: notation(decoded.header), body: notation(decoded.event) }).toEqual(fixture.expected);
        reencoded = encodeWatcherEvent(decoded.header.zxid, decoded.event);
        break;
      case 'ping':
        expect(fixture.opType).toBe(OpCode.ping);
        expect({ header: notation(decoded.header), body: null }).toEqual(fixture.expected);
        reencoded = encodeResponse(decoded.header, OpCode.ping);
        break;
      case 'response':
        expect(decoded.opType).toBe(fixture.opType);
        expect({ header: notation(decoded.header), body: responseBodyNotation(decoded.opType, decoded.body) }).toEqual(fixture.expected);
        reencoded = encodeResponse(decoded.header, decoded.opType as ResponseOp, decoded.body as never);
        break;
      default:
        throw new Error(`golden frame ${fixture.name} decoded as unexpected kind ${decoded.kind}`);
    }
  }
  expect(toHex(reencoded)).toBe(toHex(frame));
  expect(toHex(encodeLengthPrefixed(reencoded))).toBe(fixture.hex);
}

describe('golden frames from Apache ZooKeeper 3.8', () => {
  test('cover the handshake, the core ops, multi, notifications, ping and close', () => {
    const names = new Set(fixtures.map((fixture) => fixture.name));
    expect(names.size).toBe(fixtures.length);
    const ops = new Set(fixtures.map((fixture) => `${fixture.direction}:${fixture.opType}`));
    const required: Array<[GoldenFrame['direction'], number]> = [
      ['client-to-server', OpCode.createSession],
      ['server-to-client', OpCode.createSession],
      ['client-to-server', OpCode.create],
      ['server-to-client', OpCode.create],
      ['client-to-server', OpCode.getData],
      ['server-to-client', OpCode.getData],
      ['client-to-server', OpCode.setData],
      ['server-to-client', OpCode.setData],
      ['client-to-server', OpCode.getChildren2],
      ['server-to-client', OpCode.getChildren2],
      ['client-to-server', OpCode.exists],
      ['server-to-client', OpCode.exists],
      ['client-to-server', OpCode.delete],
      ['server-to-client', OpCode.delete],
      ['server-to-client', OpCode.notification],
      ['client-to-server', OpCode.ping],
      ['server-to-client', OpCode.ping],
      ['client-to-server', OpCode.multi],
      ['server-to-client', OpCode.multi],
      ['client-to-server', OpCode.closeSession],
      ['server-to-client', OpCode.closeSession],
    ];
    for (const [direction, op] of required) expect(ops, `${direction} op ${op}`).toContain(`${direction}:${op}`);
    expect(fixtures.some((f) => f.opType === OpCode.createSession && f.direction === 'client-to-server' && f.expected.readOnly === true)).toBe(true);
  });

  test.each(fixtures.map((fixture) => [fixture.name, fixture] as const))('%s decodes to the recorded values and re-encodes byte for byte', (_name, fixture) => {
    checkFrame(fixture);
  });

  test('FrameDecoder splits the recorded stream however it is chunked', () => {
    const stream = fromHex(fixtures.map((fixture) => fixture.hex).join(''));
    for (const chunkBytes of [1, 3, 7, 64, stream.length]) {
      const decoder = new FrameDecoder();
      const frames: string[] = [];
      for (let offset = 0; offset < stream.length; offset += chunkBytes) {
        for (const frame of decoder.push(stream.subarray(offset, offset + chunkBytes))) frames.push(toHex(frame));
      }
      expect(frames).toEqual(fixtures.map((fixture) => fixture.hex.slice(8)));
      expect(decoder.bufferedBytes).toBe(0);
    }
  });
});
