import { afterEach, describe, expect, test } from 'vitest';
import { connect, type ZkClient } from '@zkts/client';
import { startEnsemble, type EmbeddedEnsemble } from '../src/index.js';

const running: EmbeddedEnsemble[] = [];
const clients: ZkClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
  await Promise.all(running.splice(0).map((ensemble) => ensemble.stop()));
});

async function ensembleOf(voters: number, observers = 0, serverOptions = {}): Promise<EmbeddedEnsemble> {
  const ensemble = await startEnsemble({ voters, observers, webSocket: false, serverOptions });
  running.push(ensemble);
  return ensemble;
}

async function clientOf(connectString: string): Promise<ZkClient> {
  const client = await connect(connectString, { sessionTimeoutMs: 4000 });
  clients.push(client);
  return client;
}

/** Polls until `probe` returns true or the deadline passes. */
async function eventually(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Retries an operation that fails while the client fails over (CONNECTION_LOSS and friends). */
async function retrying<T>(operation: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function memberString(ensemble: EmbeddedEnsemble, id: number): string {
  return ensemble.server(id)!.connectString;
}

describe('embedded ensemble', () => {
  test('3 voters elect exactly one leader and replicate writes to every member', async () => {
    const ensemble = await ensembleOf(3);
    const states = ensemble.servers.map((server) => server.peerState).sort();
    expect(states).toEqual(['FOLLOWING', 'FOLLOWING', 'LEADING']);
    const follower = ensemble.servers.find((server) => server.peerState === 'FOLLOWING')!;
    const client = await clientOf(follower.connectString);
    await client.create('/replicated', 'v1');
    await client.setData('/replicated', 'v2');
    for (const server of ensemble.servers) {
      const reader = await clientOf(server.connectString);
      await reader.sync('/replicated');
      const { data, stat } = await reader.getData('/replicated');
      expect(new TextDecoder().decode(data ?? new Uint8Array())).toBe('v2');
      expect(stat.version).toBe(1);
    }
    await eventually(() => new Set(ensemble.servers.map((server) => server.treeDigest())).size === 1, 'identical digests');
  });

  test('a quorum of 3 survives one failure, stops writes without quorum and resumes when it returns', async () => {
    const ensemble = await ensembleOf(3);
    const client = await clientOf(ensemble.connectString);
    await client.create('/q', '0');
    const leader = ensemble.leader()!;
    const others = ensemble.servers.filter((server) => server !== leader).map((server) => server.serverId);
    await ensemble.kill(others[0]!);
    await retrying(() => client.setData('/q', '1'));
    await ensemble.kill(others[1]!);
    await eventually(() => ensemble.servers.every((server) => !server.isServing), 'the lone member to stop serving');
    await expect(client.setData('/q', '2')).rejects.toMatchObject({ name: 'ZkError' });
    await ensemble.restart(others[0]!);
    await ensemble.waitForLeader();
    await retrying(() => client.setData('/q', '3'));
    const { data } = await retrying(() => client.getData('/q'));
    expect(new TextDecoder().decode(data!)).toBe('3');
  });

  test('4 voters tolerate one failure but not two', async () => {
    const ensemble = await ensembleOf(4);
    const leader = ensemble.leader()!;
    const followers = ensemble.servers.filter((server) => server !== leader).map((server) => server.serverId);
    await ensemble.kill(followers[0]!);
    const client = await clientOf(ensemble.leader()!.connectString);
    await client.create('/four', 'x');
    await ensemble.kill(followers[1]!);
    await eventually(() => ensemble.servers.every((server) => !server.isServing), 'no quorum with 2 of 4');
  });

  test('observers never count toward quorum', async () => {
    const ensemble = await ensembleOf(3, 2);
    expect(ensemble.servers.filter((server) => server.peerState === 'OBSERVING').map((s) => s.serverId).sort()).toEqual([4, 5]);
    const observerClient = await clientOf(memberString(ensemble, 4));
    await observerClient.create('/via-observer', 'o');
    const leader = ensemble.leader()!;
    const voterFollowers = ensemble.servers.filter((s) => s.peerState === 'FOLLOWING').map((s) => s.serverId);
    expect(voterFollowers).toHaveLength(2);
    await ensemble.kill(voterFollowers[0]!);
    await ensemble.kill(voterFollowers[1]!);
    await eventually(() => ensemble.servers.every((server) => !server.isServing), 'leader and observers to stop serving');
    expect(leader.isServing).toBe(false);
  });

  test('a follower that was down during writes catches up, by DIFF and by SNAP', async () => {
    for (const maxLogEntriesForDiff of [100_000, 5]) {
      const ensemble = await ensembleOf(3, 0, { maxLogEntriesForDiff });
      const leader = ensemble.leader()!;
      const lagging = ensemble.servers.find((server) => server !== leader)!.serverId;
      await ensemble.kill(lagging);
      const client = await clientOf(leader.connectString);
      for (let i = 0; i < 30; i++) await client.create(`/catch-up-${i}`, String(i));
      const restarted = await ensemble.restart(lagging);
      await eventually(() => restarted.isServing && restarted.lastProcessedZxid === leader.lastProcessedZxid, 'the restarted member to catch up');
      expect(restarted.treeDigest()).toBe(leader.treeDigest());
      await ensemble.stop();
    }
  });

  test('a write through a member the session has left fails with SESSION_MOVED', async () => {
    const ensemble = await ensembleOf(3);
    const [first, second] = ensemble.servers.filter((server) => server.peerState === 'FOLLOWING');
    const original = await clientOf(first!.connectString);
    await original.create('/moved', 'a');
    // The same session, taken over through another member (as a client that failed over would).
    const moved = await connect(second!.connectString, { sessionId: original.sessionId, sessionPassword: original.sessionPassword, sessionTimeoutMs: 4000 });
    clients.push(moved);
    await moved.setData('/moved', 'b');
    await expect(original.setData('/moved', 'c')).rejects.toMatchObject({ code: 'SESSION_MOVED' });
    const { data } = await moved.getData('/moved');
    expect(new TextDecoder().decode(data!)).toBe('b');
  });

  test('leader loss under write load elects a higher epoch and keeps every acknowledged write', async () => {
    const ensemble = await ensembleOf(3);
    const oldLeader = ensemble.leader()!;
    const oldEpoch = oldLeader.epoch;
    const client = await clientOf(ensemble.servers.find((s) => s !== oldLeader)!.connectString);
    const acknowledged: string[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          acknowledged.push(await client.create(`/load-${i}`, String(i)));
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
    })();
    await eventually(() => acknowledged.length >= 20, 'some writes before the kill');
    await ensemble.kill(oldLeader.serverId);
    const newLeader = await ensemble.waitForLeader();
    expect(newLeader.epoch).toBeGreaterThan(oldEpoch);
    const countAtFailover = acknowledged.length;
    await eventually(() => acknowledged.length >= countAtFailover + 20, 'writes after failover');
    stop = true;
    await writer;
    await ensemble.restart(oldLeader.serverId);
    await ensemble.waitForAllServing();
    await eventually(
      () => ensemble.servers.every((s) => s.isServing && s.lastProcessedZxid === newLeader.lastProcessedZxid),
      'all members to converge',
    );
    expect(new Set(ensemble.servers.map((s) => s.treeDigest())).size).toBe(1);
    const verifier = await clientOf(ensemble.connectString);
    await retrying(() => verifier.sync('/'));
    for (const path of acknowledged) expect(await retrying(() => verifier.exists(path))).not.toBeNull();
  });
});
