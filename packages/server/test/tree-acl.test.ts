import { createHash } from 'node:crypto';
import { type ACL, CreateMode, type Id, Perms } from '@zkts/protocol';
import { describe, expect, it } from 'vitest';
import { type AclSchemeProvider, type AuthContext, CREATOR_ALL_ACL, fixupAcl, hasPermission, OPEN_ACL_UNSAFE, DEFAULT_ACL_SCHEME_PROVIDERS } from '../src/tree/acl.js';
import { DataTree } from '../src/tree/data-tree.js';
import { ipMatches, isValidIpAcl } from '../src/tree/ip-address.js';
import type { TxnContext } from '../src/tree/tree-types.js';

const digestId = (user: string, password: string) => `${user}:${createHash('sha1').update(`${user}:${password}`).digest('base64')}`;
const ALICE: Id = { scheme: 'digest', id: digestId('alice', 'secret') };
const BOB: Id = { scheme: 'digest', id: digestId('bob', 'hunter2') };
const ctx = (zxid: number, auth?: AuthContext): TxnContext => ({ zxid, timeMs: zxid, sessionId: 1n, ...(auth ? { auth } : {}) });
const as = (...ids: Id[]): AuthContext => ({ ids });
const entry = (perms: number, scheme: string, id: string): ACL => ({ perms, id: { scheme, id } });

describe('fixupAcl', () => {
  const fix = (acl: ACL[], auth?: AuthContext) => fixupAcl('/n', auth, acl, DEFAULT_ACL_SCHEME_PROVIDERS);

  it('keeps world:anyone, drops duplicates, keeps valid digest and ip ids', () => {
    expect(fix([entry(31, 'world', 'anyone'), entry(31, 'world', 'anyone'), entry(1, 'digest', ALICE.id), entry(3, 'ip', '10.0.0.0/8')])).toEqual([
      entry(31, 'world', 'anyone'),
      entry(1, 'digest', ALICE.id),
      entry(3, 'ip', '10.0.0.0/8'),
    ]);
  });

  it('expands auth to every authenticated id of the session (digest, not ip)', () => {
    const auth = as({ scheme: 'ip', id: '127.0.0.1' }, ALICE, BOB, { scheme: 'super', id: '' });
    expect(fix([...CREATOR_ALL_ACL], auth)).toEqual([entry(31, 'digest', ALICE.id), entry(31, 'digest', BOB.id)]);
  });

  const invalid: [string, ACL[], AuthContext | undefined][] = [
    ['an empty list', [], undefined],
    ['auth without authenticated ids', [...CREATOR_ALL_ACL], as({ scheme: 'ip', id: '127.0.0.1' })],
    ['auth with no session ids', [...CREATOR_ALL_ACL], undefined],
    ['world with another id', [entry(31, 'world', 'someone')], undefined],
    ['an unknown scheme', [entry(31, 'kerberos', 'x')], undefined],
    ['a digest id without a hash', [entry(31, 'digest', 'alice')], undefined],
    ['a digest id ending in a colon', [entry(31, 'digest', 'alice:')], undefined],
    ['a digest id with two colons', [entry(31, 'digest', 'a:b:c')], undefined],
    ['an ip id that is a name', [entry(31, 'ip', 'localhost')], undefined],
    ['an ip prefix over 32 bits', [entry(31, 'ip', '10.0.0.0/33')], undefined],
    ['an ip octet over 255', [entry(31, 'ip', '10.0.0.256')], undefined],
  ];
  for (const [name, acl, auth] of invalid) {
    it(`rejects ${name} with INVALID_ACL`, () => {
      expect(() => fix(acl, auth)).toThrow(expect.objectContaining({ code: 'INVALID_ACL', errno: -114 }));
    });
  }

  it('accepts a digest id with an empty user, as Java split does', () => {
    expect(fix([entry(1, 'digest', ':hash')])).toHaveLength(1);
  });
});

describe('ip ACLs', () => {
  const table: [string, string, boolean][] = [
    ['10.1.2.3', '10.1.2.3', true],
    ['10.1.2.4', '10.1.2.3', false],
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.1.2.3', '10.0.0.0/8', false],
    ['192.168.5.130', '192.168.5.128/25', true],
    ['192.168.5.127', '192.168.5.128/25', false],
    ['1.2.3.4', '0.0.0.0/0', true],
    ['10.1.2.3', '010.1.2.3', true], // Integer.parseInt accepts leading zeros
    ['10.1.2.3', '+10.1.2.3', true],
    ['::1', '::1', true],
    ['0:0:0:0:0:0:0:1', '::1', true],
    ['::2', '::1', false],
    ['2001:db8::42', '2001:db8::/32', true],
    ['2001:db9::42', '2001:db8::/32', false],
    ['fe80::1%eth0', 'fe80::/10', true],
    ['::ffff:10.1.2.3', '10.0.0.0/8', true], // an IPv4 client seen by a dual-stack socket
    ['10.1.2.3', '::ffff:10.0.0.0/104', true],
    ['10.1.2.3', '::1', false],
    ['::1', '127.0.0.1', false],
    ['not-an-address', '10.0.0.0/8', false],
  ];
  for (const [address, acl, expected] of table) {
    it(`${address} ${expected ? 'matches' : 'does not match'} ${acl}`, () => {
      expect(ipMatches(address, acl)).toBe(expected);
    });
  }

  it('validates ids like IPAuthenticationProvider.isValid (plus IPv6)', () => {
    expect(['1.2.3.4', '1.2.3.4/0', '1.2.3.4/32', '::', '::/0', '2001:db8::/128', '::ffff:1.2.3.4'].every(isValidIpAcl)).toBe(true);
    expect(['1.2.3', '1.2.3.4.5', '1.2.3.4/', '1.2.3.4/x', '1.2.3.4/-1', '::/129', '1::2::3', '12345::', 'g::1', ''].some(isValidIpAcl)).toBe(false);
  });
});

describe('permission checks per operation', () => {
  // Each row: the op, the node whose ACL is checked, and the permission it needs.
  const rows: { op: string; perm: number; run: (t: DataTree, auth: AuthContext) => unknown }[] = [
    { op: 'create (CREATE on the parent)', perm: Perms.CREATE, run: (t, a) => t.create(ctx(50, a), '/n/child', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT) },
    { op: 'delete (DELETE on the parent)', perm: Perms.DELETE, run: (t, a) => t.delete(ctx(50, a), '/n/leaf', -1) },
    { op: 'setData (WRITE)', perm: Perms.WRITE, run: (t, a) => t.setData(ctx(50, a), '/n', null, -1) },
    { op: 'setACL (ADMIN)', perm: Perms.ADMIN, run: (t, a) => t.setACL(ctx(50, a), '/n', OPEN_ACL_UNSAFE, -1) },
    { op: 'check (READ)', perm: Perms.READ, run: (t, a) => t.check(ctx(50, a), '/n', -1) },
    { op: 'getData (READ)', perm: Perms.READ, run: (t, a) => t.getData('/n', a) },
    { op: 'getChildren (READ)', perm: Perms.READ, run: (t, a) => t.getChildren('/n', a) },
    { op: 'getAllChildrenNumber (READ)', perm: Perms.READ, run: (t, a) => t.getAllChildrenNumber('/n', a) },
    { op: 'getACL (READ)', perm: Perms.READ, run: (t, a) => t.getACL('/n', a) },
    { op: 'getACL (ADMIN)', perm: Perms.ADMIN, run: (t, a) => t.getACL('/n', a) },
  ];
  const tree = (perms: number) => {
    const t = new DataTree();
    t.create(ctx(1), '/n', null, [entry(perms, 'digest', ALICE.id), entry(Perms.ALL, 'digest', BOB.id)], CreateMode.PERSISTENT);
    t.create(ctx(2, as(BOB)), '/n/leaf', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    return t;
  };
  for (const { op, perm, run } of rows) {
    it(`${op}: granted with exactly that bit, refused without it, superuser always`, () => {
      expect(() => run(tree(perm), as(ALICE))).not.toThrow();
      expect(() => run(tree(Perms.ALL & ~perm & ~(op.startsWith('getACL') ? Perms.READ | Perms.ADMIN : 0)), as(ALICE))).toThrow(expect.objectContaining({ code: 'NO_AUTH' }));
      expect(() => run(tree(0), { ids: [], superUser: true })).not.toThrow();
      expect(() => run(tree(0), as({ scheme: 'super', id: '' }))).not.toThrow();
      expect(() => run(tree(0), as({ scheme: 'digest', id: digestId('alice', 'wrong') }))).toThrow(expect.objectContaining({ code: 'NO_AUTH' }));
    });
  }

  it('exists needs no permission at all', () => {
    const t = tree(0);
    expect(t.exists('/n')).not.toBeNull();
  });

  it('an ACL-less node (empty list, possible only from a snapshot) grants everything', () => {
    expect(hasPermission([], Perms.ADMIN, undefined)).toBe(true);
  });

  it('ip ACLs match the session ip id', () => {
    const t = new DataTree();
    t.create(ctx(1), '/lan', null, [entry(Perms.READ, 'ip', '192.168.0.0/16'), entry(Perms.READ, 'ip', 'fd00::/8')], CreateMode.PERSISTENT);
    expect(() => t.getData('/lan', as({ scheme: 'ip', id: '192.168.7.7' }))).not.toThrow();
    expect(() => t.getData('/lan', as({ scheme: 'ip', id: 'fd12:3456::1' }))).not.toThrow();
    expect(() => t.getData('/lan', as({ scheme: 'ip', id: '10.0.0.1' }))).toThrow(expect.objectContaining({ code: 'NO_AUTH' }));
    // A digest id whose text looks like an address does not match an ip entry.
    expect(() => t.getData('/lan', as({ scheme: 'digest', id: '192.168.7.7' }))).toThrow(expect.objectContaining({ code: 'NO_AUTH' }));
  });

  it('skipAcl turns every check off', () => {
    const t = new DataTree({ skipAcl: true });
    t.create(ctx(1), '/n', null, [entry(0, 'digest', ALICE.id)], CreateMode.PERSISTENT);
    expect(() => t.setData(ctx(2), '/n', null, -1)).not.toThrow();
    expect(t.getACL('/n').acl).toEqual([entry(0, 'digest', ALICE.id)]);
  });

  it('custom scheme providers take part in validation and matching', () => {
    const x509: AclSchemeProvider = { isAuthenticated: true, isValid: (id) => id.startsWith('CN='), matches: (a, b) => a === b };
    const t = new DataTree({ aclSchemeProviders: new Map([...DEFAULT_ACL_SCHEME_PROVIDERS, ['x509', x509]]) });
    const cn = { scheme: 'x509', id: 'CN=client' };
    t.create(ctx(1, as(cn)), '/x', null, [...CREATOR_ALL_ACL], CreateMode.PERSISTENT);
    expect(t.getACL('/x', as(cn)).acl).toEqual([{ perms: Perms.ALL, id: cn }]);
    expect(() => t.getACL('/x')).toThrow(expect.objectContaining({ code: 'NO_AUTH' }));
    expect(() => t.setData(ctx(2, as(cn)), '/x', null, -1)).not.toThrow();
    expect(() => t.create(ctx(3), '/y', null, [entry(1, 'x509', 'OU=x')], CreateMode.PERSISTENT)).toThrow(expect.objectContaining({ code: 'INVALID_ACL' }));
  });
});

describe('getACL', () => {
  it('shows digest hashes only to readers with ADMIN', () => {
    const t = new DataTree();
    t.create(ctx(1), '/n', null, [entry(Perms.READ, 'world', 'anyone'), entry(Perms.ALL, 'digest', ALICE.id), entry(Perms.READ, 'ip', '10.0.0.1')], CreateMode.PERSISTENT);
    expect(t.getACL('/n', as(ALICE)).acl).toEqual([entry(Perms.READ, 'world', 'anyone'), entry(Perms.ALL, 'digest', ALICE.id), entry(Perms.READ, 'ip', '10.0.0.1')]);
    expect(t.getACL('/n').acl).toEqual([entry(Perms.READ, 'world', 'anyone'), entry(Perms.ALL, 'digest', 'alice:x'), entry(Perms.READ, 'ip', '10.0.0.1')]);
  });

  it('setACL with the auth scheme stores the expanded ids and bumps only aversion', () => {
    const t = new DataTree();
    t.create(ctx(1), '/n', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    const before = t.stat('/n')!;
    const { stat } = t.setACL(ctx(2, as(ALICE, { scheme: 'ip', id: '1.2.3.4' })), '/n', [...CREATOR_ALL_ACL], -1);
    expect(stat).toEqual({ ...before, aversion: 1 });
    expect(t.getACL('/n', as(ALICE)).acl).toEqual([entry(Perms.ALL, 'digest', ALICE.id)]);
    expect(() => t.getData('/n', as(BOB))).toThrow(expect.objectContaining({ code: 'NO_AUTH' }));
  });

  it('shares one frozen ACL array among nodes with equal lists', () => {
    const t = new DataTree();
    t.create(ctx(1), '/a', null, [entry(31, 'world', 'anyone')], CreateMode.PERSISTENT);
    t.create(ctx(2), '/b', null, [entry(31, 'world', 'anyone')], CreateMode.PERSISTENT);
    expect(t.getACL('/a').acl).toBe(t.getACL('/b').acl);
    expect(Object.isFrozen(t.getACL('/a').acl)).toBe(true);
  });
});
