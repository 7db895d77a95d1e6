/**
 * Every example in examples/ runs to completion with one command and prints what it should:
 * against an embedded server (the default) and against Apache ZooKeeper through ZK_CONNECT.
 * The examples import the built packages (run `npx tsc -b` first); before `pnpm install` has
 * linked them, a resolve hook maps `@zkts/*` to packages/<name>/dist.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApacheZooKeeper, startApacheZooKeeper } from '../../../test-support/apache-zookeeper.js';
import { TICK_TIME_MS } from './support/targets.js';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url);
const hook = fileURLToPath(new URL('./support/zkts-packages-hook.mjs', import.meta.url));

async function runExample(name: string, env: Record<string, string> = {}): Promise<string[]> {
  const cwd = fileURLToPath(new URL(`examples/${name}/`, root));
  const { stdout } = await run(process.execPath, ['--import', hook, 'index.mjs'], { cwd, env: { ...process.env, ...env }, timeout: 30_000 });
  return stdout.trim().split('\n');
}

/** Lines of each worker must come in unbroken blocks: nobody else printed while it held the lock. */
function blocks(lines: readonly string[]): string[] {
  const owners: string[] = [];
  for (const line of lines) {
    const owner = /^(worker \d)/.exec(line)?.[1];
    if (owner !== undefined && owners[owners.length - 1] !== owner) owners.push(owner);
  }
  return owners;
}

const expectations: Record<string, (lines: string[]) => void> = {
  'service-discovery': (lines) => {
    expect(lines).toEqual([
      'online: []',
      '+ hadoop101 is online (127.0.0.1:8001)',
      'online: [hadoop101]',
      '+ hadoop102 is online (127.0.0.1:8002)',
      'online: [hadoop101, hadoop102]',
      '+ hadoop103 is online (127.0.0.1:8003)',
      'online: [hadoop101, hadoop102, hadoop103]',
      '- hadoop102 is offline',
      'online: [hadoop101, hadoop103]',
      '+ hadoop104 is online (127.0.0.1:8004)',
      'online: [hadoop101, hadoop103, hadoop104]',
      '- hadoop101 is offline',
      'online: [hadoop103, hadoop104]',
      '- hadoop103 is offline',
      'online: [hadoop104]',
      '- hadoop104 is offline',
      'online: []',
      'done',
    ]);
  },
  'distributed-lock': (lines) => {
    expect(lines.at(-1)).toBe('done');
    const work = lines.slice(0, -1);
    expect(work).toHaveLength(8);
    for (let i = 0; i < work.length; i += 2) {
      const worker = /^(worker \d) acquired the lock \(fencing token (\d+)\)$/.exec(work[i]!);
      expect(worker).not.toBeNull();
      expect(work[i + 1]).toBe(`${worker![1]} releases the lock`);
    }
    const tokens = work.filter((line) => line.includes('token')).map((line) => BigInt(/token (\d+)/.exec(line)![1]!));
    for (let i = 1; i < tokens.length; i++) expect(tokens[i]! > tokens[i - 1]!).toBe(true);
  },
  'reentrant-mutex': (lines) => {
    expect(lines.at(-1)).toBe('done');
    expect(lines).toHaveLength(9);
    expect(blocks(lines).sort()).toEqual(['worker 1', 'worker 2']);
    for (const worker of ['worker 1', 'worker 2']) {
      expect(lines.filter((line) => line.startsWith(worker))).toEqual([
        `${worker} acquired the lock`,
        `${worker} acquired the lock again (holds: 2)`,
        `${worker} released the lock`,
        `${worker} released the lock again`,
      ]);
    }
  },
  'leader-election': (lines) => {
    expect(lines.slice(0, 6)).toEqual([
      'latch: alpha is the leader',
      'latch: alpha steps down',
      'latch: beta is the leader',
      'latch: beta steps down',
      'latch: gamma is the leader',
      'latch: gamma steps down',
    ]);
    expect(lines.at(-1)).toBe('done');
    // Selectors queue in whatever order their nodes were created, then keep that order.
    const turns = lines.slice(6, -1).map((line) => /^selector: (\w+) leads \(turn (\d)\)$/.exec(line));
    expect(turns.map((turn) => Number(turn?.[2]))).toEqual([1, 2, 3, 4, 5, 6]);
    const leaders = turns.map((turn) => turn![1]);
    expect([...leaders.slice(0, 3)].sort()).toEqual(['alpha', 'beta', 'gamma']);
    expect(leaders.slice(3)).toEqual(leaders.slice(0, 3));
  },
};

describe('examples', () => {
  let zk: ApacheZooKeeper | undefined;
  beforeAll(async () => {
    for (const name of ['client', 'recipes', 'server']) {
      const dist = new URL(`packages/${name}/dist/index.js`, root);
      if (!existsSync(dist)) throw new Error(`${fileURLToPath(dist)} is missing: build with \`npx tsc -b\` before running the examples test`);
    }
    zk = await startApacheZooKeeper({ tickTimeMs: TICK_TIME_MS });
  });
  afterAll(async () => {
    await zk?.stop();
  });

  for (const [name, check] of Object.entries(expectations)) {
    test(`${name} against an embedded server`, async () => {
      check(await runExample(name));
    });
    test(`${name} against Apache ZooKeeper via ZK_CONNECT`, async () => {
      check(await runExample(name, { ZK_CONNECT: zk!.connectString }));
    });
  }

  test('every example directory is covered and runs with `start`', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const names = readdirSync(new URL('examples/', root), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(names.sort()).toEqual(Object.keys(expectations).sort());
    for (const name of names) {
      const manifest = JSON.parse(readFileSync(new URL(`examples/${name}/package.json`, root), 'utf8')) as { type: string; scripts: Record<string, string> };
      expect(manifest.type).toBe('module');
      expect(manifest.scripts['start']).toBe('node index.mjs');
    }
  });
});
