/**
 * Connection states as recipes see them (Curator's ConnectionState): a short cut suspends and
 * reconnects the same session; a cut longer than the session timeout loses it, and a managed
 * client opens a new one. Holders and leaders react as Curator's do.
 */
import { describe, expect, test } from 'vitest';
import { type ConnectionState, LeaderLatch, ManagedClient, connectManaged, deleteGuaranteed, lock } from '../src/index.js';
import { eventually, nextEvent, stateReached, useTarget } from './support/harness.js';
import { startTcpProxy } from './support/tcp-proxy.js';
import { fastClient, targetKinds } from './support/targets.js';

describe.each(targetKinds)('connection states on %s', (kind) => {
  const zk = useTarget(kind);

  test('a short cut: SUSPENDED then RECONNECTED in the same session; the lock is kept, leadership paused', async () => {
    const proxy = await startTcpProxy(zk.target.connectString);
    const managed = await connectManaged(proxy.connectString, { ...fastClient, sessionTimeoutMs: 4_000 });
    try {
      const states: ConnectionState[] = [];
      managed.on('stateChanged', (state) => states.push(state));
      const held = await lock(managed, zk.path('kept')).acquire();
      const lockEvents: string[] = [];
      held.on('suspended', () => lockEvents.push('suspended'));
      held.on('reconnected', () => lockEvents.push('reconnected'));
      held.on('lost', () => lockEvents.push('lost'));
      const latch = new LeaderLatch(managed, zk.path('paused'));
      await latch.start();
      expect(latch.hasLeadership()).toBe(true);
      const sessionId = managed.client.sessionId;

      const notLeader = nextEvent(latch, 'notLeader');
      proxy.cut();
      await notLeader;
      const isLeader = nextEvent(latch, 'isLeader');
      proxy.restore();
      await isLeader;
      expect(states).toEqual(['SUSPENDED', 'RECONNECTED']);
      expect(managed.client.sessionId).toBe(sessionId);
      expect(lockEvents).toEqual(['suspended', 'reconnected']);
      expect(held.isHeld).toBe(true);
      await held.release();
      await latch.close();
    } finally {
      await managed.close();
      await proxy.close();
    }
  });

  test('unreachable for longer than the session timeout: LOST, then a new session (RECONNECTED)', async () => {
    const proxy = await startTcpProxy(zk.target.connectString);
    const managed = await connectManaged(proxy.connectString, { ...fastClient, sessionTimeoutMs: 1_000 });
    try {
      const states: ConnectionState[] = [];
      managed.on('stateChanged', (state) => states.push(state));
      const held = await lock(managed, zk.path('gone')).acquire();
      const lost = nextEvent(held, 'lost');
      const sessionId = managed.client.sessionId;
      const lostState = stateReached(managed, 'LOST');
      proxy.cut();
      await lostState;
      await lost;
      expect(held.signal.aborted).toBe(true);
      proxy.restore();
      await stateReached(managed, 'RECONNECTED');
      expect(states).toEqual(['SUSPENDED', 'LOST', 'RECONNECTED']);
      expect(managed.client.sessionId).not.toBe(sessionId);
      // The new session works.
      const again = await lock(managed, zk.path('gone-again')).acquire({ timeoutMs: 5_000 });
      await again.release();
    } finally {
      await managed.close();
      await proxy.close();
    }
  });

  test('a guaranteed delete that cannot reach the server retries in the background until it succeeds', async () => {
    const proxy = await startTcpProxy(zk.target.connectString);
    const managed = await connectManaged(proxy.connectString, { ...fastClient, sessionTimeoutMs: 6_000 });
    try {
      const path = zk.path('guaranteed');
      const owner = managed.client;
      await owner.create(path, null, { mode: 'EPHEMERAL' });
      const suspended = stateReached(managed, 'SUSPENDED');
      proxy.cut();
      await suspended;
      // The first attempt fails with CONNECTION_LOSS; the call returns and the retries go on.
      await deleteGuaranteed(managed, owner, path);
      const observer = await zk.client();
      expect(await observer.exists(path)).not.toBeNull();
      proxy.restore();
      await managed.idle();
      expect(await observer.exists(path)).toBeNull();
      expect(managed.client.sessionId).toBe(owner.sessionId);
    } finally {
      await managed.close();
      await proxy.close();
    }
  });

  test('a plain client wrapped for recipes ends at expiry; a closed managed client refuses to wait', async () => {
    const client = await zk.client();
    const held = await lock(client, zk.path('plain')).acquire();
    const lost = nextEvent(held, 'lost');
    await zk.target.killSession(client);
    await lost;
    await expect(lock(client, zk.path('plain-after')).acquire()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    const managed = await zk.managed();
    expect(managed).toBeInstanceOf(ManagedClient);
    await managed.close();
    await expect(managed.connected()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    await eventually('closed', () => managed.isClosed);
  });
});
