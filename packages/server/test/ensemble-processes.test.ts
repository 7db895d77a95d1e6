import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { connect } from '@zkts/client';
import { findFreePort } from '../src/internal.js';

const zkServerBin = fileURLToPath(new URL('../../cli/dist/zk-server.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'zkts-ensemble-processes-'));
const processes = new Map<number, ChildProcess>();

afterAll(() => {
  for (const child of processes.values()) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

interface Member {
  id: number;
  clientPort: number;
  adminPort: number;
  config: string;
}

async function admin(member: Member, command: string): Promise<Record<string, unknown> | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${member.adminPort}/commands/${command}`, { signal: AbortSignal.timeout(1000) });
    return (await response.json()) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function pollUntil<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function start(member: Member): void {
  const child = spawn(process.execPath, [zkServerBin, 'start', member.config], { stdio: ['ignore', 'ignore', 'inherit'] });
  processes.set(member.id, child);
}

function kill9(member: Member): Promise<void> {
  const child = processes.get(member.id)!;
  processes.delete(member.id);
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function leaderOf(members: Member[], excluding?: number): Promise<Member | undefined> {
  for (const member of members) {
    if (member.id === excluding) continue;
    const answer = await admin(member, 'stat');
    if (answer?.['server_state'] === 'leader') return member;
  }
  return undefined;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('3 real server processes', () => {
  test('kill -9 of the leader under write load: new epoch, no acknowledged write lost, identical trees, sessions kept', { timeout: 150_000 }, async () => {
    expect(existsSync(zkServerBin), 'run `npx tsc -b` first: this test runs the built zk-server').toBe(true);
    const members: Member[] = [];
    const quorumPorts = [await findFreePort('127.0.0.1'), await findFreePort('127.0.0.1'), await findFreePort('127.0.0.1')];
    for (let id = 1; id <= 3; id++) {
      const dataDir = join(root, `server${id}`);
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, 'myid'), `${id}\n`);
      const clientPort = await findFreePort('127.0.0.1');
      const adminPort = await findFreePort('127.0.0.1');
      const config = join(dataDir, 'zoo.cfg');
      writeFileSync(
        config,
        [
          'tickTime=500',
          'initLimit=10',
          'syncLimit=5',
          `dataDir=${dataDir}`,
          `clientPort=${clientPort}`,
          'clientPortAddress=127.0.0.1',
          `admin.serverPort=${adminPort}`,
          ...quorumPorts.map((port, index) => `server.${index + 1}=127.0.0.1:${port}:${port + 1}`),
          '',
        ].join('\n'),
      );
      members.push({ id, clientPort, adminPort, config });
    }
    members.forEach(start);
    await pollUntil(() => leaderOf(members), 'a first leader');

    const connectString = members.map((m) => `127.0.0.1:${m.clientPort}`).join(',');
    const client = await connect(connectString, { sessionTimeoutMs: 10_000, spinDelayMs: 0, reconnectDelayMaxMs: 5 });
    const sessionId = client.sessionId;
    await client.create('/owned', 'mine', { mode: 'EPHEMERAL' });
    const acknowledged: string[] = [];
    let next = 0;
    let lastAckAt = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const path = `/load-${next++}`;
        try {
          await client.create(path, 'x');
          acknowledged.push(path);
          lastAckAt = performance.now();
        } catch {
          // Connection loss while failing over: try the next write.
        }
      }
    })();

    const toFirstWriteMs: number[] = [];
    const toLeaderMs: number[] = [];
    let epoch = Number((await admin((await leaderOf(members))!, 'leader'))!['epoch']);
    for (let round = 0; round < 5; round++) {
      const leader = (await leaderOf(members))!;
      const before = acknowledged.length;
      await pollUntil(async () => (acknowledged.length >= before + 50 ? true : undefined), 'writes before the kill');
      const killedAt = performance.now();
      await kill9(leader);
      const newLeader = await pollUntil(() => leaderOf(members, leader.id), 'a new leader');
      toLeaderMs.push(performance.now() - killedAt);
      await pollUntil(async () => (lastAckAt > killedAt ? true : undefined), 'the first write after the kill');
      toFirstWriteMs.push(lastAckAt - killedAt);
      const newEpoch = Number((await admin(newLeader, 'leader'))!['epoch']);
      expect(newEpoch).toBeGreaterThan(epoch);
      epoch = newEpoch;
      start(leader);
      await pollUntil(async () => ((await admin(leader, 'stat'))?.['server_state'] === 'follower' ? true : undefined), 'the old leader to rejoin');
    }
    writing = false;
    await writer;
    expect(client.sessionId).toBe(sessionId);
    await client.sync('/');
    expect(await client.exists('/owned')).not.toBeNull();

    // Every member converges to the same tree, and every acknowledged write is in it.
    const digests = await pollUntil(async () => {
      const hashes = await Promise.all(members.map((m) => admin(m, 'hash')));
      const values = hashes.map((h) => JSON.stringify((h?.['digests'] as unknown[] | undefined)?.[0]));
      return values.every((v) => v !== undefined && v === values[0]) ? values : undefined;
    }, 'identical digests');
    expect(new Set(digests).size).toBe(1);
    for (const member of members) {
      const reader = await connect(`127.0.0.1:${member.clientPort}`);
      const children = new Set(await reader.getChildren('/'));
      for (const path of acknowledged) expect(children.has(path.slice(1)), `${path} on server ${member.id}`).toBe(true);
      await reader.close();
    }
    await client.close();
    console.log(
      `failover over 5 kills: kill → first write median ${median(toFirstWriteMs).toFixed(0)} ms [${toFirstWriteMs.map((v) => v.toFixed(0)).join(', ')}], ` +
        `kill → new leader median ${median(toLeaderMs).toFixed(0)} ms [${toLeaderMs.map((v) => v.toFixed(0)).join(', ')}], ${acknowledged.length} writes acknowledged`,
    );
  });
});
