/**
 * Leader election: LeaderLatch (start, hasLeadership, await, close, isLeader/notLeader, giving
 * up leadership when the session is lost, rejoining in a new session) and LeaderSelector
 * (takeLeadership turns, autoRequeue, interruption on session loss).
 */
import { describe, expect, test } from 'vitest';
import { LeaderLatch, LeaderSelector } from '../src/index.js';
import { deferred, eventually, nextEvent, useTarget } from './support/harness.js';
import { targetKinds } from './support/targets.js';

describe.each(targetKinds)('leader latch on %s', (kind) => {
  const zk = useTarget(kind);

  test('exactly one leader; closing it elects the next, in join order', async () => {
    const path = zk.path('latch');
    const latches: LeaderLatch[] = [];
    for (const id of ['a', 'b', 'c']) {
      const latch = new LeaderLatch(await zk.client(), path, { id });
      await latch.start();
      latches.push(latch);
    }
    const [a, b, c] = latches as [LeaderLatch, LeaderLatch, LeaderLatch];
    expect(await a.await({ timeoutMs: 5_000 })).toBe(true);
    expect([a.hasLeadership(), b.hasLeadership(), c.hasLeadership()]).toEqual([true, false, false]);
    expect(await b.await({ timeoutMs: 100 })).toBe(false);
    expect(await b.getLeader()).toEqual({ id: 'a', isLeader: true });
    expect((await c.getParticipants()).map((participant) => participant.id)).toEqual(['a', 'b', 'c']);

    const bLeads = nextEvent(b, 'isLeader');
    await a.close();
    await bLeads;
    expect(b.hasLeadership()).toBe(true);
    expect(c.hasLeadership()).toBe(false);
    expect((await c.getParticipants()).map((participant) => participant.id)).toEqual(['b', 'c']);
    await b.close('NOTIFY_LEADER');
    expect(await c.await({ timeoutMs: 5_000 })).toBe(true);
    await c.close();
  });

  test('a leader whose session is lost hears notLeader and the next participant leads', async () => {
    const path = zk.path('latch-expire');
    const leaderClient = await zk.client();
    const leader = new LeaderLatch(leaderClient, path, { id: 'first' });
    await leader.start();
    const follower = new LeaderLatch(await zk.client(), path, { id: 'second' });
    await follower.start();
    expect(leader.hasLeadership()).toBe(true);
    const notLeader = nextEvent(leader, 'notLeader');
    const followerLeads = nextEvent(follower, 'isLeader');
    await zk.target.killSession(leaderClient);
    await notLeader;
    await followerLeads;
    expect(leader.hasLeadership()).toBe(false);
    await follower.close();
  });

  test('with a managed client the latch rejoins in the new session after expiry', async () => {
    const path = zk.path('latch-rejoin');
    const managed = await zk.managed();
    const latch = new LeaderLatch(managed, path, { id: 'phoenix' });
    await latch.start();
    expect(latch.hasLeadership()).toBe(true);
    const oldSessionId = managed.client.sessionId;
    const notLeader = nextEvent(latch, 'notLeader');
    await zk.target.killSession(managed.client);
    await notLeader;
    await nextEvent(latch, 'isLeader');
    expect(managed.client.sessionId).not.toBe(oldSessionId);
    const observer = await zk.client();
    const children = await observer.getChildren(path);
    expect(children).toHaveLength(1);
    expect((await observer.exists(`${path}/${children[0]}`))?.ephemeralOwner).toBe(managed.client.sessionId);
    await latch.close();
  });
});

describe.each(targetKinds)('leader selector on %s', (kind) => {
  const zk = useTarget(kind);

  test('with autoRequeue, participants take turns; never two leaders at once', async () => {
    const path = zk.path('selector');
    const turns: string[] = [];
    let leaders = 0;
    let overlaps = 0;
    const selectors: LeaderSelector[] = [];
    for (const id of ['x', 'y', 'z']) {
      const selector = new LeaderSelector(
        await zk.client(),
        path,
        {
          async takeLeadership(signal) {
            leaders++;
            if (leaders > 1) overlaps++;
            turns.push(id);
            await new Promise((resolve) => setTimeout(resolve, 10));
            leaders--;
            expect(signal.aborted).toBe(false);
          },
        },
        { id, autoRequeue: true },
      );
      selectors.push(selector);
      selector.start();
    }
    await eventually('nine turns', () => turns.length >= 9);
    for (const selector of selectors) await selector.close();
    expect(overlaps).toBe(0);
    expect(new Set(turns)).toEqual(new Set(['x', 'y', 'z']));
  });

  test("a leader's signal aborts when its session is lost; another participant takes over", async () => {
    const path = zk.path('selector-expire');
    const leaderClient = await zk.client();
    const aborted = deferred();
    const first = new LeaderSelector(leaderClient, path, {
      async takeLeadership(signal) {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        aborted.resolve();
      },
    });
    first.start();
    await eventually('first leads', () => first.hasLeadership());
    const secondLeads = deferred();
    const second = new LeaderSelector(await zk.client(), path, {
      async takeLeadership() {
        secondLeads.resolve();
      },
    });
    second.start();
    await zk.target.killSession(leaderClient);
    await aborted.promise;
    await secondLeads.promise;
    await eventually('first gave up', () => !first.hasLeadership());
    await first.close();
    await second.close();
  });

  test('interruptLeadership ends a turn; requeue joins again', async () => {
    const path = zk.path('selector-interrupt');
    let turns = 0;
    const selector = new LeaderSelector(await zk.client(), path, {
      async takeLeadership(signal) {
        turns++;
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      },
    });
    selector.start();
    await eventually('leads', () => selector.hasLeadership());
    selector.interruptLeadership();
    await eventually('turn over', () => !selector.hasLeadership());
    await eventually('requeue accepted', () => selector.requeue());
    await eventually('leads again', () => selector.hasLeadership() && turns === 2);
    await selector.close();
    expect((await selector.getParticipants()).length).toBe(0);
  });
});
