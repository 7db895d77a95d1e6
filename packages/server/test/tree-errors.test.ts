import { type ACL, CreateMode, Perms } from '@zkts/protocol';
import { describe, expect, it } from 'vitest';
import { type AuthContext, OPEN_ACL_UNSAFE } from '../src/tree/acl.js';
import { DataTree } from '../src/tree/data-tree.js';
import type { TxnContext } from '../src/tree/tree-types.js';

const SESSION = 0x1000n;
const ctx = (zxid: number, auth?: AuthContext): TxnContext => ({ zxid, timeMs: 1000 + zxid, sessionId: SESSION, ...(auth ? { auth } : {}) });
const nobody: AuthContext = { ids: [{ scheme: 'ip', id: '10.0.0.1' }] };
const acl = (perms: number): ACL[] => [{ perms, id: { scheme: 'world', id: 'anyone' } }];
const ALL_BUT = (perm: number) => acl(Perms.ALL & ~perm);

/**
 * /a            persistent, open
 * /a/b          persistent, open, one child (/a/b/c)
 * /eph          ephemeral of SESSION
 * /locked       every permission but CREATE, DELETE, READ, WRITE, ADMIN respectively below
 */
function fixture(): DataTree {
  const t = new DataTree();
  t.create(ctx(1), '/a', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  t.create(ctx(2), '/a/b', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  t.create(ctx(3), '/a/b/c', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  t.create(ctx(4), '/eph', null, OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
  t.create(ctx(5), '/no-create', null, ALL_BUT(Perms.CREATE), CreateMode.PERSISTENT);
  t.create(ctx(6), '/no-delete', null, ALL_BUT(Perms.DELETE), CreateMode.PERSISTENT);
  t.create(ctx(7), '/no-delete/x', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  t.create(ctx(8), '/no-read', null, ALL_BUT(Perms.READ), CreateMode.PERSISTENT);
  t.create(ctx(9), '/no-write', null, ALL_BUT(Perms.WRITE), CreateMode.PERSISTENT);
  t.create(ctx(10), '/no-admin', null, ALL_BUT(Perms.ADMIN), CreateMode.PERSISTENT);
  t.create(ctx(11), '/container', null, OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
  return t;
}

interface Case {
  name: string;
  /** Extra state the case needs, written before the failing call. */
  setup?: (t: DataTree) => void;
  run: (t: DataTree) => unknown;
  code: string;
}

const superUser: AuthContext = { ids: [], superUser: true };

const open = OPEN_ACL_UNSAFE;
const cases: Case[] = [
  // create, in PrepRequestProcessor's order of checks
  { name: 'create: unknown flags', run: (t) => t.create(ctx(20), '/n', null, open, 7), code: 'BAD_ARGUMENTS' },
  { name: 'create: TTL of 0', run: (t) => t.create(ctx(20), '/n', null, open, CreateMode.PERSISTENT_WITH_TTL, 0), code: 'BAD_ARGUMENTS' },
  { name: 'create: TTL mode without TTL', run: (t) => t.create(ctx(20), '/n', null, open, CreateMode.PERSISTENT_WITH_TTL), code: 'BAD_ARGUMENTS' },
  { name: 'create: TTL above 2^40 − 1', run: (t) => t.create(ctx(20), '/n', null, open, CreateMode.PERSISTENT_WITH_TTL, 2 ** 40), code: 'BAD_ARGUMENTS' },
  { name: 'create: TTL with a non-TTL mode', run: (t) => t.create(ctx(20), '/n', null, open, CreateMode.PERSISTENT, 100), code: 'BAD_ARGUMENTS' },
  { name: 'create: ephemeral with a TTL', run: (t) => t.create(ctx(20), '/n', null, open, CreateMode.EPHEMERAL, 100), code: 'BAD_ARGUMENTS' },
  { name: 'create: container with a TTL', run: (t) => t.create(ctx(20), '/n', null, open, CreateMode.CONTAINER, 100), code: 'BAD_ARGUMENTS' },
  { name: 'create: TTL while extended types are off', run: () => new DataTree({ extendedTypesEnabled: false }).create(ctx(20), '/n', null, open, CreateMode.PERSISTENT_WITH_TTL, 100), code: 'UNIMPLEMENTED' },
  { name: 'create: path without a slash', run: (t) => t.create(ctx(20), 'n', null, open, CreateMode.PERSISTENT), code: 'BAD_ARGUMENTS' },
  { name: 'create: NUL in path', run: (t) => t.create(ctx(20), '/n\0', null, open, CreateMode.PERSISTENT), code: 'BAD_ARGUMENTS' },
  { name: 'create: empty ACL', run: (t) => t.create(ctx(20), '/n', null, [], CreateMode.PERSISTENT), code: 'INVALID_ACL' },
  { name: 'create: invalid ACL is checked before the parent', run: (t) => t.create(ctx(20), '/missing/n', null, [], CreateMode.PERSISTENT), code: 'INVALID_ACL' },
  { name: 'create: missing parent', run: (t) => t.create(ctx(20), '/missing/n', null, open, CreateMode.PERSISTENT), code: 'NO_NODE' },
  { name: 'create: a "//" parent is simply missing', run: (t) => t.create(ctx(20), '/a//n', null, open, CreateMode.PERSISTENT), code: 'NO_NODE' },
  { name: 'create: no CREATE on the parent', run: (t) => t.create(ctx(20, nobody), '/no-create/n', null, open, CreateMode.PERSISTENT), code: 'NO_AUTH' },
  {
    name: 'create: NO_AUTH comes before NODE_EXISTS',
    setup: (t) => t.create(ctx(19, superUser), '/no-create/y', null, open, CreateMode.PERSISTENT),
    run: (t) => t.create(ctx(20, nobody), '/no-create/y', null, open, CreateMode.PERSISTENT),
    code: 'NO_AUTH',
  },
  { name: 'create: trailing slash without sequence', run: (t) => t.create(ctx(20), '/a/', null, open, CreateMode.PERSISTENT), code: 'BAD_ARGUMENTS' },
  { name: 'create: relative name', run: (t) => t.create(ctx(20), '/a/..', null, open, CreateMode.PERSISTENT), code: 'BAD_ARGUMENTS' },
  { name: 'create: invalid character', run: (t) => t.create(ctx(20), '/a/\u0001', null, open, CreateMode.PERSISTENT), code: 'BAD_ARGUMENTS' },
  { name: 'create: existing node', run: (t) => t.create(ctx(20), '/a', null, open, CreateMode.PERSISTENT), code: 'NODE_EXISTS' },
  { name: 'create: the root', run: (t) => t.create(ctx(20), '/', null, open, CreateMode.PERSISTENT), code: 'NODE_EXISTS' },
  { name: 'create: under an ephemeral', run: (t) => t.create(ctx(20), '/eph/n', null, open, CreateMode.PERSISTENT), code: 'NO_CHILDREN_FOR_EPHEMERALS' },
  { name: 'create: NODE_EXISTS comes before NO_CHILDREN_FOR_EPHEMERALS', run: (t) => t.create(ctx(20), '/eph', null, open, CreateMode.PERSISTENT), code: 'NODE_EXISTS' },
  // delete
  { name: 'delete: no slash', run: (t) => t.delete(ctx(20), 'a', -1), code: 'BAD_ARGUMENTS' },
  { name: 'delete: the root', run: (t) => t.delete(ctx(20), '/', -1), code: 'BAD_ARGUMENTS' },
  { name: 'delete: /zookeeper', run: (t) => t.delete(ctx(20), '/zookeeper', -1), code: 'BAD_ARGUMENTS' },
  { name: 'delete: /zookeeper/quota', run: (t) => t.delete(ctx(20), '/zookeeper/quota', -1), code: 'BAD_ARGUMENTS' },
  { name: 'delete: /zookeeper/config', run: (t) => t.delete(ctx(20), '/zookeeper/config', -1), code: 'BAD_ARGUMENTS' },
  { name: 'delete: NUL in path', run: (t) => t.delete(ctx(20), '/a\0', -1), code: 'BAD_ARGUMENTS' },
  { name: 'delete: missing parent', run: (t) => t.delete(ctx(20), '/missing/n', -1), code: 'NO_NODE' },
  { name: 'delete: missing node', run: (t) => t.delete(ctx(20), '/a/zzz', -1), code: 'NO_NODE' },
  { name: 'delete: a trailing slash names no node', run: (t) => t.delete(ctx(20), '/a/', -1), code: 'NO_NODE' },
  { name: 'delete: no DELETE on the parent', run: (t) => t.delete(ctx(20, nobody), '/no-delete/x', -1), code: 'NO_AUTH' },
  { name: 'delete: NO_AUTH comes before NO_NODE', run: (t) => t.delete(ctx(20, nobody), '/no-delete/zzz', -1), code: 'NO_AUTH' },
  { name: 'delete: wrong version', run: (t) => t.delete(ctx(20), '/a/b/c', 3), code: 'BAD_VERSION' },
  { name: 'delete: with children', run: (t) => t.delete(ctx(20), '/a/b', -1), code: 'NOT_EMPTY' },
  { name: 'delete: BAD_VERSION comes before NOT_EMPTY', run: (t) => t.delete(ctx(20), '/a/b', 7), code: 'BAD_VERSION' },
  // deleteContainer
  { name: 'deleteContainer: gone', run: (t) => t.deleteContainer(ctx(20), '/gone'), code: 'NO_NODE' },
  { name: 'deleteContainer: has children', run: (t) => t.deleteContainer(ctx(20), '/a/b'), code: 'NOT_EMPTY' },
  { name: 'deleteContainer: an ephemeral', run: (t) => t.deleteContainer(ctx(20), '/eph'), code: 'BAD_VERSION' },
  { name: 'deleteContainer: a system path', run: (t) => t.deleteContainer(ctx(20), '/zookeeper/quota'), code: 'BAD_ARGUMENTS' },
  // setData
  { name: 'setData: invalid path', run: (t) => t.setData(ctx(20), '/a/', null, -1), code: 'BAD_ARGUMENTS' },
  { name: 'setData: empty path', run: (t) => t.setData(ctx(20), '', null, -1), code: 'BAD_ARGUMENTS' },
  { name: 'setData: missing', run: (t) => t.setData(ctx(20), '/zzz', null, -1), code: 'NO_NODE' },
  { name: 'setData: no WRITE', run: (t) => t.setData(ctx(20, nobody), '/no-write', null, -1), code: 'NO_AUTH' },
  { name: 'setData: NO_AUTH comes before BAD_VERSION', run: (t) => t.setData(ctx(20, nobody), '/no-write', null, 9), code: 'NO_AUTH' },
  { name: 'setData: wrong version', run: (t) => t.setData(ctx(20), '/a', null, 9), code: 'BAD_VERSION' },
  // setACL
  { name: 'setACL: invalid path', run: (t) => t.setACL(ctx(20), 'a', open, -1), code: 'BAD_ARGUMENTS' },
  { name: 'setACL: empty ACL is checked before the node', run: (t) => t.setACL(ctx(20), '/zzz', [], -1), code: 'INVALID_ACL' },
  { name: 'setACL: missing', run: (t) => t.setACL(ctx(20), '/zzz', open, -1), code: 'NO_NODE' },
  { name: 'setACL: no ADMIN', run: (t) => t.setACL(ctx(20, nobody), '/no-admin', open, -1), code: 'NO_AUTH' },
  { name: 'setACL: wrong aversion', run: (t) => t.setACL(ctx(20), '/a', open, 4), code: 'BAD_VERSION' },
  // check
  { name: 'check: invalid path', run: (t) => t.check(ctx(20), '/a/', 0), code: 'BAD_ARGUMENTS' },
  { name: 'check: missing', run: (t) => t.check(ctx(20), '/zzz', 0), code: 'NO_NODE' },
  { name: 'check: no READ', run: (t) => t.check(ctx(20, nobody), '/no-read', 0), code: 'NO_AUTH' },
  { name: 'check: wrong version', run: (t) => t.check(ctx(20), '/a', 1), code: 'BAD_VERSION' },
  // reads
  { name: 'getData: missing', run: (t) => t.getData('/zzz'), code: 'NO_NODE' },
  { name: 'getData: no READ', run: (t) => t.getData('/no-read', nobody), code: 'NO_AUTH' },
  { name: 'getChildren: missing', run: (t) => t.getChildren('/zzz'), code: 'NO_NODE' },
  { name: 'getChildren: no READ', run: (t) => t.getChildren('/no-read', nobody), code: 'NO_AUTH' },
  { name: 'getACL: missing', run: (t) => t.getACL('/zzz'), code: 'NO_NODE' },
  {
    name: 'getACL: neither READ nor ADMIN',
    setup: (t) => t.create(ctx(19), '/write-only', null, acl(Perms.WRITE), CreateMode.PERSISTENT),
    run: (t) => t.getACL('/write-only', nobody),
    code: 'NO_AUTH',
  },
  { name: 'getAllChildrenNumber: missing', run: (t) => t.getAllChildrenNumber('/zzz'), code: 'NO_NODE' },
  { name: 'getAllChildrenNumber: no READ', run: (t) => t.getAllChildrenNumber('/no-read', nobody), code: 'NO_AUTH' },
  { name: 'exists: NUL in path', run: (t) => t.exists('/a\0'), code: 'BAD_ARGUMENTS' },
  // watches
  { name: 'removeWatches: nothing to remove', run: (t) => t.removeWatches('/a', 3, {}), code: 'NO_WATCHER' },
  { name: 'checkWatches: nothing registered', run: (t) => t.checkWatches('/a', 3, {}), code: 'NO_WATCHER' },
  { name: 'addWatch: unknown mode', run: (t) => t.addWatch('/a', {}, 7), code: 'MARSHALLING_ERROR' },
];

describe('errors', () => {
  for (const c of cases) {
    it(`${c.name} → ${c.code}`, () => {
      const t = fixture();
      c.setup?.(t);
      expect(() => c.run(t)).toThrow(expect.objectContaining({ name: 'ZkError', code: c.code }));
    });
  }

  it('a failed write leaves the tree exactly as it was', () => {
    for (const c of cases) {
      const t = fixture();
      c.setup?.(t);
      const before = [...t.snapshotNodes()];
      const digest = t.digest();
      try {
        c.run(t);
      } catch {
        // expected
      }
      expect([...t.snapshotNodes()], c.name).toEqual(before);
      expect(t.digest(), c.name).toBe(digest);
    }
  });

  it('deleteContainer deletes a childless persistent node too, as ZooKeeper does (only NORMAL ephemerals are refused)', () => {
    const t = fixture();
    t.deleteContainer(ctx(20), '/a/b/c');
    expect(t.stat('/a/b/c')).toBeNull();
    t.deleteContainer(ctx(21), '/container');
    expect(t.stat('/container')).toBeNull();
  });

  it('sequential create under a trailing slash is valid', () => {
    const t = fixture();
    expect(t.create(ctx(20), '/a/', null, open, CreateMode.PERSISTENT_SEQUENTIAL).path).toBe('/a/0000000001');
  });

  it('reads treat "" as the root, as ZooKeeper\'s node map does', () => {
    const t = fixture();
    expect(t.getChildren('').children).toContain('a');
    expect(t.exists('')).not.toBeNull();
  });
});
