/**
 * Every `zk` command against a running zkts server, driven through stdin as a user or a
 * script would, checking the exact output.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ZkServer } from '../../server/src/index.js';
import { type ZkClient, connect } from '../../client/src/index.js';
import { createCompleter } from '../src/shell/completer.js';
import { COMMAND_NAMES } from '../src/shell/commands/command-table.js';
import { runZk } from '../src/shell/main.js';
import { Capture, normalize, runShell } from './support/run-shell.js';

let server: ZkServer;
let server2: ZkServer;
let client: ZkClient;
const encoder = new TextEncoder();

/** The banner and the first session event the interactive shell prints. */
function banner(connectString: string): string {
  return `Connecting to ${connectString}\nWelcome to zkts!\n\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n`;
}

/**
 * Runs a script in the interactive shell and returns its output without the banner. The
 * script starts with `sync /`, whose answer comes after the session event, so the event is
 * always part of the banner even when the script's own commands never reach the server.
 */
async function script(...lines: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | null }> {
  const run = await runShell(['-server', server.connectString], ['sync /', ...lines]);
  const start = `${banner(server.connectString)}Sync is OK\n`;
  expect(run.stdout.slice(0, start.length)).toBe(start);
  return { ...run, stdout: normalize(run.stdout.slice(start.length)) };
}

/** Runs one command the way `zk -server … cmd args` does. */
function oneShot(...words: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | null }> {
  return runShell(['-server', server.connectString, ...words]);
}

const stat = (fields: { czxid: string; mzxid?: string; pzxid?: string; cversion?: number; version?: number; aversion?: number; owner?: string; length: number; children?: number }): string =>
  `cZxid = ${fields.czxid}\nctime = <date>\nmZxid = ${fields.mzxid ?? fields.czxid}\nmtime = <date>\npZxid = ${fields.pzxid ?? fields.czxid}\n` +
  `cversion = ${fields.cversion ?? 0}\ndataVersion = ${fields.version ?? 0}\naclVersion = ${fields.aversion ?? 0}\n` +
  `ephemeralOwner = ${fields.owner ?? '0x0'}\ndataLength = ${fields.length}\nnumChildren = ${fields.children ?? 0}\n`;

async function zxidOf(path: string): Promise<string> {
  const found = await client.exists(path);
  if (found === null) throw new Error(`${path} does not exist`);
  return `0x${found.czxid.toString(16)}`;
}

beforeAll(async () => {
  server = new ZkServer({ tcpPort: 0, wsPort: null });
  server2 = new ZkServer({ tcpPort: 0, wsPort: null });
  await Promise.all([server.start(), server2.start()]);
  client = await connect(server.connectString);
});

afterAll(async () => {
  await client?.close();
  await Promise.all([server?.stop(), server2?.stop()]);
});

describe('reading and writing nodes', () => {
  test('create, ls, get, stat, set, delete with their outputs', async () => {
    const run = await script(
      'create /rw hello',
      'create /rw/b',
      'create /rw/a "two words"',
      'ls /rw',
      'get /rw/a',
      'get /rw/b',
      'set /rw changed',
      'get /rw',
      'delete /rw/b',
      'ls /rw',
    );
    expect(run.stderr).toBe('Created /rw\nCreated /rw/b\nCreated /rw/a\n');
    // A node created without data holds null data, which get prints as "null".
    expect(run.stdout).toBe('[a, b]\ntwo words\nnull\nchanged\n[a]\n');
    expect(run.exitCode).toBe(0);
  });

  test('ls -s, get -s, stat and set -s print Stats', async () => {
    await client.create('/st', 'hello');
    await client.create('/st/c');
    const czxid = await zxidOf('/st');
    const child = await zxidOf('/st/c');
    const run = await script('ls -s /st', 'get -s /st', 'stat /st/c', 'set -s -v 0 /st bye');
    const after = await client.exists('/st');
    const mzxid = `0x${after?.mzxid.toString(16)}`;
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      `[c]\n${stat({ czxid, pzxid: child, cversion: 1, length: 5, children: 1 })}` +
        `hello\n${stat({ czxid, pzxid: child, cversion: 1, length: 5, children: 1 })}` +
        stat({ czxid: child, length: 0 }) +
        stat({ czxid, mzxid, pzxid: child, cversion: 1, version: 1, length: 3, children: 1 }),
    );
  });

  test('ls -R lists the subtree depth first, each level sorted', async () => {
    for (const path of ['/tree', '/tree/b', '/tree/a', '/tree/a/y', '/tree/a/x', '/tree/b/z']) await client.create(path);
    const run = await script('ls -R /tree');
    expect(run.stdout).toBe('/tree\n/tree/a\n/tree/b\n/tree/a/x\n/tree/a/y\n/tree/b/z\n');
  });

  test('create modes: ephemeral, sequential, container, TTL', async () => {
    const run = await script('create /modes', 'create -e /modes/e', 'create -s /modes/s- x', 'create -e -s /modes/es-', 'create -c /modes/c', 'create -t 60000 /modes/t', 'create -s -t 60000 /modes/st-', 'getEphemerals /modes', 'stat /modes/e');
    expect(run.stderr).toBe(
      'Created /modes\nCreated /modes/e\nCreated /modes/s-0000000001\nCreated /modes/es-0000000002\nCreated /modes/c\nCreated /modes/t\nCreated /modes/st-0000000005\n',
    );
    expect(run.stdout).toMatch(/^\[\/modes\/e, \/modes\/es-0000000002\]\n|^\[\/modes\/es-0000000002, \/modes\/e\]\n/);
    expect(run.stdout).toContain('ephemeralOwner = <session>\n');
    // The shell's session is gone, and so are its ephemeral nodes.
    expect((await client.getChildren('/modes')).sort()).toEqual(['c', 's-0000000001', 'st-0000000005', 't']);
  });

  test('create option errors are zkCli’s', async () => {
    const run = await script('create -c -e /bad', 'create -t 10 -e /bad', 'create -t 10 -c /bad', 'create -t soon /bad', 'create -t 0 /bad', 'create');
    expect(run.stderr).toBe(
      '-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.\n' +
        'TTLs cannot be used with Ephemeral znodes\n' +
        'TTLs cannot be used with Container znodes\n' +
        '-t argument must be a long value\n' +
        'ttl must be positive and cannot be larger than: 1099511627775\n' +
        'create [-s] [-e] [-c] [-t ttl] path [data] [acl]\n',
    );
    expect(run.exitCode).toBe(1);
  });

  test('errors: missing, existing, bad version, not empty, bad paths, usage', async () => {
    await client.create('/err', 'x');
    await client.create('/err/kid');
    const run = await script(
      'create /err',
      'get /nope',
      'ls /nope',
      'stat /nope',
      'set -v 7 /err y',
      'delete /err',
      'delete -v 3 /err/kid',
      'get noslash',
      'get /trailing/',
      'ls',
      'set /err',
      'ls -x /',
      'set -v abc /err y',
      'create /nope/child',
    );
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'Node already exists: /err\n' +
        'Node does not exist: /nope\n' +
        'Node does not exist: /nope\n' +
        'Node does not exist: /nope\n' +
        'version No is not valid : /err\n' +
        'Node not empty: /err\n' +
        'version No is not valid : /err/kid\n' +
        'Path must start with / character\n' +
        'Path must not end with / character\n' +
        'ls [-s] [-w] [-R] path\n' +
        'set [-s] [-v version] path data\n' +
        'org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -x\n' +
        '-v argument must be an int value\n' +
        'Node does not exist: /nope/child\n',
    );
    expect(await client.exists('/err/kid')).not.toBeNull();
  });

  test('delete -v, deleteall, sync, getAllChildrenNumber', async () => {
    await client.create('/del');
    for (const path of ['/del/a', '/del/a/b', '/del/a/b/c', '/del/d']) await client.create(path);
    const run = await script('getAllChildrenNumber /del', 'delete -v 0 /del/d', 'deleteall /del', 'sync /', 'getAllChildrenNumber /nope', 'deleteall /del');
    expect(run.stdout).toBe('4\nSync is OK\n');
    expect(run.stderr).toBe('Node does not exist: /nope\nNode does not exist: /del\n');
    expect(await client.exists('/del')).toBeNull();
  });
});

describe('ACLs and authentication', () => {
  test('getAcl, setAcl -s -v, permission errors', async () => {
    await client.create('/acl', 'x');
    const czxid = await zxidOf('/acl');
    const run = await script(
      'getAcl /acl',
      'setAcl -s -v 0 /acl world:anyone:cdra',
      'getAcl -s /acl',
      'set /acl y',
      'setAcl -v 0 /acl world:anyone:cdrwa',
      'create /acl/kid',
      'setAcl /acl world:anyone:r',
      'setAcl /acl world:anyone:cdrwa',
    );
    const kid = await zxidOf('/acl/kid');
    expect(run.stdout).toBe(
      "'world,'anyone\n: cdrwa\n" +
        stat({ czxid, aversion: 1, length: 1 }) +
        "'world,'anyone\n: cdra\n" +
        stat({ czxid, aversion: 1, length: 1 }),
    );
    // No write permission, then a stale ACL version; the last setAcl lacks ADMIN, which "r" took away.
    expect(run.stderr).toBe('Insufficient permission : /acl\nversion No is not valid : /acl\nCreated /acl/kid\nInsufficient permission : /acl\n');
    expect((await client.getACL('/acl')).stat).toMatchObject({ aversion: 2, pzxid: BigInt(kid) });
  });

  test('addauth with digest, auth and ip ACLs, bad ACL strings', async () => {
    const run = await script(
      'addauth digest alice:secret',
      'create /authed x auth::cdrwa',
      'getAcl /authed',
      'create /mixed x ip:127.0.0.1:ra,digest:bob:hash:cdrwa',
      'getAcl /mixed',
      'create /badacl x nonsense',
      'setAcl /mixed world:anyone:rq',
      'getAcl /mixed',
    );
    expect(run.stdout).toBe(
      "'digest,'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=\n: cdrwa\n" + "'ip,'127.0.0.1\n: ra\n'digest,'bob:hash\n: cdrwa\n" + "'world,'anyone\n: r\n",
    );
    expect(run.stderr).toBe(
      'Created /authed\nCreated /mixed\nnonsense does not have the form scheme:id:perm\nKeeperErrorCode = InvalidACL\nAcl is not valid : null\nUnknown perm type: q\n',
    );
    expect(await client.exists('/badacl')).toBeNull();
    // Another session without the credentials may not read the auth-protected node.
    const other = await oneShot('get', '/authed');
    expect(other).toEqual({ exitCode: 1, stdout: '', stderr: 'Insufficient permission : /authed\n' });
  });

  test('setAcl -R applies the ACL to the whole subtree', async () => {
    for (const path of ['/racl', '/racl/a', '/racl/a/b']) await client.create(path);
    const run = await script('setAcl -R /racl world:anyone:cdra');
    expect(run.stderr).toBe('');
    for (const path of ['/racl', '/racl/a', '/racl/a/b']) expect((await client.getACL(path)).acl[0]?.perms).toBe(31 - 2);
  });
});

describe('watches', () => {
  test('get -w, ls -w and stat -w print WATCHER events', async () => {
    await client.create('/w', 'a');
    const run = await script('get -w /w', 'set /w b', 'ls -w /w', 'create /w/kid', 'stat -w /w/new', 'create /w/new', 'sync /');
    expect(run.stdout).toBe(
      'a\n' +
        '\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeDataChanged path:/w\n' +
        '[]\n' +
        '\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeChildrenChanged path:/w\n' +
        '\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeCreated path:/w/new\n' +
        'Sync is OK\n',
    );
    expect(run.stderr).toBe('Created /w/kid\nNode does not exist: /w/new\nCreated /w/new\n');
  });

  test('addWatch: recursive by default, persistent with -m, bad mode', async () => {
    await client.create('/aw');
    const run = await script('addWatch /aw', 'create /aw/x', 'set /aw/x 1', 'addWatch -m persistent /aw/x', 'set /aw/x 2', 'addWatch -m sometimes /aw', 'sync /');
    const event = (type: string, path: string): string => `\nWATCHER::\n\nWatchedEvent state:SyncConnected type:${type} path:${path}\n`;
    // One watcher function serves all watches, so an event two watches match prints once.
    expect(run.stdout).toBe(`${event('NodeCreated', '/aw/x')}${event('NodeDataChanged', '/aw/x')}${event('NodeDataChanged', '/aw/x')}Sync is OK\n`);
    expect(run.stderr).toBe('Created /aw/x\naddWatch [-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE\n');
  });

  test('removewatches by type; printwatches off silences events', async () => {
    await client.create('/rm', 'a');
    const run = await script('get -w /rm', 'ls -w /rm', 'removewatches /rm -d', 'removewatches /rm -d', 'removewatches /rm', 'printwatches', 'printwatches off', 'printwatches', 'get -w /rm', 'set /rm b', 'sync /');
    expect(run.stdout).toBe(
      'a\n[]\n' +
        '\nWATCHER::\n\nWatchedEvent state:SyncConnected type:DataWatchRemoved path:/rm\n' +
        '\nWATCHER::\n\nWatchedEvent state:SyncConnected type:ChildWatchRemoved path:/rm\n' +
        'printwatches is on\nprintwatches is off\na\nSync is OK\n',
    );
    expect(run.stderr).toBe('KeeperErrorCode = No such watcher for /rm\n');
  });
});

describe('session commands', () => {
  test('close, Not connected, connect to another server, quit', async () => {
    await client.create('/here');
    const run = await runShell(['-server', server.connectString], ['ls /here', 'close', 'ls /', 'connect ' + server2.connectString, 'ls /', 'stat /here', 'quit', 'ls /']);
    expect(run.stdout).toBe(
      banner(server.connectString) +
        '[]\n' +
        '\nWATCHER::\n\nWatchedEvent state:Closed type:None path:null\n' +
        'Not connected\n' +
        '\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n' +
        '[zookeeper]\n' +
        '\nWATCHER::\n\nWatchedEvent state:Closed type:None path:null\n',
    );
    expect(run.stderr).toBe('Node does not exist: /here\n');
    // quit exits with the status of the command before it, as zkCli does.
    expect(run.exitCode).toBe(1);
  });

  test('history and redo', async () => {
    // The script's hidden first command, `sync /`, is number 0.
    const run = await script('create /hist', '', 'ls /hist', 'history', 'redo 2', 'redo 9', 'redo 5', 'history');
    const numbered = (...lines: string[]): string => lines.map((line, index) => `${index} - ${line}\n`).join('');
    expect(run.stdout).toBe(
      `[]\n${numbered('sync /', 'create /hist', 'ls /hist', 'history')}[]\n` +
        // A redone command is recorded as the command it ran; a failed redo as typed.
        numbered('sync /', 'create /hist', 'ls /hist', 'history', 'ls /hist', 'redo 9', 'redo 5', 'history'),
    );
    expect(run.stderr).toBe('Created /hist\nCommand index out of range\nNo redoing redos\n');
    expect(run.exitCode).toBe(0);
  });

  test('config prints the dynamic configuration node', async () => {
    const run = await script('config', 'config -s');
    expect(run.stdout).toBe(`\n\n${stat({ czxid: '0x0', aversion: -1, length: 0 })}`);
  });

  test('unknown commands print the usage and exit with 127', async () => {
    const run = await script('frobnicate');
    expect(run.stderr).toMatch(/^zk -server host:port.*\n\taddWatch \[-m mode\] path/);
    expect(run.stderr).toContain('\tls [-s] [-w] [-R] path\n');
    expect(run.stderr.endsWith('Command not found: Command not found frobnicate\n')).toBe(true);
    expect(run.exitCode).toBe(127);
  });
});

describe('one-shot mode and --json', () => {
  test('runs one command and exits with its status', async () => {
    expect(await oneShot('create', '/one', 'data')).toEqual({ exitCode: 0, stdout: '', stderr: 'Created /one\n' });
    expect(await oneShot('get', '/one')).toEqual({ exitCode: 0, stdout: 'data\n', stderr: '' });
    expect(await oneShot('get', '/none')).toEqual({ exitCode: 1, stdout: '', stderr: 'Node does not exist: /none\n' });
  });

  test('a chroot in the connect string roots every path', async () => {
    await client.create('/jail');
    const chrooted = (...words: string[]) => runShell(['-server', `${server.connectString}/jail`, ...words]);
    expect(await chrooted('create', '/inside', 'x')).toEqual({ exitCode: 0, stdout: '', stderr: 'Created /inside\n' });
    expect(await chrooted('ls', '/')).toEqual({ exitCode: 0, stdout: '[inside]\n', stderr: '' });
    expect((await client.getData('/jail/inside')).data).toEqual(encoder.encode('x'));
  });

  test('--json prints one object per result, errors with their code', async () => {
    await client.create('/js', encoder.encode('v'));
    const json = async (...words: string[]): Promise<{ out: unknown[]; err: unknown[]; exitCode: number | null }> => {
      const run = await runShell(['-server', server.connectString, '--json', ...words]);
      const parse = (text: string): unknown[] => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as unknown);
      return { out: parse(run.stdout), err: parse(run.stderr), exitCode: run.exitCode };
    };
    expect(await json('ls', '/js')).toEqual({ out: [{ path: '/js', children: [] }], err: [], exitCode: 0 });
    expect(await json('create', '/js/c', 'x')).toEqual({ out: [{ created: '/js/c' }], err: [], exitCode: 0 });
    const got = await json('get', '-s', '/js');
    expect(got.out).toEqual([{ path: '/js', data: 'v', dataBase64: 'dg==', stat: expect.objectContaining({ version: 0, numChildren: 1, dataLength: 1, ephemeralOwner: '0x0' }) }]);
    expect(await json('getAcl', '/js')).toMatchObject({ out: [{ path: '/js', acl: [{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }] }] });
    const watching = await runShell(['-server', server.connectString, '--json'], ['get -w /js', 'set /js w', 'sync /']);
    // The server sends the notification before its answer to the set.
    expect(watching.stdout.split('\n').slice(-5)).toEqual([
      expect.stringMatching(/^\{"path":"\/js","data":"v"/),
      '{"event":{"type":"NodeDataChanged","state":"SyncConnected","path":"/js"}}',
      expect.stringMatching(/^\{"path":"\/js","stat":\{"czxid":"0x[0-9a-f]+".*"version":1,/),
      '{"path":"/","synced":true}',
      '',
    ]);
    expect(await json('get', '/none')).toEqual({
      out: [],
      err: [{ error: { message: 'Node does not exist: /none', exitCode: 1, code: 'NO_NODE', errno: -101, path: '/none' } }],
      exitCode: 1,
    });
  });
});

describe('interactive terminal', () => {
  test('prompt, tab completion of a path, and the history file', async () => {
    await client.create('/term');
    await client.create('/term/only-child', 'found');
    const dir = mkdtempSync(join(tmpdir(), 'zkts-cli-history-'));
    try {
      const historyFile = join(dir, 'history');
      const stdin = new PassThrough();
      const stdout = new Capture();
      const stderr = new Capture();
      const done = runZk(['-server', server.connectString], { stdin, stdout, stderr, terminal: true, historyFile });
      // A tab after a unique prefix completes the path; Enter runs the completed line.
      stdin.write('get /term/on\t');
      stdin.end('\r');
      expect(await done).toBe(0);
      expect(stdout.text).toMatch(/\[zk: 127\.0\.0\.1:\d+\((CONNECTING|CONNECTED)\) 0\] /);
      expect(stdout.text).toContain('found\n');
      expect(stdout.text).toMatch(/\[zk: 127\.0\.0\.1:\d+\(CONNECTED\) 1\] /);
      expect(stderr.text).toBe('');
      expect(readFileSync(historyFile, 'utf8')).toBe('get /term/only-child\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tab completion', () => {
  test('command names first, then children of the typed parent', async () => {
    for (const path of ['/comp', '/comp/alpha', '/comp/beta', '/comp/alpine']) await client.create(path);
    const complete = createCompleter(COMMAND_NAMES, () => client);
    expect(await complete('get')).toEqual([['get', 'getAcl', 'getAllChildrenNumber', 'getEphemerals'], 'get']);
    expect(await complete('ls /comp/al')).toEqual([['/comp/alpha', '/comp/alpine'], '/comp/al']);
    expect(await complete('ls /co')).toEqual([['/comp'], '/co']);
    expect(await complete('ls /nothing/here')).toEqual([[], '/nothing/here']);
    expect(await complete('set /comp/alpha da')).toEqual([[], 'da']);
  });
});
