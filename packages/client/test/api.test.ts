/**
 * Every client operation against a real Apache ZooKeeper 3.8 server.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApacheZooKeeper, startApacheZooKeeper } from '../../../test-support/apache-zookeeper.js';
import { Ids, MultiError, Perms, type ZkClient, ZkError, connect, createClient } from '../src/index.js';

let zk: ApacheZooKeeper;
let client: ZkClient;
const text = new TextEncoder();
const decode = (data: Uint8Array | null): string | null => (data === null ? null : new TextDecoder().decode(data));

beforeAll(async () => {
  zk = await startApacheZooKeeper();
  client = await connect(zk.connectString, { randomSeed: 1 });
});

afterAll(async () => {
  await client?.close();
  await zk?.stop();
});

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof ZkError)) throw error;
    return error.code;
  }
  return 'OK';
}

describe('create', () => {
  test('every create mode', async () => {
    await client.create('/modes');
    expect(await client.create('/modes/p', 'x')).toBe('/modes/p');
    expect((await client.exists('/modes/p'))?.ephemeralOwner).toBe(0n);

    expect(await client.create('/modes/e', 'x', { mode: 'EPHEMERAL' })).toBe('/modes/e');
    expect((await client.exists('/modes/e'))?.ephemeralOwner).toBe(client.sessionId);

    expect(await client.create('/modes/ps-', null, { mode: 'PERSISTENT_SEQUENTIAL' })).toBe('/modes/ps-0000000002');
    expect(await client.create('/modes/es-', null, { mode: 'EPHEMERAL_SEQUENTIAL' })).toBe('/modes/es-0000000003');

    const container = await client.create('/modes/c', 'x', { mode: 'CONTAINER', stat: true });
    expect(container.path).toBe('/modes/c');
    expect(container.stat.dataLength).toBe(1);

    const ttl = await client.create('/modes/ttl', 'x', { mode: 'PERSISTENT_WITH_TTL', ttlMs: 60_000 });
    expect(ttl).toBe('/modes/ttl');
    // The server keeps the TTL in ephemeralOwner but reports 0 to clients (DataTree.getClientEphemeralOwner).
    expect((await client.exists('/modes/ttl'))?.ephemeralOwner).toBe(0n);
    expect(await client.create('/modes/ttls-', 'x', { mode: 'PERSISTENT_SEQUENTIAL_WITH_TTL', ttlMs: 1000 })).toBe('/modes/ttls-0000000006');

    expect((await client.getChildren('/modes')).sort()).toEqual(['c', 'e', 'es-0000000003', 'p', 'ps-0000000002', 'ttl', 'ttls-0000000006']);
  });

  test('create with stat returns the Stat (create2)', async () => {
    const { path, stat } = await client.create('/stat', 'abc', { stat: true });
    expect(path).toBe('/stat');
    expect(stat).toEqual(await client.exists('/stat'));
    expect(stat.dataLength).toBe(3);
    expect(stat.czxid).toBe(stat.mzxid);
  });

  test('data: omitted is empty, null stays null, strings are UTF-8', async () => {
    await client.create('/data-empty');
    await client.create('/data-null', null);
    await client.create('/data-text', 'héllo');
    await client.create('/data-bytes', new Uint8Array([0, 255]));
    expect((await client.getData('/data-empty')).data).toEqual(new Uint8Array(0));
    expect((await client.getData('/data-null')).data).toBeNull();
    expect(decode((await client.getData('/data-text')).data)).toBe('héllo');
    expect((await client.getData('/data-bytes')).data).toEqual(new Uint8Array([0, 255]));
  });

  test('server errors', async () => {
    await client.create('/exists');
    expect(await code(client.create('/exists'))).toBe('NODE_EXISTS');
    expect(await code(client.create('/no/parent'))).toBe('NO_NODE');
    await client.create('/eph', null, { mode: 'EPHEMERAL' });
    expect(await code(client.create('/eph/child'))).toBe('NO_CHILDREN_FOR_EPHEMERALS');
    const error = await client.create('/exists').catch((e: ZkError) => e);
    expect(error).toMatchObject({ code: 'NODE_EXISTS', errno: -110, path: '/exists' });
  });

  test('client-side validation: paths, TTLs, ACLs', async () => {
    expect(await code(client.create('relative'))).toBe('BAD_ARGUMENTS');
    expect(await code(client.create('/trailing/'))).toBe('BAD_ARGUMENTS');
    expect(await code(client.create('/a//b'))).toBe('BAD_ARGUMENTS');
    expect(await code(client.create('/a/.'))).toBe('BAD_ARGUMENTS');
    expect(await code(client.create('/ttl-missing', null, { mode: 'PERSISTENT_WITH_TTL' }))).toBe('BAD_ARGUMENTS');
    expect(await code(client.create('/ttl-wrong-mode', null, { mode: 'PERSISTENT', ttlMs: 10 }))).toBe('BAD_ARGUMENTS');
    expect(await code(client.create('/acl', null, { acl: [] }))).toBe('INVALID_ACL');
    // A sequential path may end with a slash: the server appends the sequence number.
    await client.create('/seqdir');
    expect(await client.create('/seqdir/', null, { mode: 'PERSISTENT_SEQUENTIAL' })).toBe('/seqdir/0000000000');
  });

  test('createWithParents creates missing ancestors', async () => {
    expect(await client.createWithParents('/mk/a/b/c', 'leaf')).toBe('/mk/a/b/c');
    expect(decode((await client.getData('/mk/a/b/c')).data)).toBe('leaf');
    expect((await client.getData('/mk/a')).data).toEqual(new Uint8Array(0));
    expect(await client.createWithParents('/mk/a/x', null, { mode: 'EPHEMERAL' })).toBe('/mk/a/x');
    expect(await code(client.createWithParents('/mk/a/x'))).toBe('NODE_EXISTS');
    const created = await client.createWithParents('/mk2/y', 'v', { stat: true, parentMode: 'CONTAINER' });
    expect(created.stat.dataLength).toBe(1);
  });
});

describe('read, write and delete with versions', () => {
  test('setData and delete check versions', async () => {
    await client.create('/v', 'a');
    const s1 = await client.setData('/v', 'b', 0);
    expect(s1.version).toBe(1);
    expect(await code(client.setData('/v', 'c', 0))).toBe('BAD_VERSION');
    expect((await client.setData('/v', 'c')).version).toBe(2);
    expect(await code(client.setData('/missing', 'x'))).toBe('NO_NODE');
    expect(await code(client.delete('/v', 1))).toBe('BAD_VERSION');
    await client.delete('/v', 2);
    expect(await client.exists('/v')).toBeNull();
    expect(await code(client.delete('/v'))).toBe('NO_NODE');
  });

  test('delete of a node with children is NOT_EMPTY; deleteRecursive removes a tree', async () => {
    await client.createWithParents('/tree/a/b', 'x');
    await client.create('/tree/c');
    expect(await code(client.delete('/tree'))).toBe('NOT_EMPTY');
    expect(await client.getAllChildrenNumber('/tree')).toBe(3);
    await client.deleteRecursive('/tree');
    expect(await client.exists('/tree')).toBeNull();
    expect(await code(client.deleteRecursive('/tree'))).toBe('NO_NODE');
  });

  test('exists, getChildren and getChildrenWithStat', async () => {
    await client.create('/kids');
    await client.create('/kids/x');
    await client.create('/kids/y');
    const stat = await client.exists('/kids');
    expect(stat?.numChildren).toBe(2);
    expect((await client.getChildren('/kids')).sort()).toEqual(['x', 'y']);
    const withStat = await client.getChildrenWithStat('/kids');
    expect(withStat.children.sort()).toEqual(['x', 'y']);
    expect(withStat.stat).toEqual(stat);
    expect(await code(client.getChildren('/nokids'))).toBe('NO_NODE');
    expect(await code(client.getData('/nokids'))).toBe('NO_NODE');
  });

  test('getAllChildrenNumber, sync and getEphemerals', async () => {
    await client.createWithParents('/count/a/b');
    await client.create('/count/c');
    expect(await client.getAllChildrenNumber('/count')).toBe(3);
    await client.sync('/count');
    await client.createWithParents('/eps/x');
    await client.create('/eps/x/e1', null, { mode: 'EPHEMERAL' });
    await client.create('/eps/e2', null, { mode: 'EPHEMERAL' });
    expect((await client.getEphemerals('/eps')).sort()).toEqual(['/eps/e2', '/eps/x/e1']);
    expect(await client.getEphemerals('/eps/x')).toEqual(['/eps/x/e1']);
    expect(await client.getEphemerals()).toEqual(expect.arrayContaining(['/eps/e2', '/eps/x/e1', '/eph']));
  });
});

describe('ACLs and auth', () => {
  test('getACL and setACL with ACL versions', async () => {
    await client.create('/acl-node', 'x');
    const { acl, stat } = await client.getACL('/acl-node');
    expect(acl).toEqual(Ids.OPEN_ACL_UNSAFE);
    expect(stat.aversion).toBe(0);
    const readOnly = [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }];
    expect(await code(client.setACL('/acl-node', readOnly, 3))).toBe('BAD_VERSION');
    expect(await code(client.setACL('/acl-node', []))).toBe('INVALID_ACL');
    expect((await client.setACL('/acl-node', readOnly, 0)).aversion).toBe(1);
    expect(await code(client.setData('/acl-node', 'y'))).toBe('NO_AUTH');
    expect(await code(client.setACL('/acl-node', Ids.OPEN_ACL_UNSAFE))).toBe('NO_AUTH');
    expect((await client.getACL('/acl-node')).acl).toEqual(readOnly);
  });

  test('digest auth: CREATOR_ALL_ACL locks other sessions out', async () => {
    const owner = await connect(zk.connectString);
    const stranger = await connect(zk.connectString);
    try {
      expect(await owner.whoAmI()).toEqual([{ authScheme: 'ip', user: '127.0.0.1' }]);
      await owner.addAuth('digest', 'alice:secret');
      // The server keeps a session's identities in a set: compare without order.
      expect(await owner.whoAmI()).toEqual(
        expect.arrayContaining([
          { authScheme: 'ip', user: '127.0.0.1' },
          { authScheme: 'digest', user: 'alice' },
        ]),
      );
      expect(await owner.whoAmI()).toHaveLength(2);
      await owner.create('/private', 'x', { acl: Ids.CREATOR_ALL_ACL });
      expect(decode((await owner.getData('/private')).data)).toBe('x');
      expect(await code(stranger.getData('/private'))).toBe('NO_AUTH');
      await stranger.addAuth('digest', 'alice:secret');
      expect(decode((await stranger.getData('/private')).data)).toBe('x');
      const acl = (await owner.getACL('/private')).acl;
      expect(acl).toHaveLength(1);
      expect(acl[0]?.id.scheme).toBe('digest');
    } finally {
      await owner.close();
      await stranger.close();
    }
  });

  test('credentials given as an option are sent before any request', async () => {
    const authed = await connect(zk.connectString, { authInfo: [{ scheme: 'digest', auth: 'alice:secret' }] });
    try {
      expect(decode((await authed.getData('/private')).data)).toBe('x');
    } finally {
      await authed.close();
    }
  });

  test('an unknown auth scheme fails the session with AUTH_FAILED', async () => {
    const victim = await connect(zk.connectString);
    const events: string[] = [];
    victim.on('authFailed', () => events.push('authFailed'));
    victim.on('closed', (reason) => events.push(`closed:${reason}`));
    expect(await code(victim.addAuth('no-such-scheme', 'x'))).toBe('AUTH_FAILED');
    expect(victim.state).toBe('AUTH_FAILED');
    expect(events).toEqual(['authFailed', 'closed:authFailed']);
    expect(await code(victim.exists('/'))).toBe('AUTH_FAILED');
  });
});

describe('multi, transactions and multiRead', () => {
  test('a successful multi returns one result per op', async () => {
    await client.create('/m', 'x');
    const results = await client.multi([
      { type: 'create', path: '/m/a', data: 'a' },
      { type: 'create', path: '/m/s-', mode: 'PERSISTENT_SEQUENTIAL' },
      { type: 'create', path: '/m/c', mode: 'CONTAINER' },
      { type: 'check', path: '/m', version: 0 },
      { type: 'setData', path: '/m', data: 'y', version: 0 },
      { type: 'delete', path: '/m/a' },
    ]);
    expect(results.map((r) => r.type)).toEqual(['create', 'create', 'create', 'check', 'setData', 'delete']);
    expect(results[0]).toEqual({ type: 'create', path: '/m/a', stat: undefined });
    expect(results[1]).toMatchObject({ type: 'create', path: '/m/s-0000000001' });
    expect(results[2]).toMatchObject({ type: 'create', path: '/m/c' });
    expect((results[2] as { stat: unknown }).stat).toBeDefined();
    expect((results[4] as { stat: { version: number } }).stat.version).toBe(1);
    expect(await client.exists('/m/a')).toBeNull();
    expect(await client.multi([])).toEqual([]);
  });

  test('a failed multi applies nothing and throws the first failing op with all results', async () => {
    await client.create('/mf', 'x');
    const error = await client
      .transaction()
      .create('/mf/new')
      .setData('/mf', 'y', 5)
      .delete('/mf/none')
      .commit()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MultiError);
    expect(error).toBeInstanceOf(ZkError);
    const multiError = error as MultiError;
    expect(multiError.code).toBe('BAD_VERSION');
    expect(multiError.path).toBe('/mf');
    expect(multiError.failedOpIndex).toBe(1);
    expect(multiError.results).toEqual([
      { type: 'error', code: 'OK', errno: 0 },
      { type: 'error', code: 'BAD_VERSION', errno: -103 },
      { type: 'error', code: 'RUNTIME_INCONSISTENCY', errno: -2 },
    ]);
    expect(await client.exists('/mf/new')).toBeNull();
    expect(await code(client.multi([{ type: 'create', path: 'bad' }]))).toBe('BAD_ARGUMENTS');
    expect(await code(client.multi([{ type: 'getData', path: '/mf' } as never]))).toBe('BAD_ARGUMENTS');
  });

  test('the transaction builder commits atomically', async () => {
    const results = await client.transaction().create('/tx', 'a').create('/tx/b', 'b', { mode: 'EPHEMERAL' }).check('/tx', 0).commit();
    expect(results).toEqual([
      { type: 'create', path: '/tx', stat: undefined },
      { type: 'create', path: '/tx/b', stat: undefined },
      { type: 'check' },
    ]);
  });

  test('multiRead returns per-op answers and errors', async () => {
    await client.create('/mr', 'data');
    await client.create('/mr/k');
    const results = await client.multiRead([
      { type: 'getData', path: '/mr' },
      { type: 'getChildren', path: '/mr' },
      { type: 'getData', path: '/mr/none' },
    ]);
    expect(results[0]).toMatchObject({ type: 'getData', data: text.encode('data') });
    expect(results[1]).toEqual({ type: 'getChildren', children: ['k'] });
    expect(results[2]).toEqual({ type: 'error', code: 'NO_NODE', errno: -101 });
    expect(await code(client.multiRead([{ type: 'delete', path: '/mr' } as never]))).toBe('BAD_ARGUMENTS');
  });
});

describe('chroot', () => {
  test('paths are prefixed on the way out and stripped on the way back', async () => {
    await client.create('/app');
    const rooted = await connect(`${zk.connectString}/app`);
    try {
      expect(rooted.chrootPath).toBe('/app');
      expect(await rooted.create('/x', 'v')).toBe('/x');
      expect(await client.exists('/app/x')).not.toBeNull();
      expect(await rooted.create('/s-', null, { mode: 'EPHEMERAL_SEQUENTIAL' })).toBe('/s-0000000001');
      expect((await rooted.getChildren('/')).sort()).toEqual(['s-0000000001', 'x']);
      expect(await rooted.getEphemerals()).toEqual(['/s-0000000001']);
      const results = await rooted.multi([{ type: 'create', path: '/m' }, { type: 'create', path: '/m/c', mode: 'CONTAINER' }]);
      expect(results.map((r) => (r.type === 'create' ? r.path : r.type))).toEqual(['/m', '/m/c']);
      const events: (string | null)[] = [];
      await rooted.getData('/x', (event) => events.push(event.path));
      await rooted.exists('/', (event) => events.push(`root:${event.path}`));
      const changed = new Promise<void>((resolve) => rooted.getChildren('/m', () => resolve()));
      await client.setData('/app/x', 'w');
      await client.setData('/app', 'root');
      await client.create('/app/m/k');
      await changed;
      expect(events).toEqual(['/x', 'root:/']);
      await rooted.sync('/');
      expect(await code(rooted.delete('/'))).not.toBe('OK');
      await rooted.deleteRecursive('/m');
      expect(await client.exists('/app/m')).toBeNull();
    } finally {
      await rooted.close();
    }
    const viaOption = await connect(zk.connectString, { chroot: '/app' });
    expect(await viaOption.exists('/x')).not.toBeNull();
    await viaOption.close();
    expect(() => createClient(`${zk.connectString}/app`, { chroot: '/other' })).toThrow(ZkError);
  });
});
