import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { connect, type ZkClient } from '@zkts/client';
import { ZkServer } from '../src/index.js';

const fixture = fileURLToPath(new URL('./fixtures/durable-server.mjs', import.meta.url));
const builtServer = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zkts-durability-'));
  dirs.push(dir);
  return dir;
}

/** Seeded PRNG (mulberry32), so a failing run is reproducible from its seed. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function startProcess(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [fixture, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /PORT (\d+)/.exec(output);
      if (match !== null) resolve({ child, port: Number(match[1]) });
    });
    child.once('exit', (code) => reject(new Error(`server process exited with ${code} before listening`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('durability', () => {
  test('a restarted server recovers every node, stat and session from its dataDir', async () => {
    const dataDir = tempDir();
    const first = new ZkServer({ tcpPort: 0, wsPort: null, dataDir, snapCount: 10 });
    await first.start();
    const client = await connect(first.connectString);
    await client.create('/kept', 'v0');
    for (let i = 1; i <= 25; i++) await client.setData('/kept', `v${i}`);
    await client.create('/kept/child', 'c', { mode: 'PERSISTENT_SEQUENTIAL' });
    const before = await client.getData('/kept');
    const digest = first.treeDigest();
    await client.close();
    await first.stop();

    const second = new ZkServer({ tcpPort: 0, wsPort: null, dataDir });
    await second.start();
    expect(second.treeDigest()).toBe(digest);
    const reader = await connect(second.connectString);
    const after = await reader.getData('/kept');
    expect(new TextDecoder().decode(after.data!)).toBe('v25');
    expect(after.stat).toEqual(before.stat);
    expect(await reader.getChildren('/kept')).toEqual(['child0000000000']);
    await reader.close();
    await second.stop();
  });

  test('kill -9 at random points under write load never loses an acknowledged write', { timeout: 180_000 }, async () => {
    expect(existsSync(builtServer), 'run `npx tsc -b` first: the crash test runs the built server').toBe(true);
    const seed = Number(process.env['ZKTS_CRASH_SEED'] ?? 20261122);
    const random = rng(seed);
    const dataDir = tempDir();
    const acknowledged = new Set<string>();
    const attempted = new Set<string>();
    let nextId = 0;
    let totalWrites = 0;
    const rounds = Number(process.env["ZKTS_CRASH_ROUNDS"] ?? 20);
    for (let round = 0; round < rounds; round++) {
      const { child, port } = await startProcess(dataDir);
      const client: ZkClient = await connect(`127.0.0.1:${port}`, { sessionTimeoutMs: 4000, reconnectDelayMaxMs: 10_000 });
      // Everything acknowledged before this crash must still be there.
      for (const path of acknowledged) {
        if ((await client.exists(path)) === null) throw new Error(`seed ${seed}, round ${round}: acknowledged ${path} is missing`);
      }
      for (const name of await client.getChildren('/')) {
        if (!name.startsWith('w')) continue;
        const path = `/${name}`;
        if (!attempted.has(path)) throw new Error(`seed ${seed}, round ${round}: ${path} exists but was never written`);
        acknowledged.add(path);
      }
      const killAfter = 300 + Math.floor(random() * 500);
      if (process.env["ZKTS_CRASH_DEBUG"]) console.log(`round ${round} port ${port} acked ${acknowledged.size} killAfter ${killAfter} t=${Date.now() % 100000}`);
      let acknowledgedThisRound = 0;
      const inFlightMax = 32;
      const writes: Promise<void>[] = [];
      let crashed = false;
      child.once('exit', () => {
        crashed = true;
      });
      // Pipelined creates; kill -9 lands while some are in flight.
      const killing = new Promise<void>((resolve) => {
        const pump = (): void => {
          while (!crashed && writes.length - acknowledgedThisRound < inFlightMax && acknowledgedThisRound < killAfter + inFlightMax) {
            const path = `/w${String(nextId++).padStart(7, '0')}`;
            attempted.add(path);
            totalWrites++;
            writes.push(
              client.create(path, path).then(
                () => {
                  acknowledged.add(path);
                  acknowledgedThisRound++;
                  if (acknowledgedThisRound === killAfter) {
                    child.kill('SIGKILL');
                    resolve();
                  }
                  pump();
                },
                () => {
                  // Failed (connection lost to the crash): neither acknowledged nor retried.
                  if (!crashed) pump();
                },
              ),
            );
          }
        };
        pump();
      });
      await killing;
      await killed(child);
      await Promise.allSettled(writes);
      await client.close().catch(() => undefined);
    }
    // One last restart checks the final crash too.
    const { port } = await startProcess(dataDir);
    const client = await connect(`127.0.0.1:${port}`);
    for (const path of acknowledged) expect(await client.exists(path), `seed ${seed}: ${path}`).not.toBeNull();
    const present = (await client.getChildren('/')).filter((name) => name.startsWith('w'));
    for (const name of present) expect(attempted.has(`/${name}`)).toBe(true);
    await client.close();
    expect(totalWrites).toBeGreaterThanOrEqual(10_000);
  });
});
