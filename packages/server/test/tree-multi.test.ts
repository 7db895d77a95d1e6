import { CreateMode } from '@zkts/protocol';
import { describe, expect, it } from 'vitest';
import { OPEN_ACL_UNSAFE } from '../src/tree/acl.js';
import { DataTree } from '../src/tree/data-tree.js';
import type { TreeMultiOp, TxnContext } from '../src/tree/tree-types.js';

const ctx = (zxid: number): TxnContext => ({ zxid, timeMs: 5000 + zxid, sessionId: 9n });
const create = (path: string, createMode: CreateMode = CreateMode.PERSISTENT): TreeMultiOp => ({ type: 'create', path, data: null, acl: OPEN_ACL_UNSAFE, createMode });
const del = (path: string, version = -1): TreeMultiOp => ({ type: 'delete', path, version });
const set = (path: string, version = -1): TreeMultiOp => ({ type: 'setData', path, data: new Uint8Array([1]), version });
const check = (path: string, version: number): TreeMultiOp => ({ type: 'check', path, version });

function base(): DataTree {
  const t = new DataTree();
  t.create(ctx(1), '/m', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  return t;
}

describe('multi', () => {
  it('returns one result per op type, with the zxid of the multi in every stat', () => {
    const t = base();
    const r = t.multi(ctx(7), [create('/m/a'), create('/m/s-', CreateMode.PERSISTENT_SEQUENTIAL), set('/m/a', 0), check('/m/a', 1), del('/m/a', 1)]);
    expect(r.failure).toBeUndefined();
    expect(r.results.map((x) => x.type)).toEqual(['create', 'create', 'setData', 'check', 'delete']);
    const [a, s, sd] = r.results;
    expect(a).toMatchObject({ path: '/m/a', stat: { czxid: 7n, mzxid: 7n, version: 0 } });
    expect(s).toMatchObject({ path: '/m/s-0000000001', stat: { czxid: 7n } });
    expect(sd).toMatchObject({ stat: { czxid: 7n, mzxid: 7n, version: 1, dataLength: 1 } });
    expect(t.stat('/m/a')).toBeNull();
    expect(t.getChildren('/m').children).toEqual(['s-0000000001']);
  });

  it('an empty multi succeeds and changes nothing', () => {
    const t = base();
    const digest = t.digest();
    expect(t.multi(ctx(2), [])).toEqual({ results: [], events: [] });
    expect(t.digest()).toBe(digest);
  });

  it('later ops see earlier ops: create under a created node, recreate a deleted path, check a new version', () => {
    const t = base();
    const r = t.multi(ctx(3), [create('/m/x'), create('/m/x/y'), del('/m/x/y'), create('/m/x/y', CreateMode.EPHEMERAL), set('/m/x', 0), check('/m/x', 1), check('/m/x/y', 0)]);
    expect(r.failure).toBeUndefined();
    expect(t.stat('/m/x/y')?.ephemeralOwner).toBe(9n);
    // /m/x had two children created (one deleted): persisted cversion 2, so 2·2 − 1 = 3
    expect(t.stat('/m/x')).toMatchObject({ cversion: 3, numChildren: 1, version: 1, pzxid: 3n });
  });

  it('sees deletes: deleting then reading the node fails', () => {
    const t = base();
    const r = t.multi(ctx(3), [del('/m'), check('/m', -1)]);
    expect(r.results).toEqual([{ type: 'error', err: 0 }, { type: 'error', err: -101 }]);
  });

  it('sees earlier children when deleting: NOT_EMPTY after a create in the same multi', () => {
    const t = base();
    const r = t.multi(ctx(3), [create('/m/c'), del('/m')]);
    expect(r.results).toEqual([{ type: 'error', err: 0 }, { type: 'error', err: -111 }]);
    expect(r.failure?.error.code).toBe('NOT_EMPTY');
  });

  it('sees an ephemeral created earlier as a parent that cannot have children', () => {
    const t = base();
    const r = t.multi(ctx(3), [create('/m/e', CreateMode.EPHEMERAL), create('/m/e/c')]);
    expect(r.results[1]).toEqual({ type: 'error', err: -108 });
  });

  const ops = [create('/m/a'), set('/m/a', 0), check('/m/a', 1), del('/m/a', 1)];
  // A bad variant of each position: the op fails with the given code.
  const bad: [TreeMultiOp, number][] = [
    [create('/m'), -110],
    [set('/m/a', 5), -103],
    [check('/m/a', 0), -103],
    [del('/m/a', 0), -103],
  ];
  for (let failAt = 0; failAt < ops.length; failAt++) {
    it(`failing at op ${failAt}: OK before, the code at, RUNTIME_INCONSISTENCY after, nothing applied`, () => {
      const t = base();
      const before = [...t.snapshotNodes()];
      const digest = t.digest();
      const list = ops.map((op, i) => (i === failAt ? bad[i]![0] : op));
      const r = t.multi(ctx(9), list);
      expect(r.results).toEqual(list.map((_, i) => ({ type: 'error', err: i < failAt ? 0 : i === failAt ? bad[failAt]![1] : -2 })));
      expect(r.failure?.index).toBe(failAt);
      expect(r.failure?.error.errno).toBe(bad[failAt]![1]);
      expect(r.events).toEqual([]);
      expect([...t.snapshotNodes()]).toEqual(before);
      expect(t.digest()).toBe(digest);
    });
  }

  it('a failed multi does not consume sequence numbers', () => {
    const t = base();
    t.multi(ctx(2), [create('/m/s-', CreateMode.PERSISTENT_SEQUENTIAL), check('/nope', -1)]);
    expect(t.create(ctx(3), '/m/s-', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL).path).toBe('/m/s-0000000000');
  });

  it('gives the same tree as the ops applied one by one, except for zxids', () => {
    const a = base();
    a.multi(ctx(2), [create('/m/a'), create('/m/b'), set('/m/a'), del('/m/b')]);
    const b = base();
    b.create(ctx(2), '/m/a', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    b.create(ctx(2), '/m/b', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    b.setData(ctx(2), '/m/a', new Uint8Array([1]), -1);
    b.delete(ctx(2), '/m/b', -1);
    expect([...a.snapshotNodes()]).toEqual([...b.snapshotNodes()]);
    expect(a.digest()).toBe(b.digest());
  });
});
