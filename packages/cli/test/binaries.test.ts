/**
 * The built binaries as users run them (`node packages/cli/dist/zk.js`, `…/zk-server.js`),
 * spawned as child processes. Needs `npx tsc -b` first, as `npm test` does.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findFreePorts } from '../../../test-support/free-ports.js';
import { pollUntil } from '../../../test-support/poll.js';
import { ZkServer } from '../../server/src/index.js';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const zkBin = join(dist, 'zk.js');
const zkServerBin = join(dist, 'zk-server.js');

interface Finished {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a binary to completion with `input` on stdin. */
function run(bin: string, args: readonly string[], input = ''): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('error', reject);
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

beforeAll(() => {
  if (!existsSync(zkBin) || !existsSync(zkServerBin)) throw new Error(`${dist} has no zk.js/zk-server.js: run npx tsc -b first`);
});

describe('zk', () => {
  let server: ZkServer;

  beforeAll(async () => {
    server = new ZkServer({ tcpPort: 0, wsPort: null });
    await server.start();
  });

  afterAll(async () => {
    await server?.stop();
  });

  test('one command per process, with exit statuses', async () => {
    expect(await run(zkBin, ['-server', server.connectString, 'create', '/smoke', 'hi'])).toEqual({ exitCode: 0, stdout: '', stderr: 'Created /smoke\n' });
    expect(await run(zkBin, ['-server', server.connectString, 'get', '/smoke'])).toEqual({ exitCode: 0, stdout: 'hi\n', stderr: '' });
    expect(await run(zkBin, ['-server', server.connectString, 'get', '/absent'])).toEqual({ exitCode: 1, stdout: '', stderr: 'Node does not exist: /absent\n' });
    const unknown = await run(zkBin, ['-server', server.connectString, 'frobnicate']);
    expect(unknown.exitCode).toBe(127);
  });

  test('a script on stdin', async () => {
    const result = await run(zkBin, ['-server', server.connectString], 'create /piped x\nls /piped\nget /piped\n');
    expect(result.stdout).toBe(`Connecting to ${server.connectString}\nWelcome to zkts!\n\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n[]\nx\n`);
    expect(result.stderr).toBe('Created /piped\n');
    expect(result.exitCode).toBe(0);
  });
});

describe('zk-server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkts-cli-'));
  let child: ChildProcessWithoutNullStreams | undefined;

  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('start serves the configured port; status reports standalone, then not running after a stop', async () => {
    const [clientPort] = await findFreePorts(1);
    const config = join(dir, 'zoo.cfg');
    writeFileSync(config, `tickTime=2000\ndataDir=${join(dir, 'data')}\nclientPort=${clientPort}\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n`);
    const started = spawn(process.execPath, [zkServerBin, 'start', config], { stdio: ['pipe', 'pipe', 'pipe'] });
    child = started;
    let stdout = '';
    let stderr = '';
    started.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    started.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const exited = new Promise<number | null>((resolve) => started.once('exit', (code) => resolve(code)));
    await pollUntil(async () => (stdout.includes('Mode: ') ? true : undefined), {
      timeoutMs: 10_000,
      description: 'zk-server start to report its mode',
      detail: () => `stdout:\n${stdout}\nstderr:\n${stderr}`,
    });
    expect(stdout).toBe(`Client port: 127.0.0.1:${clientPort}\nMode: standalone\n`);
    expect(stderr).toBe(`Using config: ${config}\nwarning: zoo.cfg: admin.enableServer is accepted but has no effect in zkts\n`);

    const status = await run(zkServerBin, ['status', config]);
    expect(status).toEqual({ exitCode: 0, stdout: `Client port found: ${clientPort}. Client address: 127.0.0.1.\nMode: standalone\n`, stderr: `Using config: ${config}\n` });
    // The server really serves clients on that port.
    expect(await run(zkBin, ['-server', `127.0.0.1:${clientPort}`, 'ls', '/'])).toMatchObject({ exitCode: 0, stdout: '[zookeeper]\n' });

    started.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = undefined;
    const stopped = await run(zkServerBin, ['status', config]);
    expect(stopped.exitCode).toBe(1);
    expect(stopped.stderr).toContain('Error contacting service. It is probably not running.\n');
  });

  test('a bad configuration stops start with a clear message and a non-zero exit', async () => {
    const duplicate = join(dir, 'duplicate.cfg');
    writeFileSync(duplicate, 'clientPort=2181\nserver.1=127.0.0.1:2888:3888\nserver.1=127.0.0.1:2889:3889\n');
    const dupResult = await run(zkServerBin, ['start', duplicate]);
    expect(dupResult.exitCode).toBe(2);
    expect(dupResult.stderr).toContain(`zk-server: invalid configuration ${duplicate}: zoo.cfg line 3: server.1 is set twice\n`);
    expect(dupResult.stdout).toBe('');

    const dataDir = join(dir, 'no-myid');
    mkdirSync(dataDir);
    const noMyid = join(dir, 'no-myid.cfg');
    writeFileSync(noMyid, `dataDir=${dataDir}\nclientPort=2181\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\n`);
    const myidResult = await run(zkServerBin, ['start', noMyid]);
    expect(myidResult.exitCode).toBe(2);
    expect(myidResult.stderr).toContain(`${join(dataDir, 'myid')} file is missing`);

    const missing = await run(zkServerBin, ['start', join(dir, 'nothing.cfg')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('cannot read configuration');
  });

  test('usage', async () => {
    expect(await run(zkServerBin, [])).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('Usage: zk-server') });
    expect(await run(zkServerBin, ['stop'])).toMatchObject({ exitCode: 2 });
  });
});
