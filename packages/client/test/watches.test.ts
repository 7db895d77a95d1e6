/**
 * Watch semantics against Apache ZooKeeper 3.8: one-shot watchers, which events reach which
 * watchers, ordering against replies, persistent and recursive watches, watch removal.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApacheZooKeeper, startApacheZooKeeper } from '../../../test-support/apache-zookeeper.js';
import { type WatchedEvent, type Watcher, type ZkClient, ZkError, connect } from '../src/index.js';

let zk: ApacheZooKeeper;
let client: ZkClient;
let other: ZkClient;

beforeAll(async () => {
  zk = await startApacheZooKeeper();
  client = await connect(zk.connectString);
  other = await connect(zk.connectString);
});

afterAll(async () => {
  await client?.close();
  await other?.close();
  await zk?.stop();
});

/** Records node events (session events are left out) and lets a test await the next ones. */
function recorder(): { watcher: Watcher; events: string[]; next: (count?: number) => Promise<string[]> } {
  const events: string[] = [];
  let waiting: { count: number; resolve: () => void } | undefined;
  const watcher = (event: WatchedEvent): void => {
    if (event.type === 'None') return;
    events.push(`${event.type} ${event.path}`);
    if (waiting !== undefined && events.length >= waiting.count) waiting.resolve();
  };
  let consumed = 0;
  const next = async (count = 1): Promise<string[]> => {
    const target = consumed + count;
    if (events.length < target) {
      await new Promise<void>((resolve) => {
        waiting = { count: target, resolve };
      });
    }
    consumed = target;
    return events.slice(target - count, target);
  };
  return { watcher, events, next };
}

/** A round trip on `client` after which any notification the server sent earlier has been delivered. */
async function settle(): Promise<void> {
  await client.sync('/');
  await client.exists('/');
}

describe('one-shot watches', () => {
  test('a getData watcher fires once, on the first change only', async () => {
    await client.create('/once', 'a');
    const { watcher, events, next } = recorder();
    await client.getData('/once', watcher);
    await other.setData('/once', 'b');
    expect(await next()).toEqual(['NodeDataChanged /once']);
    await other.setData('/once', 'c');
    await settle();
    expect(events).toEqual(['NodeDataChanged /once']);
  });

  test('the same watcher registered twice on a path fires once; different watchers each fire', async () => {
    await client.create('/twice', 'a');
    const first = recorder();
    const second = recorder();
    await client.getData('/twice', first.watcher);
    await client.getData('/twice', first.watcher);
    await client.exists('/twice', first.watcher);
    await client.getData('/twice', second.watcher);
    await other.setData('/twice', 'b');
    await second.next();
    await settle();
    expect(first.events).toEqual(['NodeDataChanged /twice']);
    expect(second.events).toEqual(['NodeDataChanged /twice']);
  });

  test('exists on a missing node fires NodeCreated; on an existing one NodeDeleted', async () => {
    const created = recorder();
    expect(await client.exists('/appear', created.watcher)).toBeNull();
    await other.create('/appear');
    expect(await created.next()).toEqual(['NodeCreated /appear']);
    const deleted = recorder();
    expect(await client.exists('/appear', deleted.watcher)).not.toBeNull();
    await other.delete('/appear');
    expect(await deleted.next()).toEqual(['NodeDeleted /appear']);
  });

  test('getData on a missing node sets no watch', async () => {
    const { watcher, events } = recorder();
    await expect(client.getData('/absent', watcher)).rejects.toMatchObject({ code: 'NO_NODE' });
    await other.create('/absent');
    await other.setData('/absent', 'x');
    await settle();
    expect(events).toEqual([]);
  });

  test('child watches fire on child changes and on deletion of the node', async () => {
    await client.create('/parent');
    const children = recorder();
    await client.getChildren('/parent', children.watcher);
    await other.create('/parent/k');
    expect(await children.next()).toEqual(['NodeChildrenChanged /parent']);
    // A data change of the parent does not trigger a child watch.
    const again = recorder();
    await client.getChildrenWithStat('/parent', again.watcher);
    await other.setData('/parent', 'x');
    await other.delete('/parent/k');
    expect(await again.next()).toEqual(['NodeChildrenChanged /parent']);
    const gone = recorder();
    const data = recorder();
    await client.getChildren('/parent', gone.watcher);
    await client.getData('/parent', data.watcher);
    await other.delete('/parent');
    expect(await gone.next()).toEqual(['NodeDeleted /parent']);
    expect(await data.next()).toEqual(['NodeDeleted /parent']);
  });

  test('a watch event reaches the watcher before the reply of the write that caused it resumes', async () => {
    await client.create('/order', 'a');
    const order: string[] = [];
    await client.getData('/order', (event) => order.push(`watch ${event.type}`));
    await client.getChildren('/order', (event) => order.push(`child ${event.type}`));
    await client.setData('/order', 'b');
    order.push('setData resolved');
    await client.create('/order/c');
    order.push('create resolved');
    expect(order).toEqual(['watch NodeDataChanged', 'setData resolved', 'child NodeChildrenChanged', 'create resolved']);
  });

  test('events arrive in the order of the changes', async () => {
    await client.create('/seq');
    const { watcher, next } = recorder();
    const paths = ['/seq/a', '/seq/b', '/seq/c'];
    for (const path of paths) await client.exists(path, watcher);
    for (const path of paths) await other.create(path);
    expect(await next(3)).toEqual(paths.map((path) => `NodeCreated ${path}`));
  });
});

describe('persistent and recursive watches', () => {
  test('a persistent watch keeps firing for data and child events of its node', async () => {
    await client.create('/pw', 'a');
    const { watcher, next } = recorder();
    await client.addWatch('/pw', watcher, 'PERSISTENT');
    await other.setData('/pw', 'b');
    await other.setData('/pw', 'c');
    await other.create('/pw/k');
    await other.setData('/pw/k', 'ignored: not the watched node');
    await other.delete('/pw/k');
    await other.delete('/pw');
    await other.create('/pw');
    expect(await next(6)).toEqual([
      'NodeDataChanged /pw',
      'NodeDataChanged /pw',
      'NodeChildrenChanged /pw',
      'NodeChildrenChanged /pw',
      'NodeDeleted /pw',
      'NodeCreated /pw',
    ]);
  });

  test('a recursive watch sees the subtree but no child events', async () => {
    await client.create('/rw');
    const { watcher, next, events } = recorder();
    await client.addWatch('/rw', watcher, 'PERSISTENT_RECURSIVE');
    await other.create('/rw/a');
    await other.create('/rw/a/b', 'x');
    await other.setData('/rw/a/b', 'y');
    await other.delete('/rw/a/b');
    expect(await next(4)).toEqual(['NodeCreated /rw/a', 'NodeCreated /rw/a/b', 'NodeDataChanged /rw/a/b', 'NodeDeleted /rw/a/b']);
    await settle();
    expect(events.some((event) => event.startsWith('NodeChildrenChanged'))).toBe(false);
  });

  test('removeWatches removes a persistent watch with a PersistentWatchRemoved event', async () => {
    await client.create('/pr');
    const seen: WatchedEvent[] = [];
    const watcher = (event: WatchedEvent): void => {
      if (event.type !== 'None') seen.push(event);
    };
    await client.addWatch('/pr', watcher, 'PERSISTENT');
    // ZooKeeper 3.8.0 servers cannot check persistent watches by type (fixed in 3.9): the
    // server's error leaves the watch in place unless the removal is local.
    const error = await client.removeWatches('/pr', watcher, 'Persistent').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZkError);
    await other.setData('/pr', 'x');
    await settle();
    expect(seen.map((event) => event.type)).toEqual(['NodeDataChanged']);
    await client.removeWatches('/pr', watcher, 'Persistent', true);
    expect(seen.at(-1)).toEqual({ type: 'PersistentWatchRemoved', state: 'SyncConnected', path: '/pr', zxid: -1n });
    await other.setData('/pr', 'y');
    await settle();
    expect(seen).toHaveLength(2);
  });
});

describe('removing watches', () => {
  test('a one-shot watcher removed gets DataWatchRemoved and never the node event', async () => {
    await client.create('/rm', 'a');
    const seen: string[] = [];
    const watcher = (event: WatchedEvent): void => {
      seen.push(`${event.type} ${event.path}`);
    };
    const keep = recorder();
    await client.getData('/rm', watcher);
    await client.getData('/rm', keep.watcher);
    await client.removeWatches('/rm', watcher, 'Data');
    expect(seen).toEqual(['DataWatchRemoved /rm']);
    await other.setData('/rm', 'b');
    expect(await keep.next()).toEqual(['NodeDataChanged /rm']);
    expect(seen).toEqual(['DataWatchRemoved /rm']);
  });

  test('removeAllWatches removes every watcher of a type; NO_WATCHER when none is left', async () => {
    await client.create('/rma');
    const a = recorder();
    const b = recorder();
    await client.getChildren('/rma', a.watcher);
    await client.getChildren('/rma', b.watcher);
    const removed: string[] = [];
    const c = (event: WatchedEvent): void => {
      removed.push(event.type);
    };
    await client.getChildren('/rma', c);
    await client.removeAllWatches('/rma', 'Children');
    expect(removed).toEqual(['ChildWatchRemoved']);
    const error = await client.removeAllWatches('/rma', 'Children').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZkError);
    expect((error as ZkError).code).toBe('NO_WATCHER');
    await expect(client.removeWatches('/rma', c, 'Any')).rejects.toMatchObject({ code: 'NO_WATCHER' });
  });
});
