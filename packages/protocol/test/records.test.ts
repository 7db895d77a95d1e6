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

describe('bytes of ZooKeeper 3.8.0\'s own jute classes', () => {
  // Produced by serializing the same values with the 3.8.0 jars' MultiOperationRecord,
  // MultiResponse, SetWatches2, TxnHeader, … (BinaryOutputArchive).
  const javaBytes: Record<string, string> = {
    multiRead: '0000000400ffffffff000000022f61000000000800ffffffff000000022f6200ffffffff01ffffffff',
    multiWrite: '0000001500ffffffff000000022f630000000101000000020000001f00000005776f726c6400000006616e796f6e65000000010000000664696765737400000003753a680000000500000000000013880000000d00ffffffff000000022f64000000030000000500ffffffff000000022f65ffffffffffffffff0000001300ffffffff000000022f66ffffffff000000020000001f00000005776f726c6400000006616e796f6e65000000010000000664696765737400000003753a6800000004ffffffff01ffffffff',
    multiResp: '000000040000000000000000010900000000000000010000000000000002000000000000000300000000000000040000000500000006000000070000000000000008000000090000000a000000000000000b0000000800000000000000000200000001780000000179ffffffff00ffffff9bffffff9b0000000f0000000000000000022f6300000000000000010000000000000002000000000000000300000000000000040000000500000006000000070000000000000008000000090000000a000000000000000b00000005000000000000000000000000010000000000000002000000000000000300000000000000040000000500000006000000070000000000000008000000090000000a000000000000000b0000000d0000000000000000010000000000000000022f70000000020000000000ffffffff01ffffffff',
    setWatches2: '000000000000000700000001000000022f610000000000000002000000022f62000000022f6300000001000000022f7000000001000000022f72',
    getACLResp: '000000020000001f00000005776f726c6400000006616e796f6e65000000010000000664696765737400000003753a6800000000000000010000000000000002000000000000000300000000000000040000000500000006000000070000000000000008000000090000000a000000000000000b',
    whoAmI: '00000002000000026970000000093132372e302e302e31000000066469676573740000000175',
    txnHeader: '00000000000012340000000500000001000000070000018bcfe5680000000001',
    createTxn: '000000022f6effffffff000000020000001f00000005776f726c6400000006616e796f6e65000000010000000664696765737400000003753a680100000004',
    multiTxn: '000000020000000200000006000000022f61ffffffff00000004ffffff9b',
    quorumPing: '000000050000000500000000ffffffffffffffff',
    learnerInfo: '0000000000000003000100000000000100000000',
    reconfig: 'ffffffff0000000132ffffffffffffffffffffffff',
    closeSessionTxn: '00000002000000032f6531000000032f6532',
  };

  const st = { czxid: 1n, mzxid: 2n, ctime: 3n, mtime: 4n, version: 5, cversion: 6, aversion: 7, ephemeralOwner: 8n, dataLength: 9, numChildren: 10, pzxid: 11n };
  const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }, { perms: 1, id: { scheme: 'digest', id: 'u:h' } }];
  const cases: Record<string, [RecordCodec<unknown>, unknown]> = {
    multiRead: [codecs.MultiRequest, { ops: [{ type: 4, body: { path: '/a', watch: false } }, { type: 8, body: { path: '/b', watch: false } }] }],
    multiWrite: [codecs.MultiRequest, { ops: [
      { type: 21, body: { path: '/c', data: Uint8Array.of(1), acl, flags: 5, ttl: 5000n } },
      { type: 13, body: { path: '/d', version: 3 } },
      { type: 5, body: { path: '/e', data: null, version: -1 } },
      { type: 19, body: { path: '/f', data: null, acl, flags: 4 } }] }],
    multiResp: [codecs.MultiResponse, { results: [
      { type: 4, err: 0, body: { data: Uint8Array.of(9), stat: st } },
      { type: 8, err: 0, body: { children: ['x', 'y'] } },
      { type: -1, err: -101, body: { err: -101 } },
      { type: 15, err: 0, body: { path: '/c', stat: st } },
      { type: 5, err: 0, body: { stat: st } },
      { type: 13, err: 0 },
      { type: 1, err: 0, body: { path: '/p' } },
      { type: 2, err: 0 }] }],
    setWatches2: [codecs.SetWatches2, { relativeZxid: 7n, dataWatches: ['/a'], existWatches: [], childWatches: ['/b', '/c'], persistentWatches: ['/p'], persistentRecursiveWatches: ['/r'] }],
    getACLResp: [codecs.GetACLResponse, { acl, stat: st }],
    whoAmI: [codecs.WhoAmIResponse, { clientInfo: [{ authScheme: 'ip', user: '127.0.0.1' }, { authScheme: 'digest', user: 'u' }] }],
    txnHeader: [codecs.TxnHeader, { clientId: 0x1234n, cxid: 5, zxid: 0x100000007n, time: 1700000000000n, type: 1 }],
    createTxn: [codecs.CreateTxn, { path: '/n', data: null, acl, ephemeral: true, parentCVersion: 4 }],
    multiTxn: [codecs.MultiTxn, { txns: [{ type: 2, data: Uint8Array.of(0, 0, 0, 2, 47, 97) }, { type: -1, data: Uint8Array.of(0xff, 0xff, 0xff, 0x9b) }] }],
    quorumPing: [codecs.QuorumPacket, { type: 5, zxid: 0x500000000n, data: null, authinfo: null }],
    learnerInfo: [codecs.LearnerInfo, { serverid: 3n, protocolVersion: 0x10000, configVersion: 0x100000000n }],
    reconfig: [codecs.ReconfigRequest, { joiningServers: null, leavingServers: '2', newMembers: null, curConfigId: -1n }],
    closeSessionTxn: [codecs.CloseSessionTxn, { paths2Delete: ['/e1', '/e2'] }],
  };

  for (const [name, [codec, value]] of Object.entries(cases)) {
    it(`matches Java for ${name}`, () => {
      expect(hex(encodeRecord(codec, value))).toBe(javaBytes[name]);
      expect(decodeRecord(codec, fromHex(javaBytes[name] as string))).toEqual(value);
    });
  }
});
