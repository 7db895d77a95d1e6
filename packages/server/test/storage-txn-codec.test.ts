import { CreateMode, OpCode, type MultiRequest } from '@zkts/protocol';
import { describe, expect, it } from 'vitest';
import type { Txn } from '../src/replication/replicator.js';
import { createFaultRng } from '../src/storage/faulty-fs.js';
import { TxnCodecError, decodeTxn, encodeTxn } from '../src/storage/txn-codec.js';
import { OPEN_ACL, SESSION, T0 } from './storage-helpers.js';

const bytes = (text: string) => new TextEncoder().encode(text);

function txn(type: number, body: unknown, extra: Partial<Txn> = {}): Txn {
  return { zxid: 0x500000007, timeMs: T0, sessionId: SESSION, cxid: 42, type, body, authIds: [], superUser: false, ...extra };
}

const multi: MultiRequest = {
  ops: [
    { type: OpCode.create, body: { path: '/m/a', data: bytes('a'), acl: OPEN_ACL, flags: CreateMode.EPHEMERAL } },
    { type: OpCode.createTTL, body: { path: '/m/t', data: null, acl: OPEN_ACL, flags: CreateMode.PERSISTENT_WITH_TTL, ttl: 5000n } },
    { type: OpCode.setData, body: { path: '/m', data: bytes('x'), version: 3 } },
    { type: OpCode.check, body: { path: '/m', version: 4 } },
    { type: OpCode.delete, body: { path: '/m/b', version: -1 } },
  ],
};

/** One transaction of every type the server logs. */
const samples: Txn[] = [
  txn(OpCode.createSession, { timeOut: 30_000 }),
  txn(OpCode.closeSession, undefined),
  txn(OpCode.create, { path: '/a', data: bytes('hello'), acl: OPEN_ACL, flags: CreateMode.PERSISTENT_SEQUENTIAL }),
  txn(OpCode.create2, { path: '/b', data: null, acl: OPEN_ACL, flags: CreateMode.EPHEMERAL }),
  txn(OpCode.createContainer, { path: '/c', data: new Uint8Array(0), acl: OPEN_ACL, flags: CreateMode.CONTAINER }),
  txn(OpCode.createTTL, { path: '/d', data: bytes('t'), acl: OPEN_ACL, flags: CreateMode.PERSISTENT_WITH_TTL, ttl: 60_000n }),
  txn(OpCode.delete, { path: '/a', version: 7 }),
  txn(OpCode.deleteContainer, { path: '/c' }),
  txn(OpCode.setData, { path: '/b', data: bytes('ü—unicode'), version: -1 }),
  txn(OpCode.setACL, { path: '/b', acl: [{ perms: 1, id: { scheme: 'digest', id: 'bob:x' } }], version: 0 }),
  txn(OpCode.check, { path: '/b', version: 2 }),
  txn(OpCode.multi, multi, { authIds: [{ scheme: 'digest', id: 'bob:x' }, { scheme: 'ip', id: '127.0.0.1' }], superUser: true }),
  txn(OpCode.reconfig, { joiningServers: 'server.4=h:1:2', leavingServers: null, newMembers: null, curConfigId: -1n }),
];

describe('txn codec', () => {
  it.each(samples.map((s) => [s.type, s] as const))('round-trips type %i', (_type, sample) => {
    const decoded = decodeTxn(encodeTxn(sample));
    expect(decoded).toEqual(sample);
  });

  it('keeps negative cxids, full 64-bit session ids and large zxids', () => {
    const sample = txn(OpCode.createSession, { timeOut: 1 }, { cxid: -2, sessionId: -0x7fffffffffffffffn, zxid: Number.MAX_SAFE_INTEGER });
    expect(decodeTxn(encodeTxn(sample))).toEqual(sample);
  });

  it('rejects every truncation of a valid encoding with TxnCodecError', () => {
    for (const sample of samples) {
      const encoded = encodeTxn(sample);
      for (let length = 0; length < encoded.length; length++) {
        expect(() => decodeTxn(encoded.slice(0, length)), `type ${sample.type} cut at ${length}`).toThrow(TxnCodecError);
      }
    }
  });

  it('rejects trailing bytes', () => {
    const encoded = encodeTxn(samples[2]!);
    const longer = new Uint8Array(encoded.length + 1);
    longer.set(encoded);
    expect(() => decodeTxn(longer)).toThrow(TxnCodecError);
  });

  it('never throws anything but TxnCodecError on garbage or flipped bytes', () => {
    const rng = createFaultRng(7);
    const outcomes = { decoded: 0, rejected: 0 };
    const attempt = (input: Uint8Array) => {
      try {
        decodeTxn(input);
        outcomes.decoded++;
      } catch (error) {
        expect(error).toBeInstanceOf(TxnCodecError);
        outcomes.rejected++;
      }
    };
    for (let i = 0; i < 2000; i++) {
      const garbage = new Uint8Array(rng.nextUint32() % 200);
      for (let j = 0; j < garbage.length; j++) garbage[j] = rng.nextUint32() & 0xff;
      attempt(garbage);
    }
    for (const sample of samples) {
      const encoded = encodeTxn(sample);
      for (let at = 0; at < encoded.length; at++) {
        for (const mask of [0x01, 0x80, 0xff]) {
          const flipped = encoded.slice();
          flipped[at]! ^= mask;
          attempt(flipped);
        }
      }
    }
    expect(outcomes.rejected).toBeGreaterThan(2000);
  });

  it('names the unknown type or format version', () => {
    const encoded = encodeTxn(samples[0]!);
    const badVersion = encoded.slice();
    badVersion[3] = 9;
    expect(() => decodeTxn(badVersion)).toThrow(/format version 9/);
  });
});
