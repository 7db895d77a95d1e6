import {
  type DecodedResponse,
  decodeConnectRequest,
  decodeConnectResponse,
  decodeRequest,
  decodeResponse,
  encodeConnectRequest,
  encodeConnectResponse,
  encodeRequest,
  encodeResponse,
  encodeWatcherEvent,
  ErrorCode,
  EventType,
  KeeperState,
  OpCode,
  ProtocolError,
  type RequestOp,
  type ResponseOp,
} from '@zkts/protocol';
import { describe, expect, it } from 'vitest';
import { requestBodies, requestOps, responseBodies, responseOps } from './support/arbitrary.js';
import { fromHex, hex } from './support/hex.js';
import { Rng } from './support/rng.js';

const CASES_PER_OP = 40;

describe('connect frames', () => {
  const newSession = {
    protocolVersion: 0,
    lastZxidSeen: 0n,
    timeOut: 30000,
    sessionId: 0n,
    passwd: new Uint8Array(16),
    readOnly: false,
  };

  it('lays out a new-session ConnectRequest as 28 fixed bytes + 4 + 16 passwd + 1 readOnly = 45', () => {
    const frame = encodeConnectRequest(newSession);
    expect(frame.length).toBe(45);
    expect(hex(frame)).toBe(
      hex(fromHex(`00000000 | 0000000000000000 | 00007530 | 0000000000000000 | 00000010 ${'00'.repeat(16)} | 00`)),
    );
    expect(decodeConnectRequest(frame)).toEqual(newSession);
  });

  it('accepts a ConnectRequest without the readOnly flag (pre-3.4 clients) and re-encodes it the same', () => {
    const frame = encodeConnectRequest(newSession).subarray(0, 44);
    const decoded = decodeConnectRequest(frame);
    expect(decoded).toEqual({ ...newSession, readOnly: false, readOnlyOmitted: true });
    expect(hex(encodeConnectRequest(decoded))).toBe(hex(frame));
  });

  it('lays out a ConnectResponse as 16 fixed bytes + 4 + 16 passwd + 1 readOnly = 37', () => {
    const res = { protocolVersion: 0, timeOut: 4000, sessionId: 0x1000023a3c50000n, passwd: Uint8Array.from({ length: 16 }, (_, i) => i), readOnly: true };
    const frame = encodeConnectResponse(res);
    expect(hex(frame)).toBe(hex(fromHex(`00000000 | 00000fa0 | 01000023a3c50000 | 00000010 000102030405060708090a0b0c0d0e0f | 01`)));
    expect(decodeConnectResponse(frame)).toEqual(res);
    const old = decodeConnectResponse(frame.subarray(0, 36));
    expect(old.readOnly).toBe(false);
    expect(old.readOnlyOmitted).toBe(true);
    expect(hex(encodeConnectResponse(old))).toBe(hex(frame.subarray(0, 36)));
  });

  it('rejects truncated connect frames and trailing bytes', () => {
    const frame = encodeConnectRequest(newSession);
    expect(() => decodeConnectRequest(frame.subarray(0, 43))).toThrow(ProtocolError);
    expect(() => decodeConnectRequest(Uint8Array.of(...frame, 0))).toThrow(ProtocolError);
    expect(() => decodeConnectResponse(new Uint8Array(10))).toThrow(ProtocolError);
  });
});

describe('request frames', () => {
  it('lays out a getData request: header, path, watch', () => {
    const frame = encodeRequest({ xid: 1, type: OpCode.getData }, { path: '/a', watch: true });
    expect(hex(frame)).toBe('00000001' + '00000004' + '00000002' + '2f61' + '01');
  });

  it('lays out header-only requests as 8 bytes', () => {
    expect(hex(encodeRequest({ xid: -2, type: OpCode.ping }))).toBe('fffffffe0000000b');
    expect(hex(encodeRequest({ xid: 9, type: OpCode.closeSession }))).toBe('00000009fffffff5');
    expect(decodeRequest(fromHex('00000007 0000006b'))).toEqual({ type: OpCode.whoAmI, header: { xid: 7, type: 107 }, body: undefined });
  });

  for (const op of requestOps) {
    it(`round-trips op ${op} requests`, () => {
      const rng = new Rng(1000 + op);
      const generate = requestBodies[op] as ((rng: Rng) => unknown) | undefined;
      for (let i = 0; i < CASES_PER_OP; i++) {
        const header = { xid: rng.int32(), type: op };
        const body = generate?.(rng);
        const frame = encodeRequest(header as { xid: number; type: RequestOp }, body as never);
        const decoded = decodeRequest(frame);
        expect(decoded).toEqual({ type: op, header, body });
        expect(hex(encodeRequest(decoded.header as { xid: number; type: RequestOp }, decoded.body as never))).toBe(hex(frame));
      }
    });
  }

  it('rejects unknown op codes with the header attached', () => {
    const frame = fromHex('0000002a 0000000a');
    try {
      decodeRequest(frame);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ProtocolError);
      expect((e as ProtocolError).header).toEqual({ xid: 42, type: 10 });
    }
    expect(() => decodeRequest(fromHex('00000001 00000014 00000002 2f61'))).toThrow(/Unknown op code 20/); // deleteContainer is server-internal
  });

  it('rejects malformed bodies and trailing bytes, keeping the header', () => {
    const good = encodeRequest({ xid: 5, type: OpCode.delete }, { path: '/node', version: 3 });
    for (const bad of [good.subarray(0, good.length - 1), Uint8Array.of(...good, 0)]) {
      try {
        decodeRequest(bad);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ProtocolError);
        expect((e as ProtocolError).header).toEqual({ xid: 5, type: OpCode.delete });
      }
    }
    expect(() => decodeRequest(fromHex('000000'))).toThrow(ProtocolError);
    expect(() => decodeRequest(fromHex('fffffffe 0000000b 00'))).toThrow(/trailing/);
  });

  it('narrows the body by the top-level type', () => {
    const decoded = decodeRequest(encodeRequest({ xid: 1, type: OpCode.create }, { path: '/x', data: null, acl: [], flags: 1 }));
    if (decoded.type !== OpCode.create) throw new Error('wrong type');
    expect(decoded.body.flags).toBe(1);
    expect(decoded.body.data).toBeNull();
  });

  it('returns buffer fields as views of the frame', () => {
    const frame = encodeRequest({ xid: 1, type: OpCode.setData }, { path: '/x', data: Uint8Array.of(1, 2, 3), version: -1 });
    const decoded = decodeRequest(frame);
    if (decoded.type !== OpCode.setData) throw new Error('wrong type');
    expect(decoded.body.data?.buffer).toBe(frame.buffer);
  });
});

describe('response frames', () => {
  it('lays out an error reply as the 16-byte header only', () => {
    const frame = encodeResponse({ xid: 3, zxid: 0x10n, err: ErrorCode.NO_NODE }, OpCode.exists);
    expect(hex(frame)).toBe('00000003' + '0000000000000010' + 'ffffff9b');
    expect(decodeResponse(frame, () => OpCode.exists)).toEqual({
      kind: 'response',
      opType: OpCode.exists,
      header: { xid: 3, zxid: 0x10n, err: -101 },
      body: undefined,
    });
  });

  it('ignores a body passed with an error reply, and ignores bytes after an error header when decoding', () => {
    const stat = {
      czxid: 1n, mzxid: 1n, ctime: 1n, mtime: 1n, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 0, numChildren: 0, pzxid: 1n,
    };
    const frame = encodeResponse({ xid: 3, zxid: 1n, err: ErrorCode.NODE_EXISTS }, OpCode.create2, { path: '/a', stat });
    expect(frame.length).toBe(16);
    const withBody = Uint8Array.of(...frame, 0, 0, 0, 2, 0x2f, 0x61);
    expect(decodeResponse(withBody, () => OpCode.create)).toMatchObject({ kind: 'response', body: undefined });
  });

  it('rejects trailing bytes and truncation in a successful reply', () => {
    const frame = encodeResponse({ xid: 7, zxid: 1n, err: 0 }, OpCode.sync, { path: '/a' });
    expect(() => decodeResponse(Uint8Array.of(...frame, 0), () => OpCode.sync)).toThrow(/trailing/);
    expect(() => decodeResponse(frame.subarray(0, frame.length - 1), () => OpCode.sync)).toThrow(ProtocolError);
    expect(() => decodeResponse(encodeResponse({ xid: 7, zxid: 1n, err: 0 }, OpCode.delete).subarray(0, 15), () => OpCode.delete)).toThrow(ProtocolError);
  });

  it('encodes an error reply as the header alone, whatever op it answers', () => {
    const frame = encodeResponse({ xid: 8, zxid: 2n, err: ErrorCode.MARSHALLING_ERROR }, OpCode.error);
    expect(hex(frame)).toBe('00000008' + '0000000000000002' + 'fffffffb');
    const dispatchedType: number = OpCode.getData;
    expect(encodeResponse({ xid: 8, zxid: 2n, err: ErrorCode.NO_NODE }, dispatchedType).length).toBe(16);
    expect(() => encodeResponse({ xid: 8, zxid: 2n, err: 0 }, OpCode.error)).toThrow(/no response format/);
    expect(() => encodeResponse({ xid: 8, zxid: 2n, err: 0 }, OpCode.getData)).toThrow(/needs a body/);
  });

  it('lays out a successful create reply with its path', () => {
    const frame = encodeResponse({ xid: 7, zxid: 0x200000001n, err: 0 }, OpCode.create, { path: '/a0000000001' });
    expect(hex(frame)).toBe('00000007' + '0000000200000001' + '00000000' + '0000000c' + hex(new TextEncoder().encode('/a0000000001')));
  });

  for (const op of responseOps) {
    it(`round-trips op ${op} replies`, () => {
      const rng = new Rng(2000 + op);
      const generate = responseBodies[op] as ((rng: Rng) => unknown) | undefined;
      for (let i = 0; i < CASES_PER_OP; i++) {
        const xid = rng.range(1, 0x7fffffff);
        const err = rng.chance(0.2) ? rng.pick([-101, -110, -4]) : 0;
        const body = err === 0 ? generate?.(rng) : undefined;
        const header = { xid, zxid: rng.int64(), err };
        const frame = encodeResponse(header, op as ResponseOp, body as never);
        const seen: number[] = [];
        const decoded = decodeResponse(frame, (x) => {
          seen.push(x);
          return op;
        });
        expect(seen).toEqual([xid]);
        expect(decoded).toEqual({ kind: 'response', opType: op, header, body });
        expect(hex(encodeResponse(header, op as ResponseOp, (decoded as { body: unknown }).body as never))).toBe(hex(frame));
      }
    });
  }

  it('decodes the reserved xids without asking for their op', () => {
    const never = (): number => {
      throw new Error('must not be asked');
    };
    const cases: Array<[number, DecodedResponse['kind']]> = [
      [-2, 'ping'],
      [-4, 'auth'],
      [-8, 'setWatches'],
    ];
    for (const [xid, kind] of cases) {
      const frame = encodeResponse({ xid, zxid: 5n, err: 0 }, xid === -2 ? OpCode.ping : xid === -4 ? OpCode.auth : OpCode.setWatches);
      expect(frame.length).toBe(16);
      expect(decodeResponse(frame, never)).toEqual({ kind, header: { xid, zxid: 5n, err: 0 } });
      expect(() => decodeResponse(Uint8Array.of(...frame, 1), never)).toThrow(ProtocolError);
    }
    const authFailed = encodeResponse({ xid: -4, zxid: 0n, err: ErrorCode.AUTH_FAILED }, OpCode.auth);
    expect(decodeResponse(authFailed, never)).toEqual({ kind: 'auth', header: { xid: -4, zxid: 0n, err: -115 } });
  });

  it('encodes and decodes watch notifications', () => {
    const event = { type: EventType.NodeDataChanged, state: KeeperState.SyncConnected, path: '/a' };
    const frame = encodeWatcherEvent(-1n, event);
    expect(hex(frame)).toBe('ffffffff' + 'ffffffffffffffff' + '00000000' + '00000003' + '00000003' + '00000002' + '2f61');
    expect(decodeResponse(frame, () => undefined)).toEqual({ kind: 'notification', header: { xid: -1, zxid: -1n, err: 0 }, event });
  });

  it('rejects replies for unknown xids and ops without a reply format', () => {
    const frame = encodeResponse({ xid: 9, zxid: 0n, err: 0 }, OpCode.delete);
    expect(() => decodeResponse(frame, () => undefined)).toThrow(/no pending request/);
    expect(() => decodeResponse(frame, () => OpCode.deleteContainer)).toThrow(ProtocolError);
  });

  it('treats a failed multi as err 0 with error results', () => {
    const body = {
      results: [
        { type: -1 as const, err: 0, body: { err: 0 } },
        { type: -1 as const, err: ErrorCode.BAD_VERSION, body: { err: ErrorCode.BAD_VERSION } },
        { type: -1 as const, err: ErrorCode.RUNTIME_INCONSISTENCY, body: { err: ErrorCode.RUNTIME_INCONSISTENCY } },
      ],
    };
    const frame = encodeResponse({ xid: 4, zxid: 9n, err: 0 }, OpCode.multi, body);
    const decoded = decodeResponse(frame, () => OpCode.multi);
    expect(decoded).toEqual({ kind: 'response', opType: OpCode.multi, header: { xid: 4, zxid: 9n, err: 0 }, body });
  });
});

/** Compile-time checks of the frame functions' typing (run by tsc over the tests, never called). */
export function typeChecks(): void {
  encodeRequest({ xid: 1, type: OpCode.exists }, { path: '/a', watch: false });
  // @ts-expect-error exists takes ExistsRequest, not SyncRequest
  encodeRequest({ xid: 1, type: OpCode.exists }, { path: '/a' });
  const dispatched: number = OpCode.sync;
  encodeResponse({ xid: 1, zxid: 0n, err: 0 }, dispatched, { path: '/a' });
  // @ts-expect-error getData answers with GetDataResponse
  encodeResponse({ xid: 1, zxid: 0n, err: 0 }, OpCode.getData, { path: '/a' });
}
