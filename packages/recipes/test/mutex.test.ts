/**
 * The reentrant mutex (InterProcessMutex semantics): re-entry without a round trip, the node
 * deleted when the count returns to zero, other owners waiting meanwhile; async-context owners;
 * `await using`.
 */
import { describe, expect, test } from 'vitest';
import { Mutex, mutex } from '../src/index.js';
import { countingClient, requestCount, watchCounters } from './support/counting-client.js';
import { eventually, isSettled, useTarget } from './support/harness.js';
import { targetKinds } from './support/targets.js';

describe.each(targetKinds)('reentrant mutex on %s', (kind) => {
  const zk = useTarget(kind);

  test('one owner acquires 3× and releases 3×; the node goes at zero; another owner waits throughout', async () => {
    const lockPath = zk.path('reentrant');
    const counters = watchCounters();
    const ownerClient = countingClient(await zk.client(), counters);
    const observer = await zk.client();
    const owner = new Mutex(ownerClient, lockPath);
    const other = new Mutex(await zk.client(), lockPath);

    const first = await owner.acquire();
    const nodeName = first.path.slice(lockPath.length + 1);
    const otherAcquired = other.acquire({ timeoutMs: 10_000 });
    await eventually('other owner queued', async () => (await observer.getChildren(lockPath)).length === 2);

    // Re-entry is local: no request reaches the server.
    const requestsBefore = requestCount(counters);
    const second = await owner.acquire();
    const third = await owner.acquire();
    expect(requestCount(counters)).toBe(requestsBefore);
    expect(owner.holdCount).toBe(3);
    expect(second.path).toBe(first.path);
    expect(third.fencingToken).toEqual(first.fencingToken);
    expect((await observer.getChildren(lockPath)).length).toBe(2);

    await third.release();
    await second.release();
    expect(owner.holdCount).toBe(1);
    expect(await observer.getChildren(lockPath)).toContain(nodeName);
    expect(await isSettled(otherAcquired)).toBe(false);

    await first.release();
    const otherHandle = await otherAcquired;
    expect(await observer.getChildren(lockPath)).not.toContain(nodeName);
    expect(owner.isAcquiredInThisProcess).toBe(false);
    expect(other.isOwnedByCurrentOwner()).toBe(true);
    await otherHandle.release();
    expect(await observer.getChildren(lockPath)).toEqual([]);
  });

  test("Curator's example: acquire twice, release twice through mutex.release()", async () => {
    const lockPath = zk.path('curator-example');
    const counters = watchCounters();
    const client = countingClient(await zk.client(), counters);
    const lock1 = mutex(client, lockPath);
    await lock1.acquire();
    const requestsAfterFirst = requestCount(counters);
    await lock1.acquire();
    expect(requestCount(counters)).toBe(requestsAfterFirst);
    expect(lock1.holdCount).toBe(2);
    await lock1.release();
    expect(lock1.isOwnedByCurrentOwner()).toBe(true);
    await lock1.release();
    expect(lock1.isOwnedByCurrentOwner()).toBe(false);
    await expect(lock1.release()).rejects.toThrow(/do not own/);
    expect(await client.getChildren(lockPath)).toEqual([]);
  });

  test('a handle releases one hold, once; `await using` releases at block end', async () => {
    const lockPath = zk.path('using');
    const client = await zk.client();
    const lock1 = new Mutex(client, lockPath);
    {
      await using outer = await lock1.acquire();
      {
        await using inner = await lock1.acquire();
        expect(inner.path).toBe(outer.path);
        expect(lock1.holdCount).toBe(2);
      }
      expect(lock1.holdCount).toBe(1);
      await outer.release();
      await outer.release(); // idempotent: still one release
      expect(lock1.holdCount).toBe(0);
    }
    expect(await client.getChildren(lockPath)).toEqual([]);
  });

  test("owner: 'async-context': flows through one Mutex exclude each other, nested acquires re-enter", async () => {
    const lockPath = zk.path('async-owner');
    const client = await zk.client();
    const shared = new Mutex(client, lockPath, { owner: 'async-context' });
    let inside = 0;
    let maxInside = 0;
    const flow = (name: string): Promise<string> =>
      shared.withLock(async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        // Nested, awaited deeper in the same async context: re-entered, no second node.
        const nested = await shared.acquire();
        expect(shared.holdCount).toBe(2);
        expect((await client.getChildren(lockPath)).filter((child) => nested.path.endsWith(child))).toHaveLength(1);
        await new Promise((resolve) => setTimeout(resolve, 20));
        await nested.release();
        inside--;
        return name;
      });
    expect(await Promise.all([flow('a'), flow('b'), flow('c')])).toEqual(['a', 'b', 'c']);
    expect(maxInside).toBe(1);
    expect(await client.getChildren(lockPath)).toEqual([]);
  });

  test('with the default owner, concurrent acquires through one instance share the hold', async () => {
    const lockPath = zk.path('instance-owner');
    const client = await zk.client();
    const lock1 = new Mutex(client, lockPath);
    const [a, b] = await Promise.all([lock1.acquire(), lock1.acquire()]);
    expect(a.path).toBe(b.path);
    expect(lock1.holdCount).toBe(2);
    expect(await client.getChildren(lockPath)).toHaveLength(1);
    await a.release();
    await b.release();
    expect(await client.getChildren(lockPath)).toEqual([]);
  });

  test('a holder whose session expires hears `lost`; re-entering a lost lock is refused', async () => {
    const lockPath = zk.path('lost');
    const client = await zk.client();
    const lock1 = new Mutex(client, lockPath);
    const handle = await lock1.acquire();
    const lost = new Promise<void>((resolve) => lock1.once('lost', resolve));
    await zk.target.killSession(client);
    await lost;
    expect(handle.signal.aborted).toBe(true);
    await expect(lock1.acquire()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    await handle.release();
    expect(lock1.isAcquiredInThisProcess).toBe(false);
  });
});
