/**
 * `@zkts/client` against Apache ZooKeeper 3.8 over TCP: what api.test.ts, watches.test.ts and
 * session.test.ts leave out — the Stats each create mode answers with (create2, multi),
 * containers and TTL nodes swept by the server, ACL schemes and the permissions each
 * operation needs, getACL's digest masking, getEphemerals' prefix rule, close, and watch
 * removal by type.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ApacheZooKeeper } from '../../../test-support/apache-zookeeper.js';
import { pollUntil } from '../../../test-support/poll.js';
import { type ACL, Ids, MultiError, Perms, type WatchedEvent, type Watcher, type ZkClient, ZkError, connect } from '../src/index.js';
import { startApacheWithSystemProperties } from './differential/apache-system-properties.js';

/** How often the server's ContainerManager sweeps: short, so sweeps can be awaited. */
const SWEEP_INTERVAL_MS = 100;

let zk: ApacheZooKeeper;
let client: ZkClient;
let other: ZkClient;
const opened: ZkClient[] = [];

beforeAll(async () => {
  zk = await startApacheWithSystemProperties({ 'znode.container.checkIntervalMs': SWEEP_INTERVAL_MS });
  client = await open();
  other = await open();
});

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
  await zk?.stop();
});

async function open(options: Parameters<typeof connect>[1] = {}): Promise<ZkClient> {
  const opening = await connect(zk.connectString, options);
  opened.push(opening);
  return opening;
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof ZkError)) throw error;
    return error.code;
  }
  return 'OK';
}

/** Collects node events (session events aside) and waits for the next ones. */
function recorder(): { watcher: Watcher; events: string[]; next: (count?: number) => Promise<string[]> } {
  const events: string[] = [];
  const waiters: (() => void)[] = [];
  const watcher = (event: WatchedEvent): void => {
    events.push(event.type === 'None' ? `None ${event.state}` : `${event.type} ${event.path}`);
    for (const wake of waiters.splice(0)) wake();
  };
  let consumed = 0;
  const next = async (count = 1): Promise<string[]> => {
    while (events.length < consumed + count) await new Promise<void>((resolve) => waiters.push(resolve));
    consumed += count;
    return events.slice(consumed - count, consumed);
  };
  return { watcher, events, next };
}

/** `user:base64(sha1(user:password))`, the id of a digest ACL (DigestAuthenticationProvider.generateDigest). */
function digestId(credentials: string): string {
  const user = credentials.slice(0, credentials.indexOf(':'));
  return `${user}:${createHash('sha1').update(credentials).digest('base64')}`;
}

describe('Stats of each create mode', () => {
  test('create2 answers with the new Stat; sequential names count the creations under the parent', async () => {
    await client.create('/c2');
    const eph = await client.create('/c2/e', 'x', { mode: 'EPHEMERAL', stat: true });
    expect(eph.stat.ephemeralOwner).toBe(client.sessionId);
    expect(eph.stat).toEqual(await client.exists('/c2/e'));
    const seq = await client.create('/c2/s-', null, { mode: 'EPHEMERAL_SEQUENTIAL', stat: true });
    expect(seq.path).toBe('/c2/s-0000000001');
    expect([seq.stat.czxid, seq.stat.mzxid, seq.stat.pzxid]).toEqual([seq.stat.czxid, seq.stat.czxid, seq.stat.czxid]);
    expect(seq.stat.dataLength).toBe(0);
    const parent = await client.exists('/c2');
    expect(parent).toMatchObject({ cversion: 2, numChildren: 2, pzxid: seq.stat.czxid, version: 0 });
    // The server counts child creations and names sequential children by that count; clients
    // see cversion = 2 × creations − children (DataNode.copyStat), so a delete shows as a change.
    await client.delete('/c2/e');
    expect(await client.exists('/c2')).toMatchObject({ cversion: 3, numChildren: 1 });
    expect(await client.create('/c2/s-', null, { mode: 'PERSISTENT_SEQUENTIAL' })).toBe('/c2/s-0000000002');
    expect(await client.exists('/c2')).toMatchObject({ cversion: 4, numChildren: 2 });
  });

  test('TTL and container nodes report ephemeralOwner 0, whether created alone or in a multi', async () => {
    const ttl = await client.create('/c2/ttl', 'x', { mode: 'PERSISTENT_WITH_TTL', ttlMs: 600_000, stat: true });
    const container = await client.create('/c2/box', null, { mode: 'CONTAINER', stat: true });
    expect(ttl.stat.ephemeralOwner).toBe(0n);
    expect(container.stat.ephemeralOwner).toBe(0n);
    const results = await client.multi([
      { type: 'create', path: '/c2/m-ttl-', mode: 'PERSISTENT_SEQUENTIAL_WITH_TTL', ttlMs: 600_000 },
      { type: 'create', path: '/c2/m-box', mode: 'CONTAINER' },
      { type: 'create', path: '/c2/m-plain', mode: 'EPHEMERAL' },
    ]);
    const [ttlResult, boxResult, plainResult] = results;
    // createTTL and createContainer answer with create2's record (path and Stat), create with the path only.
    expect(ttlResult).toMatchObject({ type: 'create', path: '/c2/m-ttl-0000000005' });
    expect(ttlResult?.type === 'create' ? ttlResult.stat?.ephemeralOwner : undefined).toBe(0n);
    expect(boxResult?.type === 'create' ? boxResult.stat : undefined).toEqual(await client.exists('/c2/m-box'));
    expect(plainResult).toEqual({ type: 'create', path: '/c2/m-plain', stat: undefined });
    expect((await client.exists('/c2/m-plain'))?.ephemeralOwner).toBe(client.sessionId);
  });

  test('a TTL on an ephemeral node is refused by the client; a TTL node may have children', async () => {
    expect(await code(client.create('/c2/bad', null, { mode: 'EPHEMERAL', ttlMs: 1000 }))).toBe('BAD_ARGUMENTS');
    await client.create('/c2/ttl/k', 'child of a TTL node');
    expect((await client.exists('/c2/ttl'))?.numChildren).toBe(1);
    expect(await code(client.create('/c2/m-plain/k'))).toBe('NO_CHILDREN_FOR_EPHEMERALS');
  });
});

describe('containers and TTL nodes are swept by the server', () => {
  test('a container goes once its last child does, firing watches; one never used stays', async () => {
    await client.create('/unused-box', null, { mode: 'CONTAINER' });
    await client.create('/box', null, { mode: 'CONTAINER' });
    await client.create('/box/k');
    const data = recorder();
    const children = recorder();
    await other.exists('/box', data.watcher);
    await other.getChildren('/box', children.watcher);
    await client.delete('/box/k');
    expect(await children.next()).toEqual(['NodeChildrenChanged /box']);
    expect(await data.next()).toEqual(['NodeDeleted /box']);
    expect(await client.exists('/box')).toBeNull();
    // The sweep that took /box looked at /unused-box too: containers never given a child stay.
    expect(await client.exists('/unused-box')).not.toBeNull();
  });

  test('a childless TTL node goes once its TTL has passed since its last change; one with a child stays', async () => {
    await client.create('/ttl-parent', null, { mode: 'PERSISTENT_WITH_TTL', ttlMs: 200 });
    await client.create('/ttl-parent/k');
    await client.create('/ttl-short', 'x', { mode: 'PERSISTENT_WITH_TTL', ttlMs: 200 });
    const deleted = recorder();
    await other.exists('/ttl-short', deleted.watcher);
    expect(await deleted.next()).toEqual(['NodeDeleted /ttl-short']);
    // /ttl-parent's TTL passed before /ttl-short's did, but it has a child.
    expect(await client.exists('/ttl-parent')).not.toBeNull();
    await client.delete('/ttl-parent/k');
    await pollUntil(async () => ((await client.exists('/ttl-parent')) === null ? true : undefined), {
      timeoutMs: 10_000,
      description: 'the childless TTL node to be swept',
    });
  });
});

describe('ACL schemes and the permission each operation needs', () => {
  test('an explicit digest ACL admits whoever authenticates with its credentials', async () => {
    const acl: ACL[] = [{ perms: Perms.ALL, id: { scheme: 'digest', id: digestId('bob:pw') } }];
    await client.create('/digest-node', 'secret', { acl });
    const stranger = await open();
    expect(await code(stranger.getData('/digest-node'))).toBe('NO_AUTH');
    expect(await code(stranger.setData('/digest-node', 'x'))).toBe('NO_AUTH');
    await stranger.addAuth('digest', 'bob:wrong');
    expect(await code(stranger.getData('/digest-node'))).toBe('NO_AUTH');
    await stranger.addAuth('digest', 'bob:pw');
    expect(new TextDecoder().decode((await stranger.getData('/digest-node')).data ?? new Uint8Array())).toBe('secret');
    expect(await code(stranger.delete('/digest-node'))).toBe('OK');
  });

  test('ip ACLs match the client address, with or without a mask', async () => {
    const only = (id: string): ACL[] => [{ perms: Perms.READ | Perms.DELETE | Perms.ADMIN, id: { scheme: 'ip', id } }];
    await client.create('/ip-exact', 'x', { acl: only('127.0.0.1') });
    await client.create('/ip-net', 'x', { acl: only('127.0.0.0/8') });
    await client.create('/ip-other', 'x', { acl: only('10.1.2.3') });
    expect(await code(client.getData('/ip-exact'))).toBe('OK');
    expect(await code(client.getData('/ip-net'))).toBe('OK');
    expect(await code(client.getData('/ip-other'))).toBe('NO_AUTH');
    expect(await code(client.setData('/ip-exact', 'y'))).toBe('NO_AUTH');
  });

  test('create needs CREATE and delete needs DELETE on the parent; setACL needs ADMIN', async () => {
    const world = (perms: number): ACL[] => [{ perms, id: { scheme: 'world', id: 'anyone' } }];
    await client.create('/no-create', null, { acl: world(Perms.ALL & ~Perms.CREATE) });
    expect(await code(client.create('/no-create/k'))).toBe('NO_AUTH');
    await client.create('/no-delete', null, { acl: world(Perms.ALL & ~Perms.DELETE) });
    await client.create('/no-delete/k', null, { acl: world(Perms.ALL) });
    expect(await code(client.delete('/no-delete/k'))).toBe('NO_AUTH');
    // A node's own DELETE permission does not matter.
    await client.create('/no-delete-self', null, { acl: world(Perms.ALL & ~Perms.DELETE) });
    expect(await code(client.delete('/no-delete-self'))).toBe('OK');
    await client.create('/no-admin', null, { acl: world(Perms.ALL & ~Perms.ADMIN) });
    expect(await code(client.setACL('/no-admin', Ids.OPEN_ACL_UNSAFE))).toBe('NO_AUTH');
    // exists needs no permission at all.
    await client.create('/no-perms', null, { acl: world(0) });
    expect(await client.exists('/no-perms')).not.toBeNull();
    expect(await code(client.getData('/no-perms'))).toBe('NO_AUTH');
    expect(await code(client.getChildren('/no-perms'))).toBe('NO_AUTH');
    expect(await code(client.getACL('/no-perms'))).toBe('NO_AUTH');
  });

  test('a multi fails as a whole on NO_AUTH; multiRead answers each op on its own', async () => {
    const error = await client
      .multi([
        { type: 'create', path: '/mr-auth', data: 'x' },
        { type: 'create', path: '/no-create/k' },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MultiError);
    expect((error as MultiError).code).toBe('NO_AUTH');
    expect((error as MultiError).results.map((result) => (result.type === 'error' ? result.code : result.type))).toEqual(['OK', 'NO_AUTH']);
    expect(await client.exists('/mr-auth')).toBeNull();
    const results = await client.multiRead([
      { type: 'getData', path: '/no-perms' },
      { type: 'getData', path: '/ip-net' },
      { type: 'getChildren', path: '/no-perms' },
    ]);
    expect(results.map((result) => (result.type === 'error' ? result.code : result.type))).toEqual(['NO_AUTH', 'getData', 'NO_AUTH']);
  });

  test('CREATOR_ALL_ACL needs an authenticated session; getACL without ADMIN masks digest passwords', async () => {
    expect(await code(client.create('/creator', null, { acl: Ids.CREATOR_ALL_ACL }))).toBe('INVALID_ACL');
    const alice = await open({ authInfo: [{ scheme: 'digest', auth: 'alice:secret' }] });
    await alice.create('/creator', null, { acl: [...Ids.CREATOR_ALL_ACL, ...Ids.READ_ACL_UNSAFE] });
    const full = (await alice.getACL('/creator')).acl;
    expect(full).toEqual([
      { perms: Perms.ALL, id: { scheme: 'digest', id: digestId('alice:secret') } },
      { perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } },
    ]);
    const masked = (await client.getACL('/creator')).acl;
    expect(masked).toEqual([
      { perms: Perms.ALL, id: { scheme: 'digest', id: 'alice:x' } },
      { perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } },
    ]);
  });
});

describe('getEphemerals', () => {
  test('the prefix is a string prefix, not a path prefix', async () => {
    const owner = await open();
    await owner.create('/gep');
    await owner.create('/gep/x', null, { mode: 'EPHEMERAL' });
    await owner.create('/gep/xy', null, { mode: 'EPHEMERAL' });
    await owner.create('/gep/y', null, { mode: 'EPHEMERAL' });
    expect((await owner.getEphemerals('/gep/x')).sort()).toEqual(['/gep/x', '/gep/xy']);
    expect((await owner.getEphemerals('/gep')).sort()).toEqual(['/gep/x', '/gep/xy', '/gep/y']);
    expect(await other.getEphemerals('/gep')).toEqual([]);
  });
});

describe('close', () => {
  test("close deletes the session's ephemerals, fires other sessions' watches, and ends the client", async () => {
    const closing = await open();
    await client.create('/closing');
    await closing.create('/closing/e1', 'x', { mode: 'EPHEMERAL' });
    await closing.create('/closing/e2', 'x', { mode: 'EPHEMERAL' });
    await closing.create('/closing/kept', 'x');
    const deleted = recorder();
    const children = recorder();
    await other.exists('/closing/e1', deleted.watcher);
    await other.getChildren('/closing', children.watcher);
    const own = recorder();
    await closing.getData('/closing/kept', own.watcher);
    const reasons: string[] = [];
    closing.on('closed', (reason) => reasons.push(reason));
    await closing.close();
    expect(closing.state).toBe('CLOSED');
    expect(reasons).toEqual(['closed']);
    expect(own.events).toEqual(['None Closed']);
    expect(await deleted.next()).toEqual(['NodeDeleted /closing/e1']);
    // One child watch event for the whole closeSession transaction.
    expect(await children.next()).toEqual(['NodeChildrenChanged /closing']);
    expect(await other.getChildren('/closing')).toEqual(['kept']);
    expect(await code(closing.exists('/'))).toBe('SESSION_EXPIRED');
    await closing.close();
    await other.setData('/closing/kept', 'y');
    await other.sync('/');
    expect(own.events).toEqual(['None Closed']);
  });
});

describe('removing watches by type', () => {
  test('exists watches count as data watches, on existing and missing nodes; Any removes every kind', async () => {
    await client.create('/rt');
    const onNode = recorder();
    const onMissing = recorder();
    const onChildren = recorder();
    await client.exists('/rt', onNode.watcher);
    await client.exists('/rt-missing', onMissing.watcher);
    await client.getChildren('/rt', onChildren.watcher);
    await client.removeWatches('/rt', onNode.watcher, 'Data');
    await client.removeWatches('/rt-missing', onMissing.watcher, 'Data');
    expect(onNode.events).toEqual(['DataWatchRemoved /rt']);
    expect(onMissing.events).toEqual(['DataWatchRemoved /rt-missing']);
    expect(await code(client.removeWatches('/rt', onChildren.watcher, 'Data'))).toBe('NO_WATCHER');
    const data = recorder();
    await client.getData('/rt', data.watcher);
    await client.removeAllWatches('/rt', 'Any');
    expect(onChildren.events).toEqual(['ChildWatchRemoved /rt']);
    expect(data.events).toEqual(['DataWatchRemoved /rt']);
    await other.create('/rt-missing');
    await other.create('/rt/k');
    await client.sync('/');
    await client.exists('/');
    expect([onNode.events, onMissing.events, onChildren.events, data.events].flat()).toHaveLength(4);
  });

  test('ZooKeeper 3.8.0 cannot remove persistent watches by their own types; Any removes them', async () => {
    await client.create('/rp');
    const persistent = recorder();
    const recursive = recorder();
    await client.addWatch('/rp', persistent.watcher, 'PERSISTENT');
    await client.addWatch('/rp', recursive.watcher, 'PERSISTENT_RECURSIVE');
    // The 3.8.0 server does not know watcher types 4 and 5 (added to removeWatches in 3.9).
    expect(await code(client.removeAllWatches('/rp', 'Persistent'))).toBe('MARSHALLING_ERROR');
    expect(await code(client.removeAllWatches('/rp', 'PersistentRecursive'))).toBe('MARSHALLING_ERROR');
    expect(await code(client.removeAllWatches('/rp', 'Data'))).toBe('NO_WATCHER');
    await client.removeAllWatches('/rp', 'Any');
    expect(persistent.events).toEqual(['PersistentWatchRemoved /rp']);
    expect(recursive.events).toEqual(['PersistentWatchRemoved /rp']);
    await other.setData('/rp', 'x');
    await client.sync('/');
    await client.exists('/');
    expect([...persistent.events, ...recursive.events]).toHaveLength(2);
  });
});
