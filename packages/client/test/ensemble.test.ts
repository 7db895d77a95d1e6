/**
 * Failover in a three-server Apache ZooKeeper ensemble: the server a client is connected to
 * dies, and the client moves to another server with the same session, its watches and its
 * ephemeral nodes.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ApacheZooKeeper, startApacheZooKeeper } from '../../../test-support/apache-zookeeper.js';
import { pollUntil } from '../../../test-support/poll.js';
import { type WatchedEvent, type ZkClient, connect } from '../src/index.js';

let zk: ApacheZooKeeper;

beforeAll(async () => {
  zk = await startApacheZooKeeper({ servers: 3, tickTimeMs: 500 });
});

afterAll(async () => {
  await zk?.stop();
});

test('killing the connected server moves the session to another server', async () => {
  const leader = await zk.leader();
  const followers = zk.servers.filter((server) => server !== leader);
  // Only followers in the connect string: killing one leaves the quorum (and the session) intact.
  const client: ZkClient = await connect(followers.map((server) => server.connectString).join(','), {
    sessionTimeoutMs: 10_000,
    spinDelayMs: 50,
    reconnectDelayMaxMs: 50,
    randomSeed: 11,
  });
  const observer = await connect(leader.connectString);
  try {
    const sessionId = client.sessionId;
    await client.create('/failover', 'v');
    await client.create('/failover/eph', null, { mode: 'EPHEMERAL' });
    const events: string[] = [];
    await client.getData('/failover', (event: WatchedEvent) => events.push(`${event.type} ${event.state}`));
    const current = client.currentServer;
    const victim = followers.find((server) => current?.transport === 'tcp' && server.clientPort === current.port);
    expect(victim).toBeDefined();
    const reconnected = new Promise<void>((resolve) => client.once('connected', () => resolve()));
    await victim!.kill();
    await reconnected;
    expect(client.sessionId).toBe(sessionId);
    const now = client.currentServer;
    expect(now?.transport === 'tcp' ? now.port : 0).not.toBe(victim!.clientPort);
    expect((await observer.exists('/failover/eph'))?.ephemeralOwner).toBe(sessionId);
    await observer.setData('/failover', 'w');
    await pollUntil(async () => (events.length >= 3 ? true : undefined), { timeoutMs: 10_000, description: 'watch event after failover' });
    expect(events).toEqual(['None Disconnected', 'None SyncConnected', 'NodeDataChanged SyncConnected']);
  } finally {
    await client.close();
    await observer.close();
  }
});
