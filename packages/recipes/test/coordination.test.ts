/**
 * Barriers and the shared counter.
 */
import { describe, expect, test } from 'vitest';
import { DistributedBarrier, DoubleBarrier, SharedCount } from '../src/index.js';
import { childrenOf, eventually, isSettled, nextEvent, useTarget } from './support/harness.js';
import { targetKinds } from './support/targets.js';

describe.each(targetKinds)('barriers on %s', (kind) => {
  const zk = useTarget(kind);

  test('DistributedBarrier: waiters block while it is set and all go when it is removed', async () => {
    const path = zk.path('barrier');
    const controller = new DistributedBarrier(await zk.client(), path);
    await controller.setBarrier();
    await controller.setBarrier(); // idempotent
    const waiters = await Promise.all([zk.client(), zk.client(), zk.client()]);
    expect(await new DistributedBarrier(waiters[0]!, path).waitOnBarrier({ timeoutMs: 100 })).toBe(false);
    const waiting = waiters.map((client) => new DistributedBarrier(client, path).waitOnBarrier({ timeoutMs: 10_000 }));
    expect(await isSettled(Promise.race(waiting))).toBe(false);
    await controller.removeBarrier();
    expect(await Promise.all(waiting)).toEqual([true, true, true]);
    expect(await new DistributedBarrier(waiters[0]!, path).waitOnBarrier()).toBe(true);
  });

  test('DoubleBarrier: enter blocks until all members entered; leave blocks until all left', async () => {
    const path = zk.path('double');
    const members = await Promise.all([zk.client(), zk.client(), zk.client()]);
    const barriers = members.map((client) => new DoubleBarrier(client, path, 3));
    const entering = [barriers[0]!.enter({ timeoutMs: 10_000 }), barriers[1]!.enter({ timeoutMs: 10_000 })];
    await eventually('two members in', async () => (await childrenOf(members[0]!, path)).length === 2);
    expect(await isSettled(Promise.race(entering))).toBe(false);
    expect(await barriers[2]!.enter({ timeoutMs: 10_000 })).toBe(true);
    expect(await Promise.all(entering)).toEqual([true, true]);

    const leaving = [barriers[0]!.leave({ timeoutMs: 10_000 }), barriers[1]!.leave({ timeoutMs: 10_000 })];
    await eventually('two members out', async () => (await childrenOf(members[0]!, path)).filter((name) => name !== 'ready').length === 1);
    expect(await isSettled(Promise.race(leaving))).toBe(false);
    expect(await barriers[2]!.leave({ timeoutMs: 10_000 })).toBe(true);
    expect(await Promise.all(leaving)).toEqual([true, true]);
  });

  test('DoubleBarrier: enter times out when too few members come', async () => {
    const path = zk.path('double-timeout');
    const barrier = new DoubleBarrier(await zk.client(), path, 2);
    expect(await barrier.enter({ timeoutMs: 200 })).toBe(false);
    expect(await barrier.leave({ timeoutMs: 2_000 })).toBe(true);
  });
});

describe.each(targetKinds)('shared count on %s', (kind) => {
  const zk = useTarget(kind);

  test('seeded once; changes reach every process; trySetCount is compare-and-set', async () => {
    const path = zk.path('count');
    const one = new SharedCount(await zk.client(), path, 10);
    const two = new SharedCount(await zk.client(), path, 99);
    await one.start();
    await two.start();
    expect([one.count, two.count]).toEqual([10, 10]); // the second seed is ignored

    const seen = nextEvent<[number]>(two, 'countChanged');
    await one.setCount(11);
    expect(await seen).toEqual([11]);
    expect(two.count).toBe(11);

    const stale = one.versionedValue;
    expect(await two.trySetCount(two.versionedValue, 12)).toBe(true);
    expect(two.count).toBe(12);
    await eventually('one sees 12', () => one.count === 12);
    expect(await one.trySetCount(stale, 50)).toBe(false);
    expect(one.count).toBe(12);
    expect(await one.trySetCount(one.versionedValue, -5)).toBe(true);
    await eventually('two sees -5', () => two.count === -5);
    await one.close();
    await two.close();
  });
});
