import { CreateMode } from '@zkts/protocol';
import { describe, expect, it } from 'vitest';
import { OPEN_ACL_UNSAFE } from '../src/tree/acl.js';
import { DataTree } from '../src/tree/data-tree.js';
import { javaCloneCapacity, javaHashSetOrder, javaStringHash } from '../src/tree/java-hash-set.js';
import type { TxnContext } from '../src/tree/tree-types.js';

const SESSION = 0x100000a33130001n;
let zxid = 1;
const ctx = (): TxnContext => ({ zxid: ++zxid, timeMs: zxid, sessionId: SESSION });

describe('Java HashSet emulation', () => {
  it('hashes strings like String.hashCode', () => {
    expect(javaStringHash('')).toBe(0);
    expect(javaStringHash('a')).toBe(97);
    expect(javaStringHash('hello')).toBe(99162322);
    expect(javaStringHash('zookeeper')).toBe(1600681804);
    expect(javaStringHash('n-0000123456')).toBe(-788787934);
    expect(javaStringHash('é')).toBe(233);
  });

  it('sizes clones like HashMap.putMapEntries', () => {
    expect([1, 2, 3, 6, 7, 12, 13, 24, 25].map(javaCloneCapacity)).toEqual([2, 4, 8, 16, 16, 32, 32, 64, 64]);
  });

  it('orders by bucket, then insertion', () => {
    // "a"=97, "b"=98, "i"=105 in a table of 8: buckets 1, 2, 1
    expect(javaHashSetOrder(['b', 'a', 'i'], 8)).toEqual(['a', 'i', 'b']);
    expect(javaHashSetOrder(['b', 'i', 'a'], 8)).toEqual(['i', 'a', 'b']);
  });
});

describe('orders observed on ZooKeeper 3.8.0', () => {
  // A Java client created /eph, ephemerals e0..e29, deleted every third, then
  // created zz and e3 again, and printed what the server returned.
  function replay(): DataTree {
    const t = new DataTree();
    t.create(ctx(), '/eph', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    for (let i = 0; i < 30; i++) t.create(ctx(), `/eph/e${i}`, null, OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    for (let i = 0; i < 30; i += 3) t.delete(ctx(), `/eph/e${i}`, -1);
    t.create(ctx(), '/eph/zz', null, OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    t.create(ctx(), '/eph/e3', null, OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    return t;
  }
  const ephemeralOrder =
    '/eph/e4,/eph/e5,/eph/e7,/eph/e8,/eph/e29,/eph/e17,/eph/e28,/eph/e16,/eph/e26,/eph/e1,/eph/e2,/eph/e19,/eph/e3,/eph/e10,/eph/zz,/eph/e20,/eph/e14,/eph/e25,/eph/e13,/eph/e23,/eph/e11,/eph/e22'.split(',');

  it('getChildren', () => {
    expect(replay().getChildren('/eph').children.join(',')).toBe('zz,e11,e10,e13,e14,e17,e16,e19,e20,e22,e23,e26,e25,e28,e1,e2,e29,e3,e4,e5,e7,e8');
  });

  it('getEphemerals, with and without a prefix', () => {
    const t = replay();
    expect(t.getEphemerals(SESSION)).toEqual(ephemeralOrder);
    expect(t.getEphemerals(SESSION, ' / ')).toEqual(ephemeralOrder);
    expect(t.getEphemerals(SESSION, '/eph/e1').join(',')).toBe('/eph/e17,/eph/e16,/eph/e1,/eph/e19,/eph/e10,/eph/e14,/eph/e13,/eph/e11');
    expect(t.getEphemerals(0x5n)).toEqual([]);
  });

  it('closeSession deletes in that order (NodeDeleted watch order)', () => {
    const t = replay();
    const watched = t.getChildren('/eph').children.map((c) => `/eph/${c}`);
    for (const p of watched) t.exists(p, 'w');
    const { deleted, events } = t.closeSession(ctx());
    expect(deleted).toEqual(ephemeralOrder);
    expect(events.filter((e) => e.event.type === 2).map((e) => e.event.path)).toEqual(ephemeralOrder);
    expect(t.getEphemerals(SESSION)).toEqual([]);
    expect(t.getChildren('/eph').children).toEqual([]);
    expect(t.ephemeralCount).toBe(0);
  });
});
