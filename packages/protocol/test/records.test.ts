import { codecs, decodeRecord, encodeRecord, ProtocolError, type RecordCodec } from '@zkts/protocol';
import { describe, expect, it } from 'vitest';
import { arbitrary, type RecordName } from './support/arbitrary.js';
import { fromHex, hex } from './support/hex.js';
import { Rng } from './support/rng.js';

const CASES_PER_RECORD = 60;

describe('record codecs', () => {
  const names = Object.keys(codecs) as RecordName[];

  it('has a generator for every codec', () => {
    expect(Object.keys(arbitrary).sort()).toEqual([...names].sort());
  });

  for (const name of names) {
    it(`round-trips ${name}`, () => {
      const codec = codecs[name] as RecordCodec<unknown>;
      const generate = arbitrary[name] as (rng: Rng) => unknown;
      const rng = new Rng(0x5eed ^ name.length);
      for (let i = 0; i < CASES_PER_RECORD; i++) {
        const value = generate(rng);
        const bytes = encodeRecord(codec, value);
        expect(bytes.length).toBeGreaterThanOrEqual(codec.minBytes);
        const decoded = decodeRecord(codec, bytes);
        expect(decoded).toEqual(value);
        expect(hex(encodeRecord(codec, decoded))).toBe(hex(bytes));
      }
    });

    it(`rejects truncated and extended ${name}`, () => {
      const codec = codecs[name] as RecordCodec<unknown>;
      const generate = arbitrary[name] as (rng: Rng) => unknown;
      const rng = new Rng(0xbad ^ name.length);
      for (let i = 0; i < 10; i++) {
        const bytes = encodeRecord(codec, generate(rng));
        const optionalTail = name === 'ConnectRequest' || name === 'ConnectResponse';
        for (let cut = 0; cut < bytes.length; cut++) {
          if (optionalTail && cut === bytes.length - 1) continue;
          expect(() => decodeRecord(codec, bytes.subarray(0, cut))).toThrow(ProtocolError);
        }
        const longer = new Uint8Array(bytes.length + (optionalTail ? 2 : 1));
        longer.set(bytes);
        expect(() => decodeRecord(codec, longer)).toThrow(ProtocolError);
      }
    });
  }
});

describe('record byte layouts', () => {
  const stat = {
    czxid: 0x0102030405060708n,
    mzxid: 2n,
    ctime: 1700000000000n,
    mtime: -1n,
    version: 1,
    cversion: -1,
    aversion: 0x7fffffff,
    ephemeralOwner: 0n,
    dataLength: 5,
    numChildren: 0,
    pzxid: 3n,
  };

  it('encodes Stat as 68 bytes in jute field order', () => {
    expect(hex(encodeRecord(codecs.Stat, stat))).toBe(
      hex(
        fromHex(`
          0102030405060708 | 0000000000000002 | 0000018bcfe56800 | ffffffffffffffff
          00000001 | ffffffff | 7fffffff | 0000000000000000 | 00000005 | 00000000 | 0000000000000003`),
      ),
    );
  });

  it('encodes ACL world:anyone with all permissions', () => {
    expect(hex(encodeRecord(codecs.ACL, { perms: 31, id: { scheme: 'world', id: 'anyone' } }))).toBe(
      '0000001f' + '00000005' + hex(new TextEncoder().encode('world')) + '00000006' + hex(new TextEncoder().encode('anyone')),
    );
  });

  it('writes null buffers, null strings and null vectors as length -1', () => {
    expect(hex(encodeRecord(codecs.GetDataResponse, { data: null, stat }).subarray(0, 4))).toBe('ffffffff');
    expect(hex(encodeRecord(codecs.ReconfigRequest, { joiningServers: null, leavingServers: '', newMembers: null, curConfigId: -1n }))).toBe(
      'ffffffff' + '00000000' + 'ffffffff' + 'ffffffffffffffff',
    );
    expect(hex(encodeRecord(codecs.QuorumPacket, { type: 5, zxid: 0x100000001n, data: null, authinfo: null }))).toBe(
      '00000005' + '0000000100000001' + 'ffffffff' + 'ffffffff',
    );
  });

  it('keeps null data distinct from empty data', () => {
    const empty = decodeRecord(codecs.SetDataRequest, fromHex('00000002 2f61 | 00000000 | 00000003'));
    const nul = decodeRecord(codecs.SetDataRequest, fromHex('00000002 2f61 | ffffffff | 00000003'));
    expect(empty.data).toEqual(new Uint8Array(0));
    expect(nul.data).toBeNull();
  });

  it('reads null strings and null vectors where null is meaningless as empty', () => {
    expect(decodeRecord(codecs.GetChildrenResponse, fromHex('ffffffff'))).toEqual({ children: [] });
    expect(decodeRecord(codecs.SyncRequest, fromHex('ffffffff'))).toEqual({ path: '' });
  });

  it('encodes the multi framing of MultiOperationRecord', () => {
    const bytes = encodeRecord(codecs.MultiRequest, {
      ops: [
        { type: 1, body: { path: '/a', data: new Uint8Array([7]), acl: [], flags: 0 } },
        { type: 2, body: { path: '/b', version: -1 } },
      ],
    });
    expect(hex(bytes)).toBe(
      hex(
        fromHex(`
          00000001 00 ffffffff | 00000002 2f61 | 00000001 07 | 00000000 | 00000000
          00000002 00 ffffffff | 00000002 2f62 | ffffffff
          ffffffff 01 ffffffff`),
      ),
    );
  });

  it('encodes failed multi results as error results with ErrorResponse bodies', () => {
    const bytes = encodeRecord(codecs.MultiResponse, {
      results: [
        { type: -1, err: 0, body: { err: 0 } },
        { type: -1, err: -101, body: { err: -101 } },
      ],
    });
    expect(hex(bytes)).toBe(
      hex(
        fromHex(`
          ffffffff 00 00000000 | 00000000
          ffffffff 00 ffffff9b | ffffff9b
          ffffffff 01 ffffffff`),
      ),
    );
  });

  it('decodes create2/delete/check/setData results of a successful multi', () => {
    const w = fromHex(`
      0000000f 00 00000000 | 00000002 2f61 | ${hex(encodeRecord(codecs.Stat, stat))}
      00000002 00 00000000
      0000000d 00 00000000
      00000005 00 00000000 | ${hex(encodeRecord(codecs.Stat, stat))}
      ffffffff 01 ffffffff`);
    expect(decodeRecord(codecs.MultiResponse, w)).toEqual({
      results: [
        { type: 15, err: 0, body: { path: '/a', stat } },
        { type: 2, err: 0 },
        { type: 13, err: 0 },
        { type: 5, err: 0, body: { stat } },
      ],
    });
  });

  it('rejects op types MultiOperationRecord does not allow, and mixed read/write ops', () => {
    expect(() => decodeRecord(codecs.MultiRequest, fromHex('00000003 00 ffffffff | 00000002 2f61 01 | ffffffff 01 ffffffff'))).toThrow(
      /Invalid type of op 3/,
    );
    expect(() =>
      decodeRecord(codecs.MultiRequest, fromHex('00000004 00 ffffffff | 00000002 2f61 00 | 00000002 00 ffffffff | 00000002 2f61 ffffffff | ffffffff 01 ffffffff')),
    ).toThrow(/Mixing/);
    expect(() => decodeRecord(codecs.MultiResponse, fromHex('00000003 00 00000000 | ffffffff 01 ffffffff'))).toThrow(/Invalid type 3/);
  });

  it('encodes TxnHeader, FileHeader and LearnerInfo with their fixed sizes', () => {
    expect(encodeRecord(codecs.TxnHeader, { clientId: 1n, cxid: 2, zxid: 3n, time: 4n, type: 1 }).length).toBe(32);
    expect(hex(encodeRecord(codecs.FileHeader, { magic: 0x5a4b4c47, version: 2, dbid: 0n }))).toBe('5a4b4c47' + '00000002' + '0000000000000000');
    expect(encodeRecord(codecs.LearnerInfo, { serverid: 1n, protocolVersion: 0x10000, configVersion: 0n }).length).toBe(20);
  });
});
