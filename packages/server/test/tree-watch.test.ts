import { AddWatchMode, CreateMode, EventType, Perms, WatcherType } from '@zkts/protocol';
import { describe, expect, it } from 'vitest';
import { OPEN_ACL_UNSAFE, READ_ACL_UNSAFE } from '../src/tree/acl.js';
import { DataTree } from '../src/tree/data-tree.js';
import { watchesForReconnect } from '../src/tree/reconnect-watches.js';
import type { TxnContext, WatchDelivery } from '../src/tree/tree-types.js';

type W = string;
const SESSION = 0x77n;
let zxid = 100;
const ctx = (sessionId = SESSION): TxnContext => ({ zxid: ++zxid, timeMs: zxid, sessionId });
const names: Record<number, string> = Object.fromEntries(Object.entries(EventType).map(([k, v]) => [v, k]));
const fmt = (events: WatchDelivery<W>[]) => events.map((e) => `${e.watcher} ${names[e.event.type]} ${e.event.path}`);

function tree(): DataTree<W> {
  const t = new DataTree<W>();
  t.create(ctx(), '/w', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  t.create(ctx(), '/w/n', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  return t;
}
const create = (t: DataTree<W>, path: string, mode: CreateMode = CreateMode.PERSISTENT) => fmt(t.create(ctx(), path, null, OPEN_ACL_UNSAFE, mode).events);

describe('standard watches: the trigger table', () => {
  it('create fires NodeCreated on the path (exists watch) and NodeChildrenChanged on the parent', () => {
    const t = tree();
    expect(t.exists('/w/new', 'a')).toBeNull();
    t.getChildren('/w', undefined, 'b');
    t.getData('/w', undefined, 'c'); // a data watch on the parent sees nothing
    expect(create(t, '/w/new')).toEqual(['a NodeCreated /w/new', 'b NodeChildrenChanged /w']);
  });

  it('a child of the root reports its parent as "/"', () => {
    const t = tree();
    t.getChildren('/', undefined, 'a');
    expect(create(t, '/top')).toEqual(['a NodeChildrenChanged /']);
  });

  it('delete fires NodeDeleted for data and child watches on the path (once per watcher) and NodeChildrenChanged on the parent', () => {
    const t = tree();
    t.getData('/w/n', undefined, 'a');
    t.getChildren('/w/n', undefined, 'a');
    t.getChildren('/w/n', undefined, 'b');
    t.exists('/w/n', 'c');
    t.getChildren('/w', undefined, 'd');
    expect(fmt(t.delete(ctx(), '/w/n', -1).events)).toEqual(['a NodeDeleted /w/n', 'c NodeDeleted /w/n', 'b NodeDeleted /w/n', 'd NodeChildrenChanged /w']);
    expect(t.watchCount).toBe(0);
  });

  it('setData fires NodeDataChanged for data watches only; setACL fires nothing', () => {
    const t = tree();
    t.getData('/w/n', undefined, 'a');
    t.getChildren('/w/n', undefined, 'b');
    expect(t.setACL(ctx(), '/w/n', OPEN_ACL_UNSAFE, -1).events).toEqual([]);
    expect(fmt(t.setData(ctx(), '/w/n', null, -1).events)).toEqual(['a NodeDataChanged /w/n']);
  });

  it('standard watches are one-shot, and registering twice fires once', () => {
    const t = tree();
    t.getData('/w/n', undefined, 'a');
    t.getData('/w/n', undefined, 'a');
    t.exists('/w/n', 'a');
    expect(fmt(t.setData(ctx(), '/w/n', null, -1).events)).toEqual(['a NodeDataChanged /w/n']);
    expect(t.setData(ctx(), '/w/n', null, -1).events).toEqual([]);
  });

  it('a missed watch (failed read) is not registered', () => {
    const t = tree();
    expect(() => t.getData('/w/missing', undefined, 'a')).toThrow();
    expect(() => t.getChildren('/w/missing', undefined, 'a')).toThrow();
    t.create(ctx(), '/w/missing', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    expect(t.watchCount).toBe(0);
  });

  it('deliveries carry the ACL ZooKeeper checks READ against', () => {
    const t = tree();
    t.exists('/w/r', 'a');
    t.getChildren('/w', undefined, 'b');
    const { events } = t.create(ctx(), '/w/r', null, READ_ACL_UNSAFE, CreateMode.PERSISTENT);
    expect(events[0]?.acl).toEqual(READ_ACL_UNSAFE);
    expect(events[1]?.acl).toEqual(OPEN_ACL_UNSAFE);
    expect(events[0]?.acl?.[0]?.perms).toBe(Perms.READ);
  });
});

describe('persistent watches', () => {
  it('fire all four events on their own path and stay', () => {
    const t = new DataTree<W>();
    t.addWatch('/p', 'a', AddWatchMode.PERSISTENT);
    expect(create(t, '/p')).toEqual(['a NodeCreated /p']);
    expect(fmt(t.setData(ctx(), '/p', null, -1).events)).toEqual(['a NodeDataChanged /p']);
    expect(create(t, '/p/c')).toEqual(['a NodeChildrenChanged /p']);
    expect(create(t, '/p/c/g')).toEqual([]); // grandchildren are not watched
    expect(fmt(t.delete(ctx(), '/p/c/g', -1).events)).toEqual([]);
    expect(fmt(t.delete(ctx(), '/p/c', -1).events)).toEqual(['a NodeChildrenChanged /p']);
    expect(fmt(t.delete(ctx(), '/p', -1).events)).toEqual(['a NodeDeleted /p']);
    expect(create(t, '/p')).toEqual(['a NodeCreated /p']);
    expect(() => t.checkWatches('/p', WatcherType.Persistent, 'a')).not.toThrow();
  });

  it('recursive watches fire NodeCreated, NodeDeleted and NodeDataChanged for the path and every descendant, not NodeChildrenChanged', () => {
    const t = tree();
    t.addWatch('/w', 'r', AddWatchMode.PERSISTENT_RECURSIVE);
    expect(create(t, '/w/n/deep')).toEqual(['r NodeCreated /w/n/deep']);
    expect(fmt(t.setData(ctx(), '/w/n/deep', null, -1).events)).toEqual(['r NodeDataChanged /w/n/deep']);
    expect(fmt(t.setData(ctx(), '/w', null, -1).events)).toEqual(['r NodeDataChanged /w']);
    expect(fmt(t.delete(ctx(), '/w/n/deep', -1).events)).toEqual(['r NodeDeleted /w/n/deep']);
    expect(create(t, '/other')).toEqual([]);
    expect(fmt(t.delete(ctx(), '/w/n', -1).events)).toEqual(['r NodeDeleted /w/n']);
  });

  it('a recursive watch on / sees everything', () => {
    const t = tree();
    t.addWatch('/', 'r', AddWatchMode.PERSISTENT_RECURSIVE);
    expect(create(t, '/x')).toEqual(['r NodeCreated /x']);
  });

  it('one watcher reached through several watches gets one event per trigger', () => {
    const t = tree();
    t.addWatch('/w', 'a', AddWatchMode.PERSISTENT_RECURSIVE);
    t.addWatch('/w/n', 'a', AddWatchMode.PERSISTENT);
    t.getData('/w/n', undefined, 'a');
    expect(fmt(t.setData(ctx(), '/w/n', null, -1).events)).toEqual(['a NodeDataChanged /w/n']);
    // the standard watch was consumed, the persistent ones stay
    expect(() => t.checkWatches('/w/n', WatcherType.Data, 'a')).toThrow(expect.objectContaining({ code: 'NO_WATCHER' }));
    expect(fmt(t.setData(ctx(), '/w/n', null, -1).events)).toEqual(['a NodeDataChanged /w/n']);
  });

  it('a standard watch does not downgrade a persistent one on the same path', () => {
    const t = tree();
    t.addWatch('/w/n', 'a', AddWatchMode.PERSISTENT);
    t.getData('/w/n', undefined, 'a');
    t.setData(ctx(), '/w/n', null, -1);
    expect(fmt(t.setData(ctx(), '/w/n', null, -1).events)).toEqual(['a NodeDataChanged /w/n']);
  });
});

describe('watches in multi and closeSession', () => {
  it('multi triggers per op in op order, and only when it succeeds', () => {
    const t = tree();
    t.getChildren('/w', undefined, 'a');
    t.getData('/w/n', undefined, 'b');
    const failed = t.multi(ctx(), [
      { type: 'create', path: '/w/m', data: null, acl: OPEN_ACL_UNSAFE, createMode: CreateMode.PERSISTENT },
      { type: 'setData', path: '/w/n', data: null, version: 99 },
    ]);
    expect(failed.events).toEqual([]);
    expect(t.watchCount).toBe(2);
    const ok = t.multi(ctx(), [
      { type: 'setData', path: '/w/n', data: null, version: -1 },
      { type: 'create', path: '/w/m', data: null, acl: OPEN_ACL_UNSAFE, createMode: CreateMode.PERSISTENT },
    ]);
    expect(fmt(ok.events)).toEqual(['b NodeDataChanged /w/n', 'a NodeChildrenChanged /w']);
  });

  it('closeSession fires NodeDeleted for each ephemeral and NodeChildrenChanged on its parent', () => {
    const t = tree();
    t.create(ctx(), '/w/e1', null, OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    t.create(ctx(), '/w/e2', null, OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    t.create(ctx(0x99n), '/w/other', null, OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    t.exists('/w/e1', 'a');
    t.addWatch('/w', 'p', AddWatchMode.PERSISTENT);
    const { deleted, events } = t.closeSession(ctx());
    expect([...deleted].sort()).toEqual(['/w/e1', '/w/e2']); // in Java HashSet order, see tree-java-order.test.ts
    const expected = deleted.flatMap((p) => [...(p === '/w/e1' ? ['a NodeDeleted /w/e1'] : []), 'p NodeChildrenChanged /w']);
    expect(fmt(events)).toEqual(expected);
    expect(t.stat('/w/other')).not.toBeNull();
  });
});

describe('removing watches', () => {
  const setup = () => {
    const t = tree();
    t.getData('/w/n', undefined, 'a');
    t.getChildren('/w/n', undefined, 'a');
    t.addWatch('/w/n', 'a', AddWatchMode.PERSISTENT);
    t.addWatch('/w/n', 'a', AddWatchMode.PERSISTENT_RECURSIVE);
    return t;
  };
  const remaining = (t: DataTree<W>) =>
    [WatcherType.Children, WatcherType.Data, WatcherType.Persistent, WatcherType.PersistentRecursive].filter((type) => {
      try {
        t.checkWatches('/w/n', type, 'a');
        return true;
      } catch {
        return false;
      }
    });

  it.each([
    [WatcherType.Children, [WatcherType.Data, WatcherType.Persistent, WatcherType.PersistentRecursive]],
    [WatcherType.Data, [WatcherType.Children, WatcherType.Persistent, WatcherType.PersistentRecursive]],
    [WatcherType.Persistent, [WatcherType.Children, WatcherType.Data, WatcherType.PersistentRecursive]],
    [WatcherType.PersistentRecursive, [WatcherType.Children, WatcherType.Data, WatcherType.Persistent]],
    [WatcherType.Any, []],
  ])('removeWatches type %i leaves %j', (type, left) => {
    const t = setup();
    t.removeWatches('/w/n', type, 'a');
    expect(remaining(t)).toEqual(left);
    expect(() => t.removeWatches('/w/n', type, 'a')).toThrow(expect.objectContaining({ code: 'NO_WATCHER', errno: -121 }));
  });

  it('removeWatches is per watcher and per path', () => {
    const t = setup();
    expect(() => t.removeWatches('/w/n', WatcherType.Any, 'b')).toThrow(expect.objectContaining({ code: 'NO_WATCHER' }));
    expect(() => t.removeWatches('/w', WatcherType.Any, 'a')).toThrow(expect.objectContaining({ code: 'NO_WATCHER' }));
  });

  it('removeWatcher drops everything of a disconnected watcher', () => {
    const t = setup();
    t.getData('/w', undefined, 'b');
    t.removeWatcher('a');
    expect(remaining(t)).toEqual([]);
    expect(fmt(t.setData(ctx(), '/w/n', null, -1).events)).toEqual([]);
    expect(t.watchCount).toBe(1);
  });

  it('lists watches like wchs / wchc / wchp (data table, as ZooKeeper) and counts both tables', () => {
    const t = setup();
    t.getData('/w', undefined, 'b');
    // One per (table, path, watcher), whatever the modes: data /w/n a, data /w b, child /w/n a.
    expect(t.watchCount).toBe(3);
    expect(t.watchSummary()).toEqual({ watchers: 2, paths: 2, watches: 2 });
    expect(t.watchesByPath()).toEqual(new Map([['/w/n', ['a']], ['/w', ['b']]]));
    expect(t.watchesByWatcher('all')).toEqual(new Map([['a', ['/w/n']], ['b', ['/w']]]));
  });
});

describe('setWatches after a reconnect', () => {
  it('fires what the client missed since relativeZxid and registers the rest', () => {
    const t = new DataTree<W>();
    t.create({ zxid: 10, timeMs: 1, sessionId: 1n }, '/old', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    t.create({ zxid: 11, timeMs: 1, sessionId: 1n }, '/kids', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    t.create({ zxid: 20, timeMs: 1, sessionId: 1n }, '/new', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    t.create({ zxid: 21, timeMs: 1, sessionId: 1n }, '/kids/k', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    const events = t.setWatches(15, {
      dataWatches: ['/old', '/new', '/gone'],
      existWatches: ['/new', '/absent'],
      childWatches: ['/old', '/kids', '/gone'],
      persistentWatches: ['/pp'],
      persistentRecursiveWatches: ['/rr'],
    }, 'a');
    expect(fmt(events)).toEqual([
      'a NodeDataChanged /new',
      'a NodeDeleted /gone',
      'a NodeCreated /new',
      'a NodeChildrenChanged /kids',
      'a NodeDeleted /gone',
    ]);
    expect(events.every((e) => e.acl === null)).toBe(true);
    // registered: data /old, exist /absent, child /old, persistent /pp, recursive /rr
    expect(fmt(t.setData({ zxid: 30, timeMs: 1, sessionId: 1n }, '/old', null, -1).events)).toEqual(['a NodeDataChanged /old']);
    expect(fmt(t.create({ zxid: 31, timeMs: 1, sessionId: 1n }, '/absent', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).events)).toEqual(['a NodeCreated /absent']);
    expect(fmt(t.create({ zxid: 32, timeMs: 1, sessionId: 1n }, '/old/c', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).events)).toEqual(['a NodeChildrenChanged /old']);
    expect(fmt(t.create({ zxid: 33, timeMs: 1, sessionId: 1n }, '/pp', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).events)).toEqual(['a NodeCreated /pp']);
    expect(fmt(t.create({ zxid: 34, timeMs: 1, sessionId: 1n }, '/rr', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).events)).toEqual(['a NodeCreated /rr']);
    expect(fmt(t.create({ zxid: 35, timeMs: 1, sessionId: 1n }, '/rr/x', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).events)).toEqual(['a NodeCreated /rr/x']);
  });

  it('uses strict comparisons: a change at exactly relativeZxid was already seen', () => {
    const plan = watchesForReconnect(
      20,
      { dataWatches: ['/d'], existWatches: [], childWatches: ['/c'] },
      () => ({ mzxid: 20, pzxid: 20 }),
    );
    expect(plan.fire).toEqual([]);
    expect(plan.data).toEqual(['/d']);
    expect(plan.child).toEqual(['/c']);
  });
});
