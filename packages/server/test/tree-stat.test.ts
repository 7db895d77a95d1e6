import { CreateMode, type Stat } from '@zkts/protocol';
import { describe, expect, it } from 'vitest';
import { OPEN_ACL_UNSAFE } from '../src/tree/acl.js';
import { DataTree } from '../src/tree/data-tree.js';
import { formatSequenceSuffix } from '../src/tree/sequence-suffix.js';
import type { PersistedStat, SnapshotNode, TxnContext } from '../src/tree/tree-types.js';

const SESSION = 0x100000a33130000n;
const T0 = 1_700_000_000_000;
const ctx = (zxid: number, sessionId = SESSION): TxnContext => ({ zxid, timeMs: T0 + zxid, sessionId });
const bytes = (n: number) => new Uint8Array(n);

/** The Stat fields that matter for a comparison, with zxids and times as numbers. */
function view(stat: Stat | null) {
  if (stat === null) return null;
  return {
    czxid: Number(stat.czxid),
    mzxid: Number(stat.mzxid),
    pzxid: Number(stat.pzxid),
    ctime: Number(stat.ctime),
    mtime: Number(stat.mtime),
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    ephemeralOwner: stat.ephemeralOwner,
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
  };
}

describe('system nodes', () => {
  it('has ZooKeeper 3.8.0 stats and ACLs for /, /zookeeper, /zookeeper/quota and /zookeeper/config', () => {
    const t = new DataTree();
    // Observed on ZooKeeper 3.8.0: the system nodes are added without bumping cversion,
    // so the visible cversion (2·cversion − numChildren) is negative.
    expect(view(t.stat('/'))).toMatchObject({ czxid: 0, mzxid: 0, pzxid: 0, version: 0, cversion: -1, aversion: 0, numChildren: 1 });
    expect(view(t.stat('/zookeeper'))).toMatchObject({ cversion: -2, numChildren: 2, aversion: 0 });
    expect(view(t.stat('/zookeeper/quota'))).toMatchObject({ cversion: 0, numChildren: 0, aversion: 0 });
    expect(view(t.stat('/zookeeper/config'))).toMatchObject({ cversion: 0, numChildren: 0, aversion: -1, dataLength: 0 });
    expect(t.getACL('/').acl).toEqual([{ perms: 31, id: { scheme: 'world', id: 'anyone' } }]);
    expect(t.getACL('/zookeeper').acl).toEqual(OPEN_ACL_UNSAFE);
    expect(t.getACL('/zookeeper/quota').acl).toEqual(OPEN_ACL_UNSAFE);
    expect(t.getACL('/zookeeper/config').acl).toEqual([{ perms: 1, id: { scheme: 'world', id: 'anyone' } }]);
    expect(t.getChildren('/').children).toEqual(['zookeeper']);
    expect(t.getChildren('/zookeeper').children).toEqual(['config', 'quota']);
    expect(t.getData('/zookeeper/config').data).toEqual(new Uint8Array(0));
  });

  it('counts nodes as ZooKeeper does (the root twice) and descendants exactly', () => {
    const t = new DataTree();
    expect(t.nodeCount).toBe(5);
    expect(t.getAllChildrenNumber('/')).toBe(3);
    expect(t.getAllChildrenNumber('/zookeeper')).toBe(2);
    expect(t.approximateDataSize).toBe(44);
  });
});

describe('a ZooKeeper 3.8.0 session replayed', () => {
  // Every expectation below was printed by a Java client against ZooKeeper 3.8.0
  // (zxid 1 was the session's createSession).
  it('gives the same stats, names, errors and multi results', () => {
    const t = new DataTree();
    t.create(ctx(2), '/p', bytes(0), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    expect(view(t.stat('/p'))).toEqual({ czxid: 2, mzxid: 2, pzxid: 2, ctime: T0 + 2, mtime: T0 + 2, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 0, numChildren: 0 });
    t.create(ctx(3), '/p/a', bytes(3), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    expect(view(t.stat('/p'))).toMatchObject({ czxid: 2, mzxid: 2, pzxid: 3, cversion: 1, numChildren: 1 });
    expect(view(t.stat('/p/a'))).toMatchObject({ czxid: 3, mzxid: 3, pzxid: 3, dataLength: 3, cversion: 0 });
    expect(t.create(ctx(4), '/p/s-', bytes(0), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL).path).toBe('/p/s-0000000001');
    expect(view(t.stat('/p'))).toMatchObject({ pzxid: 4, cversion: 2, numChildren: 2 });
    t.delete(ctx(5), '/p/a', -1);
    expect(view(t.stat('/p'))).toMatchObject({ mzxid: 2, pzxid: 5, cversion: 3, numChildren: 1 });
    expect(t.create(ctx(6), '/p/s-', bytes(0), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL).path).toBe('/p/s-0000000002');
    expect(view(t.stat('/p'))).toMatchObject({ pzxid: 6, cversion: 4, numChildren: 2 });
    expect(view(t.setData(ctx(7), '/p', bytes(5), -1).stat)).toMatchObject({ czxid: 2, mzxid: 7, pzxid: 6, mtime: T0 + 7, ctime: T0 + 2, version: 1, cversion: 4, dataLength: 5 });
    expect(view(t.setACL(ctx(8), '/p', OPEN_ACL_UNSAFE, -1).stat)).toMatchObject({ mzxid: 7, pzxid: 6, version: 1, cversion: 4, aversion: 1 });
    t.create(ctx(9), '/c', bytes(0), OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
    expect(view(t.stat('/c'))).toMatchObject({ czxid: 9, ephemeralOwner: 0n });
    expect(view(t.create(ctx(10), '/t', bytes(0), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 5000).stat)).toMatchObject({ czxid: 10, ephemeralOwner: 0n });
    t.create(ctx(11), '/e', bytes(0), OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    expect(view(t.stat('/e'))).toMatchObject({ czxid: 11, ephemeralOwner: SESSION });
    expect(() => t.create(ctx(12), '/e/x', bytes(0), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)).toThrow(expect.objectContaining({ code: 'NO_CHILDREN_FOR_EPHEMERALS' }));
    expect(() => t.create(ctx(13), '/e', bytes(0), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)).toThrow(expect.objectContaining({ code: 'NODE_EXISTS' }));
    expect(() => t.delete(ctx(14), '/zookeeper', -1)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENTS' }));
    expect(() => t.setData(ctx(15), '/zookeeper/config', bytes(1), -1)).toThrow(expect.objectContaining({ code: 'NO_AUTH' }));
    const failed = t.multi(ctx(16), [
      { type: 'create', path: '/m1', data: bytes(0), acl: OPEN_ACL_UNSAFE, createMode: CreateMode.PERSISTENT },
      { type: 'check', path: '/m1', version: 0 },
      { type: 'setData', path: '/m1', data: bytes(1), version: 5 },
      { type: 'delete', path: '/m1', version: -1 },
    ]);
    expect(failed.results).toEqual([{ type: 'error', err: 0 }, { type: 'error', err: 0 }, { type: 'error', err: -103 }, { type: 'error', err: -2 }]);
    expect(failed.failure?.error.code).toBe('BAD_VERSION');
    expect(t.stat('/m1')).toBeNull();
    const ok = t.multi(ctx(17), [
      { type: 'create', path: '/m2', data: bytes(0), acl: OPEN_ACL_UNSAFE, createMode: CreateMode.PERSISTENT },
      { type: 'create', path: '/m2/x-', data: bytes(0), acl: OPEN_ACL_UNSAFE, createMode: CreateMode.PERSISTENT_SEQUENTIAL },
      { type: 'create', path: '/m2/x-', data: bytes(0), acl: OPEN_ACL_UNSAFE, createMode: CreateMode.PERSISTENT_SEQUENTIAL },
      { type: 'setData', path: '/m2', data: bytes(2), version: 0 },
      { type: 'check', path: '/m2', version: 1 },
    ]);
    expect(ok.failure).toBeUndefined();
    expect(ok.results.map((r) => (r.type === 'create' ? r.path : r.type))).toEqual(['/m2', '/m2/x-0000000000', '/m2/x-0000000001', 'setData', 'check']);
    const setDataResult = ok.results[3];
    expect(setDataResult?.type === 'setData' && view(setDataResult.stat)).toMatchObject({ czxid: 17, mzxid: 17, pzxid: 17, version: 1, cversion: 2, dataLength: 2, numChildren: 2 });
    expect(t.getChildren('/').children).toEqual(['p', 'c', 'zookeeper', 't', 'e', 'm2']);
  });
});

/** A tree with `/p` (persisted cversion `cversion`) restored from snapshot nodes. */
function treeWithParentCVersion(cversion: number): DataTree {
  const zero: PersistedStat = { czxid: 0, mzxid: 0, ctime: 0, mtime: 0, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, pzxid: 0 };
  const nodes: SnapshotNode[] = [...new DataTree().snapshotNodes()];
  nodes.push({ path: '/p', data: null, acl: OPEN_ACL_UNSAFE, stat: { ...zero, czxid: 1, mzxid: 1, pzxid: 1, cversion } });
  return DataTree.fromNodes(nodes);
}

describe('how each write changes the node and its parent', () => {
  type View = NonNullable<ReturnType<typeof view>>;
  const setup = (t: DataTree) => {
    t.create(ctx(10), '/p', bytes(4), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    t.create(ctx(11), '/p/a', bytes(7), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  };
  // Every field of /p and /p/a before each row.
  const P: View = { czxid: 10, mzxid: 10, pzxid: 11, ctime: T0 + 10, mtime: T0 + 10, version: 0, cversion: 1, aversion: 0, ephemeralOwner: 0n, dataLength: 4, numChildren: 1 };
  const A: View = { czxid: 11, mzxid: 11, pzxid: 11, ctime: T0 + 11, mtime: T0 + 11, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 7, numChildren: 0 };
  /** A node created at zxid 20 with no data. */
  const NEW: View = { czxid: 20, mzxid: 20, pzxid: 20, ctime: T0 + 20, mtime: T0 + 20, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 0, numChildren: 0 };
  /** /p after one more child was created at zxid 20. */
  const P_CREATED: View = { ...P, pzxid: 20, cversion: 2, numChildren: 2 };

  interface Row {
    name: string;
    run: (t: DataTree) => void;
    /** The changed or created node and all its fields afterwards; null if it must be gone. */
    node: [string, View | null];
    parent: View;
  }
  const createRow = (name: string, mode: CreateMode, path: string, actual: string, node: View, ttlMs?: number): Row => ({
    name: `create ${name}`,
    run: (t) => expect(t.create(ctx(20), path, null, OPEN_ACL_UNSAFE, mode, ttlMs).path).toBe(actual),
    node: [actual, node],
    parent: P_CREATED,
  });
  const rows: Row[] = [
    createRow('PERSISTENT', CreateMode.PERSISTENT, '/p/b', '/p/b', NEW),
    createRow('PERSISTENT_SEQUENTIAL', CreateMode.PERSISTENT_SEQUENTIAL, '/p/b-', '/p/b-0000000001', NEW),
    createRow('EPHEMERAL', CreateMode.EPHEMERAL, '/p/b', '/p/b', { ...NEW, ephemeralOwner: SESSION }),
    createRow('EPHEMERAL_SEQUENTIAL', CreateMode.EPHEMERAL_SEQUENTIAL, '/p/b-', '/p/b-0000000001', { ...NEW, ephemeralOwner: SESSION }),
    createRow('CONTAINER', CreateMode.CONTAINER, '/p/b', '/p/b', NEW),
    createRow('PERSISTENT_WITH_TTL', CreateMode.PERSISTENT_WITH_TTL, '/p/b', '/p/b', NEW, 1000),
    createRow('PERSISTENT_SEQUENTIAL_WITH_TTL', CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, '/p/b-', '/p/b-0000000001', NEW, 1000),
    {
      name: 'create with data',
      run: (t) => t.create(ctx(20), '/p/b', bytes(3), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
      node: ['/p/b', { ...NEW, dataLength: 3 }],
      parent: P_CREATED,
    },
    {
      name: 'delete (pzxid moves; the visible cversion grows because numChildren drops)',
      run: (t) => t.delete(ctx(20), '/p/a', -1),
      node: ['/p/a', null],
      parent: { ...P, pzxid: 20, cversion: 2, numChildren: 0 },
    },
    {
      name: 'setData',
      run: (t) => t.setData(ctx(20), '/p/a', bytes(9), 0),
      node: ['/p/a', { ...A, mzxid: 20, mtime: T0 + 20, version: 1, dataLength: 9 }],
      parent: P,
    },
    {
      name: 'setACL',
      run: (t) => t.setACL(ctx(20), '/p/a', OPEN_ACL_UNSAFE, 0),
      node: ['/p/a', { ...A, aversion: 1 }],
      parent: P,
    },
    {
      name: 'multi create + delete + setData',
      run: (t) => {
        const r = t.multi(ctx(20), [
          { type: 'create', path: '/p/b', data: null, acl: OPEN_ACL_UNSAFE, createMode: CreateMode.PERSISTENT },
          { type: 'delete', path: '/p/a', version: 0 },
          { type: 'setData', path: '/p/b', data: bytes(2), version: 0 },
        ]);
        expect(r.failure).toBeUndefined();
      },
      node: ['/p/b', { ...NEW, version: 1, dataLength: 2 }],
      parent: { ...P, pzxid: 20, cversion: 3, numChildren: 1 },
    },
    {
      name: 'closeSession',
      run: (t) => {
        t.create(ctx(20), '/p/e', null, OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        t.closeSession(ctx(21));
      },
      node: ['/p/e', null],
      parent: { ...P, pzxid: 21, cversion: 3, numChildren: 1 },
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const t = new DataTree();
      setup(t);
      expect(view(t.stat('/p'))).toEqual(P);
      expect(view(t.stat('/p/a'))).toEqual(A);
      const digestBefore = t.digest();
      row.run(t);
      expect(view(t.stat(row.node[0]))).toEqual(row.node[1]);
      expect(view(t.stat('/p'))).toEqual(row.parent);
      expect(t.digest()).not.toBe(digestBefore);
      expect(t.digest()).toBe(t.computeDigest());
    });
  }

  it('check changes nothing', () => {
    const t = new DataTree();
    setup(t);
    const digest = t.digest();
    t.check(ctx(20), '/p/a', 0);
    expect(t.digest()).toBe(digest);
    expect(view(t.stat('/p/a'))).toEqual(A);
    expect(view(t.stat('/p'))).toEqual(P);
  });
});

describe('versions', () => {
  const cases: { name: string; run: (t: DataTree, version: number) => unknown }[] = [
    { name: 'setData', run: (t, v) => t.setData(ctx(30), '/v', bytes(1), v) },
    { name: 'setACL (aversion)', run: (t, v) => t.setACL(ctx(30), '/v', OPEN_ACL_UNSAFE, v) },
    { name: 'delete', run: (t, v) => t.delete(ctx(30), '/v', v) },
    { name: 'check', run: (t, v) => t.check(ctx(30), '/v', v) },
  ];
  const fresh = () => {
    const t = new DataTree();
    t.create(ctx(1), '/v', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    t.setData(ctx(2), '/v', null, -1);
    t.setACL(ctx(3), '/v', OPEN_ACL_UNSAFE, -1);
    return t; // version 1, aversion 1
  };
  for (const { name, run } of cases) {
    it(`${name}: −1 matches any, the current version matches, another fails BAD_VERSION`, () => {
      expect(() => run(fresh(), -1)).not.toThrow();
      expect(() => run(fresh(), 1)).not.toThrow();
      const t = fresh();
      const digest = t.digest();
      expect(() => run(t, 0)).toThrow(expect.objectContaining({ code: 'BAD_VERSION', errno: -103 }));
      expect(() => run(t, 2)).toThrow(expect.objectContaining({ code: 'BAD_VERSION' }));
      expect(t.digest()).toBe(digest);
    });
  }

  it('wraps the data version like a Java int (ZooKeeper 3.8.0 has no ZOOKEEPER-4743 skip)', () => {
    const zero: PersistedStat = { czxid: 1, mzxid: 1, ctime: 0, mtime: 0, version: 2147483647, cversion: 0, aversion: 0, ephemeralOwner: 0n, pzxid: 1 };
    const t = DataTree.fromNodes([...new DataTree().snapshotNodes(), { path: '/v', data: null, acl: OPEN_ACL_UNSAFE, stat: zero }]);
    expect(t.setData(ctx(5), '/v', null, 2147483647).stat.version).toBe(-2147483648);
  });
});

describe('sequential suffix', () => {
  it('formats like %010d, including negative numbers', () => {
    expect(formatSequenceSuffix(0)).toBe('0000000000');
    expect(formatSequenceSuffix(42)).toBe('0000000042');
    expect(formatSequenceSuffix(2147483647)).toBe('2147483647');
    expect(formatSequenceSuffix(-5)).toBe('-000000005');
    expect(formatSequenceSuffix(-2147483648)).toBe('-2147483648');
  });

  it('uses the persisted cversion, which counts deleted children too', () => {
    const t = new DataTree();
    t.create(ctx(1), '/q', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    t.create(ctx(2), '/q/a', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    t.delete(ctx(3), '/q/a', -1);
    expect(t.create(ctx(4), '/q/', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL).path).toBe('/q/0000000001');
    expect(t.create(ctx(5), '/q/n', null, OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL).path).toBe('/q/n0000000002');
  });

  it('stops advancing at Integer.MAX_VALUE: the parent cversion and pzxid stay, the next name collides', () => {
    const t = treeWithParentCVersion(2147483646);
    expect(t.create(ctx(10), '/p/x-', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL).path).toBe('/p/x-2147483646');
    expect(t.persistedStat('/p')).toMatchObject({ cversion: 2147483647, pzxid: 10 });
    expect(t.create(ctx(11), '/p/x-', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL).path).toBe('/p/x-2147483647');
    // cversion + 1 overflowed to MIN_VALUE, which is not larger: DataTree.createNode leaves the parent alone.
    expect(t.persistedStat('/p')).toMatchObject({ cversion: 2147483647, pzxid: 10 });
    expect(view(t.stat('/p'))).toMatchObject({ cversion: (2147483647 * 2 - 2) | 0, numChildren: 2 });
    expect(() => t.create(ctx(12), '/p/x-', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL)).toThrow(expect.objectContaining({ code: 'NODE_EXISTS', path: '/p/x-2147483647' }));
  });

  it('inside one multi, the prepared cversion wraps to a negative suffix as in PrepRequestProcessor', () => {
    const t = treeWithParentCVersion(2147483647);
    const r = t.multi(ctx(10), [
      { type: 'create', path: '/p/x-', data: null, acl: OPEN_ACL_UNSAFE, createMode: CreateMode.PERSISTENT_SEQUENTIAL },
      { type: 'create', path: '/p/x-', data: null, acl: OPEN_ACL_UNSAFE, createMode: CreateMode.PERSISTENT_SEQUENTIAL },
    ]);
    expect(r.results.map((x) => (x.type === 'create' ? x.path : x))).toEqual(['/p/x-2147483647', '/p/x--2147483648']);
    expect(t.persistedStat('/p')).toMatchObject({ cversion: 2147483647, pzxid: 1 });
  });
});
