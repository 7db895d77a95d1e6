/**
 * The distributed lock (not reentrant): mutual exclusion under contention with increasing
 * fencing tokens, no herd effect, recovery from a crashed or expired holder, cleanup after
 * timeout and abort, and recovery of a create whose reply was lost (protection mode).
 */
import { describe, expect, test } from 'vitest';
import { ZkError, connect } from '@zkts/client';
import { DistributedLock, type LockHandle, lock } from '../src/index.js';
import { countingClient, watchCounters } from './support/counting-client.js';
import { startFixture } from './support/child-process.js';
import { eventually, isSettled, nextEvent, rejection, useTarget } from './support/harness.js';
import { startReplyDroppingProxy } from './support/reply-dropping-proxy.js';
import { fastClient, targetKinds } from './support/targets.js';

describe.each(targetKinds)('distributed lock on %s', (kind) => {
  const zk = useTarget(kind);

  test('10 clients × 50 acquisitions: exact count, one holder at a time, strictly increasing fencing tokens', async () => {
    const lockPath = zk.path('mutex');
    const counterPath = zk.path('counter');
    const setup = await zk.client();
    await setup.create(counterPath, '0');
    const clients = await Promise.all(Array.from({ length: 10 }, () => zk.client()));
    const tokens: bigint[] = [];
    let inside = 0;
    let overlaps = 0;
    await Promise.all(
      clients.map(async (client) => {
        const mutex = new DistributedLock(client, lockPath);
        for (let i = 0; i < 50; i++) {
          const held = await mutex.acquire({ timeoutMs: 20_000 });
          try {
            inside++;
            if (inside > 1) overlaps++;
            tokens.push(held.fencingToken.czxid);
            // Read, then write without a version: only mutual exclusion keeps this exact.
            const { data } = await client.getData(counterPath);
            await client.setData(counterPath, String(Number(new TextDecoder().decode(data!)) + 1));
            inside--;
          } finally {
            await held.release();
          }
        }
      }),
    );
    const { data } = await setup.getData(counterPath);
    expect(new TextDecoder().decode(data!)).toBe('500');
    expect(overlaps).toBe(0);
    expect(tokens).toHaveLength(500);
    for (let i = 1; i < tokens.length; i++) expect(tokens[i]! > tokens[i - 1]!).toBe(true);
    expect(await setup.getChildren(lockPath)).toEqual([]);
  });

  test('no herd: with 20 waiters each release fires exactly one watch, on the next waiter', async () => {
    const lockPath = zk.path('herd');
    const holderClient = await zk.client();
    const holder = await lock(holderClient, lockPath).acquire();
    const counters = watchCounters();
    const waiters = await Promise.all(Array.from({ length: 20 }, async () => countingClient(await zk.client(), counters)));
    const order: number[] = [];
    const done = waiters.map(async (client, index) => {
      const held = await lock(client, lockPath).acquire({ timeoutMs: 30_000 });
      order.push(index);
      await held.release();
    });
    // Every waiter has created its node and set exactly one watch, on its predecessor.
    await eventually('20 watches set', () => counters.registered === 20);
    expect((await holderClient.getChildren(lockPath)).length).toBe(21);
    const watches = await zk.target.fourLetterWord('wchs');
    expect(watches).toMatch(/watching 20 paths/);
    expect(watches).toMatch(/Total watches:\s*20\b/);
    expect(counters.fired).toBe(0);
    await holder.release();
    await Promise.all(done);
    expect(order).toHaveLength(20);
    // One release per waiter woke exactly one waiter: 20 firings, on 20 different nodes.
    expect(counters.fired).toBe(20);
    expect(new Set(counters.firedPaths).size).toBe(20);
    expect(counters.registered).toBe(20);
  });

  test('a crashed holder (SIGKILL) hands the lock to the next waiter within the session timeout + 1 s', async () => {
    const lockPath = zk.path('crash');
    const child = await startFixture('hold-lock', [zk.target.connectString, lockPath, '2000']);
    try {
      const line = await child.waitForLine(/^HELD /);
      const negotiatedMs = Number(line.split(' ')[2]);
      expect(negotiatedMs).toBe(2000);
      const waiterClient = await zk.client();
      const waiting = lock(waiterClient, lockPath).acquire({ timeoutMs: 15_000 });
      await eventually('waiter queued', async () => (await waiterClient.getChildren(lockPath)).length === 2);
      const killedAt = performance.now();
      await child.kill();
      const held = await waiting;
      const elapsedMs = performance.now() - killedAt;
      expect(elapsedMs).toBeLessThan(negotiatedMs + 1_000);
      expect(held.fencingToken.czxid > BigInt(line.split(' ')[1]!)).toBe(true);
      await held.release();
    } finally {
      await child.kill();
    }
  });

  test('an expired holder hears `lost` (after `suspended`) and the next waiter gets the lock', async () => {
    const lockPath = zk.path('expire');
    const holderClient = await zk.client();
    const held = await lock(holderClient, lockPath).acquire();
    const events: string[] = [];
    held.on('suspended', () => events.push('suspended'));
    held.on('lost', () => events.push('lost'));
    const lost = nextEvent(held, 'lost');
    const waiterClient = await zk.client();
    const waiting = lock(waiterClient, lockPath).acquire({ timeoutMs: 10_000 });
    await eventually('waiter queued', async () => (await waiterClient.getChildren(lockPath)).length === 2);
    const killedAt = performance.now();
    await zk.target.killSession(holderClient);
    await lost;
    const next = await waiting;
    expect(performance.now() - killedAt).toBeLessThan(3_000);
    expect(events).toEqual(['suspended', 'lost']);
    expect(held.isHeld).toBe(false);
    expect(held.signal.aborted).toBe(true);
    expect(next.fencingToken.czxid > held.fencingToken.czxid).toBe(true);
    await held.release(); // harmless after loss
    await next.release();
  });

  test('timeout and abort: the call rejects and the contender deletes its node', async () => {
    const lockPath = zk.path('timeout');
    const holderClient = await zk.client();
    const other = await zk.client();
    const held = await lock(holderClient, lockPath).acquire();
    const timedOut = await rejection(lock(other, lockPath).acquire({ timeoutMs: 300 }));
    expect(timedOut).toBeInstanceOf(ZkError);
    expect((timedOut as ZkError).code).toBe('OPERATION_TIMEOUT');
    expect(await lock(other, lockPath).tryAcquire({ timeoutMs: 100 })).toBeUndefined();
    expect(await holderClient.getChildren(lockPath)).toHaveLength(1);

    const controller = new AbortController();
    const aborted = lock(other, lockPath).acquire({ signal: controller.signal });
    await eventually('contender queued', async () => (await holderClient.getChildren(lockPath)).length === 2);
    const reason = new Error('changed my mind');
    controller.abort(reason);
    expect(await rejection(aborted)).toBe(reason);
    expect(await holderClient.getChildren(lockPath)).toHaveLength(1);
    await held.release();
    expect(await holderClient.getChildren(lockPath)).toEqual([]);
  });

  test('a second acquire through the same object waits: the lock is not reentrant', async () => {
    const lockPath = zk.path('not-reentrant');
    const client = await zk.client();
    const mutex = lock(client, lockPath);
    const first = await mutex.acquire();
    const second = mutex.acquire({ timeoutMs: 5_000 });
    await eventually('second contender queued', async () => (await mutex.participantNodes()).length === 2);
    expect(await isSettled(second)).toBe(false);
    await first.release();
    const handle: LockHandle = await second;
    expect(handle.isHeld).toBe(true);
    await handle.release();
  });

  test('`await using` releases the lock at the end of the block', async () => {
    const lockPath = zk.path('using');
    const client = await zk.client();
    {
      await using held = await lock(client, lockPath).acquire();
      expect(await client.getChildren(lockPath)).toEqual([held.path.slice(lockPath.length + 1)]);
    }
    expect(await client.getChildren(lockPath)).toEqual([]);
  });

  test('protection: a create whose reply is lost is found by its prefix, leaving no orphan node', async () => {
    const lockPath = zk.path('protected');
    const observer = await zk.client();
    await observer.create(lockPath);
    const proxy = await startReplyDroppingProxy(zk.target.connectString, '_c_');
    const client = await connect(proxy.connectString, { ...fastClient });
    try {
      const held = await lock(client, lockPath).acquire({ timeoutMs: 10_000 });
      expect(proxy.droppedReplies).toBe(1);
      const children = await observer.getChildren(lockPath);
      expect(children).toHaveLength(1);
      expect(held.path).toBe(`${lockPath}/${children[0]}`);
      expect(children[0]).toMatch(/^_c_[0-9a-f-]{36}-lock-\d{10}$/);
      await held.release();
      expect(await observer.getChildren(lockPath)).toEqual([]);
    } finally {
      await client.close();
      await proxy.close();
    }
  });
});
