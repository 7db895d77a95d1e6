import { CreateMode } from '@zkts/protocol';
import { describe, expect, it } from 'vitest';
import { OPEN_ACL_UNSAFE } from '../src/tree/acl.js';
import { DataTree } from '../src/tree/data-tree.js';
import { CONTAINER_EPHEMERAL_OWNER, ephemeralTypeOf, MAX_TTL_MS, ttlEphemeralOwner, ttlOf } from '../src/tree/ephemeral-type.js';
import type { TxnContext } from '../src/tree/tree-types.js';

const at = (zxid: number, timeMs: number): TxnContext => ({ zxid, timeMs, sessionId: 3n });

describe('ephemeralOwner encoding', () => {
  it('matches EphemeralType: container = Long.MIN_VALUE, TTL = 0xFF00… | ttl', () => {
    expect(CONTAINER_EPHEMERAL_OWNER).toBe(-9223372036854775808n);
    expect(BigInt.asUintN(64, ttlEphemeralOwner(1))).toBe(0xff00000000000001n);
    expect(ttlOf(ttlEphemeralOwner(MAX_TTL_MS))).toBe(2 ** 40 - 1);
    expect(ephemeralTypeOf(0n, true)).toBe('VOID');
    expect(ephemeralTypeOf(0x1234n, true)).toBe('NORMAL');
    expect(ephemeralTypeOf(CONTAINER_EPHEMERAL_OWNER, true)).toBe('CONTAINER');
    expect(ephemeralTypeOf(CONTAINER_EPHEMERAL_OWNER, false)).toBe('CONTAINER');
    expect(ephemeralTypeOf(ttlEphemeralOwner(5), true)).toBe('TTL');
    expect(ephemeralTypeOf(ttlEphemeralOwner(5), false)).toBe('NORMAL');
  });

  it('stores the raw owner (persisted) but shows 0 to clients', () => {
    const t = new DataTree();
    t.create(at(1, 0), '/c', null, OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
    t.create(at(2, 0), '/t', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 1234);
    expect(t.persistedStat('/c')?.ephemeralOwner).toBe(CONTAINER_EPHEMERAL_OWNER);
    expect(t.persistedStat('/t')?.ephemeralOwner).toBe(ttlEphemeralOwner(1234));
    expect(t.stat('/c')?.ephemeralOwner).toBe(0n);
    expect(t.stat('/t')?.ephemeralOwner).toBe(0n);
  });
});

describe('sweepCandidates (ContainerManager.getCandidates)', () => {
  it('containers: never a fresh one, yes once it had a child and is empty, no while it has children', () => {
    const t = new DataTree();
    t.create(at(1, 0), '/fresh', null, OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
    t.create(at(2, 0), '/used', null, OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
    t.create(at(3, 0), '/used/child', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    t.create(at(4, 0), '/busy', null, OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
    t.create(at(5, 0), '/busy/child', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    expect(t.sweepCandidates(10 ** 12)).toEqual([]);
    t.delete(at(6, 0), '/used/child', -1);
    expect(t.sweepCandidates(0)).toEqual(['/used']);
    t.deleteContainer(at(7, 0), '/used');
    expect(t.sweepCandidates(0)).toEqual([]);
  });

  it('containers never used: only with maxNeverUsedIntervalMs, once now − mtime exceeds it', () => {
    const t = new DataTree();
    t.create(at(1, 1000), '/fresh', null, OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
    expect(t.sweepCandidates(999_999, 0)).toEqual([]);
    expect(t.sweepCandidates(1500, 500)).toEqual([]);
    expect(t.sweepCandidates(1501, 500)).toEqual(['/fresh']);
  });

  it('TTL nodes: candidates when childless and now − mtime > ttl; setData renews', () => {
    const t = new DataTree();
    t.create(at(1, 1000), '/t', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 100);
    t.create(at(2, 1000), '/tp', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, 100);
    t.create(at(3, 1000), '/tk', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 100);
    t.create(at(4, 1000), '/tk/child', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    expect(t.sweepCandidates(1100)).toEqual([]);
    expect(t.sweepCandidates(1101)).toEqual(['/t', '/tp0000000001']);
    t.setData(at(5, 1050), '/t', null, -1);
    expect(t.sweepCandidates(1101)).toEqual(['/tp0000000001']);
    expect(t.sweepCandidates(1151)).toEqual(['/t', '/tp0000000001']);
  });

  it('lists containers before TTL nodes, each in creation order', () => {
    const t = new DataTree();
    t.create(at(1, 0), '/t1', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 1);
    t.create(at(2, 0), '/c1', null, OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
    t.create(at(3, 0), '/c1/x', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    t.delete(at(4, 0), '/c1/x', -1);
    t.create(at(5, 0), '/t0', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 1);
    expect(t.sweepCandidates(100)).toEqual(['/c1', '/t1', '/t0']);
  });

  it('restored trees keep their containers and TTL nodes', () => {
    const t = new DataTree();
    t.create(at(1, 0), '/c', null, OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
    t.create(at(2, 0), '/c/x', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    t.delete(at(3, 0), '/c/x', -1);
    t.create(at(4, 0), '/t', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 10);
    const restored = DataTree.fromNodes(t.snapshotNodes());
    expect(restored.sweepCandidates(100)).toEqual(['/c', '/t']);
  });
});
