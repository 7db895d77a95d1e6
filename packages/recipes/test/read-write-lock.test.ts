/**
 * The read/write lock and the semaphore with leases.
 */
import { describe, expect, test } from 'vitest';
import { ReadWriteLock, Semaphore } from '../src/index.js';
import { eventually, isSettled, useTarget } from './support/harness.js';
import { targetKinds } from './support/targets.js';

describe.each(targetKinds)('read/write lock on %s', (kind) => {
  const zk = useTarget(kind);

  test('readers share; a writer waits for them; readers queued behind a writer wait for it', async () => {
    const lockPath = zk.path('rw');
    const observer = await zk.client();
    const [a, b, c, d] = await Promise.all([zk.client(), zk.client(), zk.client(), zk.client()]);
    const reader1 = await new ReadWriteLock(a, lockPath).readLock.acquire();
    const reader2 = await new ReadWriteLock(b, lockPath).readLock.acquire();
    const writer = new ReadWriteLock(c, lockPath).writeLock.acquire({ timeoutMs: 10_000 });
    await eventually('writer queued', async () => (await observer.getChildren(lockPath)).length === 3);
    const lateReader = new ReadWriteLock(d, lockPath).readLock.acquire({ timeoutMs: 10_000 });
    await eventually('late reader queued', async () => (await observer.getChildren(lockPath)).length === 4);
    expect(await isSettled(writer)).toBe(false);
    expect(await isSettled(lateReader)).toBe(false);
    await reader1.release();
    expect(await isSettled(writer)).toBe(false);
    await reader2.release();
    const writeHandle = await writer;
    expect(await isSettled(lateReader)).toBe(false);
    await writeHandle.release();
    const lateHandle = await lateReader;
    await lateHandle.release();
    expect(await observer.getChildren(lockPath)).toEqual([]);
  });

  test('the write lock owner may take the read lock (downgrade); others may not write meanwhile', async () => {
    const lockPath = zk.path('downgrade');
    const client = await zk.client();
    const rw = new ReadWriteLock(client, lockPath);
    const write = await rw.writeLock.acquire();
    const read = await rw.readLock.acquire({ timeoutMs: 2_000 });
    await write.release();
    const otherWriter = new ReadWriteLock(await zk.client(), lockPath).writeLock.tryAcquire({ timeoutMs: 200 });
    expect(await otherWriter).toBeUndefined();
    await read.release();
    expect(await client.getChildren(lockPath)).toEqual([]);
  });
});

describe.each(targetKinds)('semaphore on %s', (kind) => {
  const zk = useTarget(kind);

  test('at most maxLeases leases at once; a returned lease admits the next waiter', async () => {
    const path = zk.path('semaphore');
    const clients = await Promise.all([zk.client(), zk.client(), zk.client()]);
    const [s1, s2, s3] = clients.map((client) => new Semaphore(client, path, 2));
    const lease1 = await s1!.acquire();
    const lease2 = await s2!.acquire();
    expect(await s3!.tryAcquire({ timeoutMs: 200 })).toBeUndefined();
    const waiting = s3!.acquire({ timeoutMs: 10_000 });
    await eventually('third contender waits', async () => (await clients[0]!.getChildren(`${path}/leases`)).length === 3);
    expect(await isSettled(waiting)).toBe(false);
    await lease1.close();
    const lease3 = await waiting;
    expect((await s1!.participantNodes()).length).toBe(2);
    await lease2.close();
    await lease3.close();
    expect(await s1!.participantNodes()).toEqual([]);
  });

  test('acquireMany takes several leases; a holder whose session ends frees its leases', async () => {
    const path = zk.path('semaphore-many');
    const holderClient = await zk.client();
    const holder = new Semaphore(holderClient, path, 3);
    const leases = await holder.acquireMany(3);
    expect(leases).toHaveLength(3);
    const other = new Semaphore(await zk.client(), path, 3);
    expect(await other.tryAcquireMany(2, { timeoutMs: 200 })).toBeUndefined();
    const waiting = other.acquireMany(2, { timeoutMs: 10_000 });
    await zk.target.killSession(holderClient);
    const got = await waiting;
    expect(got).toHaveLength(2);
    for (const lease of got) await lease.close();
  });
});
