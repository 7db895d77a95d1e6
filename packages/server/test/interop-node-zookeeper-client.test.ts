/**
 * node-zookeeper-client, a ZooKeeper client written without zkts in mind, against our server
 * over TCP. Every scenario runs against Apache ZooKeeper too, so the expectations are
 * ZooKeeper's behaviour and not our reading of it.
 */
import { CreateMode, OpCode, Perms } from '@zkts/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../../test-support/poll.js';
import { generateDigest } from '../src/auth/auth-providers.js';
import { codeOf, NzkClient, nzk, watchEvent } from './support/nzk.js';
import { RawConnection } from './support/raw-client.js';
import { startApache, startZkts, type Target } from './support/targets.js';

const SESSION_MS = 20_000;
const starters: [string, () => Promise<Target>][] = [
  ['zkts', () => startZkts({ tickTimeMs: 1000, containerCheckIntervalMs: 100 })],
  ['apache', () => startApache({ tickTimeMs: 1000 })],
];

describe.each(starters)('node-zookeeper-client against %s', (name, start) => {
  let target: Target;
  let a: NzkClient;
  let b: NzkClient;
  let root: string;
  let counter = 0;
  const path = (leaf: string): string => `${root}/${leaf}`;

  beforeAll(async () => {
    target = await start();
    a = await NzkClient.connect(target.connectString, { sessionTimeoutMs: SESSION_MS });
    b = await NzkClient.connect(target.connectString, { sessionTimeoutMs: SESSION_MS });
    root = await a.create('/interop', null);
  });

  afterAll(async () => {
    await Promise.allSettled([a?.close(), b?.close()]);
    await target?.stop();
  });

  /** A fresh parent per test keeps sequence numbers and children independent. */
  async function freshParent(): Promise<string> {
    return a.create(path(`t${counter++}`), null);
  }

  it('creates nodes in every mode the client offers', async () => {
    const parent = await freshParent();
    expect(await a.create(`${parent}/p`, Buffer.from('persistent'), nzk.CreateMode.PERSISTENT)).toBe(`${parent}/p`);
    expect(await a.create(`${parent}/e`, Buffer.from('ephemeral'), nzk.CreateMode.EPHEMERAL)).toBe(`${parent}/e`);
    expect(await a.create(`${parent}/ps-`, null, nzk.CreateMode.PERSISTENT_SEQUENTIAL)).toBe(`${parent}/ps-0000000002`);
    expect(await a.create(`${parent}/es-`, null, nzk.CreateMode.EPHEMERAL_SEQUENTIAL)).toBe(`${parent}/es-0000000003`);
    const ephemeral = await b.exists(`${parent}/e`);
    expect(ephemeral?.ephemeralOwner.readBigInt64BE(0)).toBe(a.sessionId);
    expect((await b.exists(`${parent}/p`))?.ephemeralOwner.readBigInt64BE(0)).toBe(0n);
    expect((await b.getData(`${parent}/p`)).data?.toString()).toBe('persistent');
    expect((await b.getChildren(parent)).children.sort()).toEqual(['e', 'es-0000000003', 'p', 'ps-0000000002']);
    // An ephemeral node cannot have children.
    expect(await codeOf(a.create(`${parent}/e/child`, null))).toBe('NO_CHILDREN_FOR_EPHEMERALS');
  });

  it('treats a CONTAINER flag on a plain create as ZooKeeper does, and refuses TTL flags without a TTL', async () => {
    const parent = await freshParent();
    // The client sends op `create` with flags 4: ZooKeeper's CreateTxn makes a persistent node.
    expect(await a.create(`${parent}/c`, null, CreateMode.CONTAINER)).toBe(`${parent}/c`);
    expect(await codeOf(a.create(`${parent}/ttl`, null, CreateMode.PERSISTENT_WITH_TTL))).toBe('BAD_ARGUMENTS');
    expect(await codeOf(a.create(`${parent}/flags`, null, 7))).toBe('BAD_ARGUMENTS');
    if (name !== 'zkts') return;
    // Only zkts sweeps containers quickly enough to watch: a real container (createContainer)
    // emptied of its child is swept, and the node created with the flag in the same sweep is not.
    await a.create(`${parent}/c/child`, null);
    await a.remove(`${parent}/c/child`);
    const { connection } = await RawConnection.session(target.tcpPort);
    const open = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
    expect((await connection.call(OpCode.createContainer, { path: `${parent}/real`, data: null, acl: open, flags: 0 })).header.err).toBe(0);
    expect((await connection.call(OpCode.create, { path: `${parent}/real/child`, data: null, acl: open, flags: 0 })).header.err).toBe(0);
    expect((await connection.call(OpCode.delete, { path: `${parent}/real/child`, version: -1 })).header.err).toBe(0);
    await connection.destroy();
    await pollUntil(async () => ((await a.exists(`${parent}/real`)) === null ? true : undefined), {
      timeoutMs: 5000,
      description: 'the container to be swept',
    });
    expect(await a.exists(`${parent}/c`)).not.toBeNull();
  });

  it('checks versions on setData and delete', async () => {
    const parent = await freshParent();
    const node = await a.create(`${parent}/v`, Buffer.from('0'));
    expect((await a.setData(node, Buffer.from('1'), 0)).version).toBe(1);
    expect(await codeOf(a.setData(node, Buffer.from('x'), 0))).toBe('BAD_VERSION');
    expect((await a.setData(node, Buffer.from('2'), -1)).version).toBe(2);
    const { data, stat } = await b.getData(node);
    expect(data?.toString()).toBe('2');
    expect(stat.version).toBe(2);
    expect(stat.dataLength).toBe(1);
    expect(await codeOf(a.remove(node, 1))).toBe('BAD_VERSION');
    await a.remove(node, 2);
    expect(await a.exists(node)).toBeNull();
  });

  it('reports NO_NODE, NODE_EXISTS and NOT_EMPTY', async () => {
    const parent = await freshParent();
    expect(await codeOf(a.getData(`${parent}/missing`))).toBe('NO_NODE');
    expect(await codeOf(a.setData(`${parent}/missing`, Buffer.from('x')))).toBe('NO_NODE');
    expect(await codeOf(a.remove(`${parent}/missing`))).toBe('NO_NODE');
    expect(await codeOf(a.getChildren(`${parent}/missing`))).toBe('NO_NODE');
    expect(await codeOf(a.create(`${parent}/missing/child`, null))).toBe('NO_NODE');
    await a.create(`${parent}/x`, null);
    expect(await codeOf(a.create(`${parent}/x`, null))).toBe('NODE_EXISTS');
    await a.create(`${parent}/x/y`, null);
    expect(await codeOf(a.remove(`${parent}/x`))).toBe('NOT_EMPTY');
    expect(await a.exists(`${parent}/missing`)).toBeNull();
  });

  it('fires data, child and exists watches once each', async () => {
    const parent = await freshParent();
    const node = await a.create(`${parent}/w`, Buffer.from('a'));
    const data = watchEvent();
    const children = watchEvent();
    const created = watchEvent();
    await b.getData(node, data.watcher);
    await b.getChildren(parent, children.watcher);
    expect(await b.exists(`${parent}/later`, created.watcher)).toBeNull();

    await a.setData(node, Buffer.from('b'));
    expect(await data.event).toMatchObject({ type: nzk.Event.NODE_DATA_CHANGED, path: node });
    await a.create(`${parent}/later`, null);
    expect(await created.event).toMatchObject({ type: nzk.Event.NODE_CREATED, path: `${parent}/later` });
    expect(await children.event).toMatchObject({ type: nzk.Event.NODE_CHILDREN_CHANGED, path: parent });

    // One-shot: further changes send nothing. A notification would precede the reply to b's
    // read that reveals the change, so once that reply is in, none can still be on its way.
    await a.setData(node, Buffer.from('c'));
    await a.create(`${parent}/more`, null);
    expect((await b.getData(node)).data?.toString()).toBe('c');
    expect((await b.getChildren(parent)).children.sort()).toEqual(['later', 'more', 'w']);
    expect([data.count(), children.count(), created.count()]).toEqual([1, 1, 1]);
  });

  it('fires NodeDeleted on data and child watches of a deleted node', async () => {
    const parent = await freshParent();
    const node = await a.create(`${parent}/gone`, null);
    const data = watchEvent();
    const children = watchEvent();
    await b.getData(node, data.watcher);
    await b.getChildren(node, children.watcher);
    await a.remove(node);
    expect(await data.event).toMatchObject({ type: nzk.Event.NODE_DELETED, path: node });
    expect(await children.event).toMatchObject({ type: nzk.Event.NODE_DELETED, path: node });
  });

  it('commits a transaction atomically, and a failing one not at all', async () => {
    const parent = await freshParent();
    const node = await a.create(`${parent}/t`, Buffer.from('v0'));
    await a.setData(node, Buffer.from('v1'));
    // The client turns version 0 into −1 (`version || -1`), so transactions here use version 1.
    const results = await a.commit(
      a.transaction()
        .create(`${parent}/t2`, Buffer.from('new'))
        .check(node, 1)
        .setData(node, Buffer.from('v2'), 1)
        .remove(`${parent}/t2`, -1)
        .create(`${parent}/seq-`, null, undefined, nzk.CreateMode.PERSISTENT_SEQUENTIAL),
    );
    expect(results.map((r) => r.type)).toEqual([OpCode.create, OpCode.check, OpCode.setData, OpCode.delete, OpCode.create]);
    // The parent had two children created (t, t2), so its cversion, the suffix, is 2.
    expect(results[4]?.path).toBe(`${parent}/seq-0000000002`);
    expect((await b.getData(node)).data?.toString()).toBe('v2');
    expect(await b.exists(`${parent}/t2`)).toBeNull();

    const failed = a.commit(a.transaction().create(`${parent}/never`, null).check(node, 1).setData(node, Buffer.from('no')));
    expect(await codeOf(failed)).toBe('BAD_VERSION');
    expect(await b.exists(`${parent}/never`)).toBeNull();
    expect((await b.getData(node)).data?.toString()).toBe('v2');
  });

  it('enforces digest ACLs and the auth scheme', async () => {
    const parent = await freshParent();
    const owner = await NzkClient.connect(target.connectString, { sessionTimeoutMs: SESSION_MS });
    const friend = await NzkClient.connect(target.connectString, { sessionTimeoutMs: SESSION_MS });
    try {
      owner.addAuth('digest', 'alice:secret');
      friend.addAuth('digest', 'alice:secret');
      const node = await owner.create(`${parent}/private`, Buffer.from('s'), nzk.CreateMode.PERSISTENT, nzk.ACL.CREATOR_ALL_ACL);
      const { acls, stat } = await owner.getACL(node);
      expect(acls.map((acl) => [acl.permission, acl.id.scheme, acl.id.id])).toEqual([[Perms.ALL, 'digest', generateDigest('alice:secret')]]);
      expect(stat.aversion).toBe(0);
      // Without the credentials: no READ, no WRITE, no CREATE; exists needs no permission.
      expect(await codeOf(b.getData(node))).toBe('NO_AUTH');
      expect(await codeOf(b.setData(node, Buffer.from('x')))).toBe('NO_AUTH');
      expect(await codeOf(b.create(`${node}/child`, null))).toBe('NO_AUTH');
      expect(await b.exists(node)).not.toBeNull();
      // Another session with the same credentials has the same rights.
      expect((await friend.getData(node)).data?.toString()).toBe('s');
      // setACL checks its version and bumps aversion.
      const readOnly = [new nzk.ACL(Perms.READ, new nzk.Id('world', 'anyone'))];
      expect(await codeOf(owner.setACL(node, readOnly, 5))).toBe('BAD_VERSION');
      expect((await owner.setACL(node, readOnly, 0)).aversion).toBe(1);
      expect((await b.getData(node)).data?.toString()).toBe('s');
      expect(await codeOf(b.setData(node, Buffer.from('x')))).toBe('NO_AUTH');
      // The auth scheme needs an authenticated id.
      expect(await codeOf(b.create(`${parent}/anon`, null, nzk.CreateMode.PERSISTENT, nzk.ACL.CREATOR_ALL_ACL))).toBe('INVALID_ACL');
    } finally {
      await Promise.allSettled([owner.close(), friend.close()]);
    }
  });

  it('deletes ephemeral nodes when their session closes, and tells watchers', async () => {
    const parent = await freshParent();
    const owner = await NzkClient.connect(target.connectString, { sessionTimeoutMs: SESSION_MS });
    const node = await owner.create(`${parent}/eph`, null, nzk.CreateMode.EPHEMERAL);
    const seq = await owner.create(`${parent}/eph-`, null, nzk.CreateMode.EPHEMERAL_SEQUENTIAL);
    const deleted = watchEvent();
    const children = watchEvent();
    await b.getData(node, deleted.watcher);
    await b.getChildren(parent, children.watcher);
    await owner.close();
    expect(await deleted.event).toMatchObject({ type: nzk.Event.NODE_DELETED, path: node });
    expect(await children.event).toMatchObject({ type: nzk.Event.NODE_CHILDREN_CHANGED, path: parent });
    expect(await b.exists(node)).toBeNull();
    expect(await b.exists(seq)).toBeNull();
  });
});
