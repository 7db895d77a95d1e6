import { describe, expect, test } from 'vitest';
import { ZkError } from '@zkts/protocol';
import type { Watcher } from '../src/index.js';
import { SET_WATCHES_MAX_LENGTH, WatchManager, batchSetWatches, selfAndAncestors } from '../src/internal.js';

const w = (): Watcher => () => {};

describe('WatchManager.materialize (ZKWatchManager rules)', () => {
  test('NodeDataChanged and NodeCreated consume data and exist watches of the path only', () => {
    for (const type of ['NodeDataChanged', 'NodeCreated'] as const) {
      const m = new WatchManager();
      const [data, exist, child, other] = [w(), w(), w(), w()];
      m.add('data', '/a', data);
      m.add('exist', '/a', exist);
      m.add('child', '/a', child);
      m.add('data', '/b', other);
      expect(m.materialize('SyncConnected', type, '/a')).toEqual(new Set([data, exist]));
      expect(m.materialize('SyncConnected', type, '/a')).toEqual(new Set());
      expect(m.lists()).toEqual({ data: ['/b'], exist: [], child: ['/a'], persistent: [], persistentRecursive: [] });
    }
  });

  test('NodeChildrenChanged consumes child watches only', () => {
    const m = new WatchManager();
    const [data, child] = [w(), w()];
    m.add('data', '/a', data);
    m.add('child', '/a', child);
    expect(m.materialize('SyncConnected', 'NodeChildrenChanged', '/a')).toEqual(new Set([child]));
    expect(m.lists().data).toEqual(['/a']);
  });

  test('NodeDeleted consumes data, exist and child watches', () => {
    const m = new WatchManager();
    const [data, exist, child] = [w(), w(), w()];
    m.add('data', '/a', data);
    m.add('exist', '/a', exist);
    m.add('child', '/a', child);
    expect(m.materialize('SyncConnected', 'NodeDeleted', '/a')).toEqual(new Set([data, exist, child]));
    expect(m.isEmpty).toBe(true);
  });

  test('one function registered twice on a path fires once', () => {
    const m = new WatchManager();
    const f = w();
    m.add('data', '/a', f);
    m.add('data', '/a', f);
    m.add('exist', '/a', f);
    expect([...m.materialize('SyncConnected', 'NodeDataChanged', '/a')]).toEqual([f]);
  });

  test('session events reach every watcher and consume none', () => {
    const m = new WatchManager();
    const [data, child, persistent] = [w(), w(), w()];
    m.add('data', '/a', data);
    m.add('child', '/b', child);
    m.add('persistent', '/c', persistent);
    expect(m.materialize('Disconnected', 'None', null)).toEqual(new Set([data, child, persistent]));
    expect(m.lists()).toEqual({ data: ['/a'], exist: [], child: ['/b'], persistent: ['/c'], persistentRecursive: [] });
  });

  test('without auto watch reset a non-connected session event clears one-shot watches only', () => {
    const m = new WatchManager(false);
    const [data, persistent] = [w(), w()];
    m.add('data', '/a', data);
    m.add('persistent', '/c', persistent);
    expect(m.materialize('SyncConnected', 'None', null).size).toBe(2);
    expect(m.lists().data).toEqual(['/a']);
    expect(m.materialize('Disconnected', 'None', null).size).toBe(2);
    expect(m.lists()).toEqual({ data: [], exist: [], child: [], persistent: ['/c'], persistentRecursive: [] });
  });

  test('persistent watches stay; recursive ones match ancestors but skip child events', () => {
    const m = new WatchManager();
    const [persistent, recursive, rootRecursive] = [w(), w(), w()];
    m.add('persistent', '/a', persistent);
    m.add('persistentRecursive', '/a', recursive);
    m.add('persistentRecursive', '/', rootRecursive);
    expect(m.materialize('SyncConnected', 'NodeDataChanged', '/a')).toEqual(new Set([persistent, recursive, rootRecursive]));
    expect(m.materialize('SyncConnected', 'NodeCreated', '/a/b/c')).toEqual(new Set([recursive, rootRecursive]));
    expect(m.materialize('SyncConnected', 'NodeChildrenChanged', '/a')).toEqual(new Set([persistent]));
    expect(m.materialize('SyncConnected', 'NodeDeleted', '/x')).toEqual(new Set([rootRecursive]));
    expect(m.lists().persistentRecursive).toEqual(['/a', '/']);
  });

  test('selfAndAncestors walks up to the root', () => {
    expect(selfAndAncestors('/a/b/c')).toEqual(['/a/b/c', '/a/b', '/a', '/']);
    expect(selfAndAncestors('/')).toEqual(['/']);
  });
});

describe('WatchManager.remove (removeWatcher rules)', () => {
  const code = (run: () => unknown): string => {
    try {
      run();
    } catch (error) {
      return (error as ZkError).code;
    }
    return 'none';
  };

  test('Data removes data and exist watches and reports DataWatchRemoved', () => {
    const m = new WatchManager();
    const [f, g] = [w(), w()];
    m.add('data', '/a', f);
    m.add('exist', '/a', f);
    m.add('child', '/a', g);
    const removed = m.remove('/a', f, 'Data', false, 0);
    expect(removed.get('DataWatchRemoved')).toEqual(new Set([f]));
    expect(removed.get('ChildWatchRemoved')).toEqual(new Set());
    expect(m.lists()).toEqual({ data: [], exist: [], child: ['/a'], persistent: [], persistentRecursive: [] });
  });

  test('a missing watcher is NO_WATCHER, checked before the server result', () => {
    const m = new WatchManager();
    m.add('child', '/a', w());
    expect(code(() => m.remove('/a', w(), 'Children', false, 0))).toBe('NO_WATCHER');
    expect(code(() => m.remove('/a', undefined, 'Data', false, 0))).toBe('NO_WATCHER');
    expect(code(() => m.remove('/a', undefined, 'Children', false, -4))).toBe('CONNECTION_LOSS');
    expect(m.lists().child).toEqual(['/a']);
  });

  test('local removal succeeds even when the server failed', () => {
    const m = new WatchManager();
    const f = w();
    m.add('persistentRecursive', '/a', f);
    expect(m.remove('/a', undefined, 'Any', true, -4).get('PersistentWatchRemoved')).toEqual(new Set([f]));
    expect(m.isEmpty).toBe(true);
  });

  test('remove rejects with a ZkError', () => {
    const m = new WatchManager();
    expect(() => m.remove('/a', undefined, 'Any', false, 0)).toThrow(ZkError);
  });
});

describe('batchSetWatches (primeConnection batching)', () => {
  const identity = (path: string): string => path;

  test('no persistent watches: one setWatches with the relative zxid', () => {
    const batches = batchSetWatches({ data: ['/d'], exist: ['/e'], child: ['/c'], persistent: [], persistentRecursive: [] }, 42n, identity);
    expect(batches).toEqual([
      { op: 'setWatches', relativeZxid: 42n, dataWatches: ['/d'], existWatches: ['/e'], childWatches: ['/c'], persistentWatches: [], persistentRecursiveWatches: [] },
    ]);
  });

  test('persistent watches switch the batch to setWatches2; chroot is prepended', () => {
    const batches = batchSetWatches({ data: ['/d'], exist: [], child: [], persistent: ['/'], persistentRecursive: ['/r'] }, 1n, (p) => (p === '/' ? '/root' : `/root${p}`));
    expect(batches).toEqual([
      { op: 'setWatches2', relativeZxid: 1n, dataWatches: ['/root/d'], existWatches: [], childWatches: [], persistentWatches: ['/root'], persistentRecursiveWatches: ['/root/r'] },
    ]);
  });

  test('batches close once their paths reach the limit, the last path overshooting', () => {
    const path = (i: number): string => `/${String(i).padStart(9, '0')}`; // 10 characters
    const data = Array.from({ length: 25 }, (_, i) => path(i));
    const child = Array.from({ length: 5 }, (_, i) => path(100 + i));
    const batches = batchSetWatches({ data, exist: [], child, persistent: [], persistentRecursive: [] }, 0n, identity, 95);
    // 10 paths of 10 characters reach 100 >= 95: batches of 10, 10, then 5 data + 5 child.
    expect(batches.map((b) => [b.dataWatches.length, b.childWatches.length])).toEqual([[10, 0], [10, 0], [5, 5]]);
    expect(batches.flatMap((b) => [...b.dataWatches, ...b.childWatches])).toEqual([...data, ...child]);
    expect(batches.every((b) => b.op === 'setWatches')).toBe(true);
  });

  test('the default limit is 128 KiB of path characters', () => {
    expect(SET_WATCHES_MAX_LENGTH).toBe(131072);
    const data = Array.from({ length: 3000 }, (_, i) => `/${'x'.repeat(99)}${String(i).padStart(4, '0')}`); // 104 chars each
    const batches = batchSetWatches({ data, exist: [], child: [], persistent: [], persistentRecursive: [] }, 0n, identity);
    expect(batches.map((b) => b.dataWatches.length)).toEqual([1261, 1261, 478]);
  });
});
