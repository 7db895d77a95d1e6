import { CreateMode } from '@zkts/protocol';
import { describe, expect, it } from 'vitest';
import { OPEN_ACL_UNSAFE, READ_ACL_UNSAFE } from '../src/tree/acl.js';
import { DataTree } from '../src/tree/data-tree.js';
import type { SnapshotNode, TreeMultiOp, TxnContext } from '../src/tree/tree-types.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('digest', () => {
  it('equals ZooKeeper 3.8.0 DataTree.getTreeDigest step by step', () => {
    // Printed by org.apache.zookeeper.server.DataTree (3.8.0) applying the same changes.
    const t = new DataTree();
    expect(t.digest()).toBe(1371985504n);
    const c = (zxid: number, timeMs: number, sessionId = 0n): TxnContext => ({ zxid, timeMs, sessionId });
    t.create(c(0x100000001, 1700000000000), '/a', utf8('hello'), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    expect(t.digest()).toBe(5290034742n);
    t.create(c(0x100000002, 1700000000005, 0x1234n), '/a/b', new Uint8Array([1, 2, 3]), OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    expect(t.digest()).toBe(10238554044n);
    t.setData(c(0x100000003, 1700000000010), '/a', utf8('world!'), -1);
    expect(t.digest()).toBe(10063888309n);
    t.setACL(c(0x100000003, 1700000000010), '/a', READ_ACL_UNSAFE, -1);
    expect(t.digest()).toBe(9876515698n);
    // DataTree.deleteNode itself checks no ACL; here the superuser passes the DELETE check on /a.
    t.delete({ ...c(0x100000004, 1700000000015), auth: { ids: [], superUser: true } }, '/a/b', -1);
    expect(t.digest()).toBe(4597375567n);
    t.create(c(0x100000005, 1700000000020), '/été', null, OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
    expect(t.digest()).toBe(5726868829n);
    // Nodes under /zookeeper/ are left out, but /zookeeper's own stat changes count.
    t.create(c(0x100000006, 1700000000030), '/zookeeper/x', new Uint8Array([9]), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    expect(t.digest()).toBe(7861977793n);
    expect(t.computeDigest()).toBe(t.digest());
  });

  it('is identical after identical replays and differs after any change', () => {
    const a = randomTree(42, 400);
    const b = randomTree(42, 400);
    expect(a.tree.digest()).toBe(b.tree.digest());
    expect([...a.tree.snapshotNodes()]).toEqual([...b.tree.snapshotNodes()]);
    expect(a.events).toEqual(b.events);
    // the run exercised successes, failures and watch deliveries
    expect(a.tree.nodeCount).toBeGreaterThan(40);
    expect(a.events.filter((e) => e.includes('error')).length).toBeGreaterThan(20);
    expect(a.events.filter((e) => !e.includes('error')).length).toBeGreaterThan(50);
    const other = randomTree(43, 400);
    expect(other.tree.digest()).not.toBe(a.tree.digest());
    const somePath = [...a.tree.snapshotNodes()].find((n) => !n.path.startsWith('/zookeeper') && n.path !== '/')!.path;
    const before = a.tree.digest();
    a.tree.setData({ zxid: 10_000, timeMs: 1, sessionId: 1n }, somePath, utf8('changed'), -1);
    expect(a.tree.digest()).not.toBe(before);
    expect(a.tree.digest()).toBe(a.tree.computeDigest());
  });

  it('stays equal to a full recompute through every kind of write', () => {
    const { tree } = randomTree(7, 300, (t) => expect(t.digest()).toBe(t.computeDigest()));
    expect(tree.nodeCount).toBeGreaterThan(10);
  });
});

describe('snapshot', () => {
  it('round-trips a tree exactly: nodes, order, digest, indexes', () => {
    const t = new DataTree();
    const c = (zxid: number, sessionId = 5n): TxnContext => ({ zxid, timeMs: 1000 + zxid, sessionId });
    t.create(c(1), '/app', utf8('cfg'), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    for (let i = 0; i < 20; i++) t.create(c(2 + i), '/app/n-', utf8(`v${i}`), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
    t.create(c(30), '/app/e', null, READ_ACL_UNSAFE, CreateMode.EPHEMERAL);
    t.create(c(31), '/box', null, OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
    t.create(c(32), '/ttl', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 60_000);
    t.setACL(c(33), '/box', READ_ACL_UNSAFE, -1);
    const nodes = [...t.snapshotNodes()];
    expect(nodes[0]?.path).toBe('/');
    const seen = new Set<string>();
    for (const n of nodes) {
      if (n.path !== '/') expect(seen.has(n.path.slice(0, n.path.lastIndexOf('/')) || '/')).toBe(true);
      seen.add(n.path);
    }
    const r = DataTree.fromNodes(nodes);
    expect([...r.snapshotNodes()]).toEqual(nodes);
    expect(r.digest()).toBe(t.digest());
    expect(r.computeDigest()).toBe(t.digest());
    expect(r.nodeCount).toBe(t.nodeCount);
    expect(r.getEphemerals(5n)).toEqual(['/app/e']);
    expect(r.stat('/app')).toEqual(t.stat('/app'));
    expect(r.getChildren('/app').children).toEqual(t.getChildren('/app').children);
    expect(r.getACL('/box').acl).toEqual(READ_ACL_UNSAFE);
    // the restored tree keeps working: sequence numbers continue, sessions close
    expect(r.create(c(40), '/app/n-', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL).path).toBe('/app/n-0000000021');
    expect(r.closeSession(c(41)).deleted).toEqual(['/app/e']);
  });

  it('round-trips random trees to the same digest and the same nodes', () => {
    const { tree } = randomTree(99, 500);
    const restored = DataTree.fromNodes(tree.snapshotNodes());
    const byPath = (nodes: SnapshotNode[]) => [...nodes].sort((x, y) => (x.path < y.path ? -1 : 1));
    expect(byPath([...restored.snapshotNodes()])).toEqual(byPath([...tree.snapshotNodes()]));
    expect(restored.digest()).toBe(tree.digest());
    for (const session of [1n, 2n, 3n]) expect(new Set(restored.getEphemerals(session))).toEqual(new Set(tree.getEphemerals(session)));
  });

  it('restores from an async stream, and accepts the root under ZooKeeper\'s "" name', async () => {
    const t = new DataTree();
    t.create({ zxid: 1, timeMs: 1, sessionId: 1n }, '/x', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    async function* stream() {
      for (const n of t.snapshotNodes()) yield n.path === '/' ? { ...n, path: '' } : n;
    }
    const r = await DataTree.fromAsyncNodes(stream());
    expect(r.digest()).toBe(t.digest());
  });

  it('rejects snapshots with a missing parent, a duplicate, or no root first', () => {
    const nodes = [...new DataTree().snapshotNodes()];
    const orphan = { ...nodes[1]!, path: '/nowhere/child' };
    expect(() => DataTree.fromNodes([...nodes, orphan])).toThrow(/unable to find parent/);
    expect(() => DataTree.fromNodes([...nodes, nodes[1]!])).toThrow(/duplicate/);
    expect(() => DataTree.fromNodes(nodes.slice(1))).toThrow(/not the root/);
    expect(() => DataTree.fromNodes([])).toThrow(/no nodes/);
  });
});

const NO_ADMIN_ACL = [{ perms: 15, id: { scheme: 'world', id: 'anyone' } }];

/** A seeded PRNG (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Applies `steps` random writes (some failing) with deterministic contexts. */
function randomTree(seed: number, steps: number, afterEach?: (t: DataTree) => void) {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const tree = new DataTree<string>();
  const events: string[] = [];
  const gone: string[] = [];
  const modes = [CreateMode.PERSISTENT, CreateMode.PERSISTENT, CreateMode.EPHEMERAL, CreateMode.PERSISTENT_SEQUENTIAL, CreateMode.EPHEMERAL_SEQUENTIAL, CreateMode.CONTAINER, CreateMode.PERSISTENT_WITH_TTL];
  for (let step = 1; step <= steps; step++) {
    const ctx: TxnContext = { zxid: step, timeMs: 1_000_000 + step * 7, sessionId: BigInt(1 + Math.floor(random() * 3)) };
    const live = [...tree.snapshotNodes()].map((n) => n.path).filter((p) => !p.startsWith('/zookeeper'));
    const pickPath = () => (random() < 0.9 || gone.length === 0 ? pick(live) : pick(gone));
    const base = pickPath();
    const child = `${base === '/' ? '' : base}/n${Math.floor(random() * 6)}`;
    const data = random() < 0.2 ? null : utf8(`d${Math.floor(random() * 1000)}`);
    try {
      if (random() < 0.3) tree.getData(pickPath(), undefined, 'w');
      if (random() < 0.2) tree.getChildren(pickPath(), undefined, 'c');
      const r = random();
      let out: { events: { watcher: string; event: { type: number; path: string } }[] };
      if (r < 0.4) {
        const mode = pick(modes);
        out = tree.create(ctx, child, data, OPEN_ACL_UNSAFE, mode, mode === CreateMode.PERSISTENT_WITH_TTL ? 1000 : -1);
      } else if (r < 0.55) {
        const victim = pickPath();
        out = tree.delete(ctx, victim, -1);
        gone.push(victim);
      } else if (r < 0.7) {
        out = tree.setData(ctx, pickPath(), data, random() < 0.8 ? -1 : 3);
      } else if (r < 0.78) {
        out = tree.setACL(ctx, pickPath(), random() < 0.5 ? OPEN_ACL_UNSAFE : NO_ADMIN_ACL, -1);
      } else if (r < 0.95) {
        const ops: TreeMultiOp[] = [
          { type: 'create', path: child, data, acl: OPEN_ACL_UNSAFE, createMode: pick([CreateMode.PERSISTENT, CreateMode.PERSISTENT_SEQUENTIAL]) },
          { type: 'setData', path: pickPath(), data, version: -1 },
          { type: 'check', path: pickPath(), version: random() < 0.7 ? -1 : 0 },
        ];
        const m = tree.multi(ctx, ops);
        if (m.failure) events.push(`${step} multi error ${m.failure.index} ${m.failure.error.code}`);
        out = m;
      } else {
        out = tree.closeSession(ctx);
      }
      for (const e of out.events) events.push(`${step} ${e.watcher} ${e.event.type} ${e.event.path}`);
    } catch (error) {
      events.push(`${step} error ${(error as { code?: string }).code ?? String(error)}`);
    }
    afterEach?.(tree);
  }
  return { tree, events };
}
