/**
 * `zk` against Apache's own zkCli (`ZooKeeperMain` from Debian's ZooKeeper 3.8): the same
 * script, each run against a fresh zkts server started the same way, must print the same
 * stdout, stderr and exit status. Fresh servers give both runs the same zxids, so only dates
 * and session ids need normalizing; the banner lines differ by design.
 */
import { afterEach, expect, test } from 'vitest';
import { ZkServer } from '../../server/src/index.js';
import { normalize, runShell, runZooKeeperMain } from './support/run-shell.js';

const servers: ZkServer[] = [];

async function freshServer(): Promise<ZkServer> {
  const server = new ZkServer({ tcpPort: 0, wsPort: null });
  servers.push(server);
  await server.start();
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

const CLOSED_EVENT = '\nWATCHER::\n\nWatchedEvent state:Closed type:None path:null\n';

/**
 * Drops the lines each shell prints on start (`Connecting to`, `Welcome to …`, `JLine support …`)
 * and the Closed event `quit` prints last, which zkCli's event thread may not get to before
 * the JVM exits.
 */
function comparable(stdout: string): string {
  const text = stdout.endsWith(CLOSED_EVENT) ? stdout.slice(0, -CLOSED_EVENT.length) : stdout;
  return normalize(
    text
      .split('\n')
      .filter((line) => !/^(Connecting to |Welcome to |JLine support is )/.test(line))
      .join('\n'),
  );
}

const SCRIPT = [
  // `sync /` first: its answer follows the session event in both shells, so the event's place is fixed.
  'sync /',
  'create /cmp hello',
  'create /cmp again',
  'create /cmp/child',
  'create /cmp/words "two words"',
  'create -e /cmp/eph e',
  'create -s /cmp/seq- s',
  'create /cmp/acl x world:anyone:cdr',
  'create /missing/path',
  'create noslash',
  'ls /cmp',
  'ls -s /cmp',
  'ls /nope',
  'get -s /cmp',
  'get /cmp/child',
  'get /cmp/words',
  'get /nope',
  'stat /cmp/eph',
  'stat /nope',
  'set -v 5 /cmp changed',
  'set -s -v 0 /cmp changed',
  'set /nope x',
  'delete /cmp',
  'delete -v 3 /cmp/child',
  'delete /cmp/child',
  'delete /nope',
  'getAcl /cmp/acl',
  'getAcl -s /cmp',
  'getAcl /nope',
  'set /cmp/acl y',
  'setAcl /cmp/acl world:anyone:r',
  'create /cmp/acl/kid',
  'ls -x /',
  'get',
  'get /trailing/',
  'quit',
];

test('zk prints what zkCli prints for the same commands', async () => {
  const ours = await runShell(['-server', (await freshServer()).connectString], SCRIPT);
  const theirs = await runZooKeeperMain((await freshServer()).connectString, SCRIPT);
  expect(comparable(ours.stdout)).toBe(comparable(theirs.stdout));
  expect(ours.stderr).toBe(theirs.stderr);
  expect(ours.exitCode).toBe(theirs.exitCode);
  // The comparison is only worth something if the runs did the interesting things.
  expect(ours.stdout).toContain("'world,'anyone\n: cdr\n");
  expect(ours.stdout).toContain('ephemeralOwner = 0x1');
  expect(ours.stderr).toContain('Node already exists: /cmp\n');
  expect(ours.stderr).toContain('version No is not valid : /cmp\n');
  expect(ours.stderr).toContain('Insufficient permission : /cmp/acl\n');
  expect(ours.stdout.endsWith(CLOSED_EVENT)).toBe(true);
  expect(ours.exitCode).toBe(1);
});
