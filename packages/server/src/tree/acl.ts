/**
 * ZooKeeper's access control, as pure functions: the well-known ACL lists
 * (ZooDefs.Ids), the scheme providers the server registers by default
 * (`digest` and `ip`), fixupACL (validating an ACL list and expanding the
 * `auth` scheme) and checkACL (ZooKeeperServer.checkACL).
 * @module
 */

import { type ACL, type Id, Perms, ZkError } from '@zkts/protocol';
import { ipMatches, isValidIpAcl } from './ip-address.js';

/** What a request proves about its sender: the session's authenticated ids. */
export interface AuthContext {
  /** The session's ids (`ip:<address>`, `digest:<user>:<hash>`, …), as ZooKeeper's `authInfo`. */
  ids: readonly Id[];
  /** True for the superuser; an id with scheme `super` in `ids` has the same effect, as in ZooKeeper. */
  superUser?: boolean;
}

/**
 * A server-side authentication scheme as the tree needs it
 * (ZooKeeper's ServerAuthenticationProvider).
 */
export interface AclSchemeProvider {
  /** Whether ids of this scheme name a user, so the `auth` ACL scheme may expand to them. */
  readonly isAuthenticated: boolean;
  /** Whether `id` is well-formed for this scheme, checked when an ACL is set. */
  isValid(id: string): boolean;
  /** Whether a session id `authId` satisfies an ACL entry's id `aclId`. */
  matches(authId: string, aclId: string): boolean;
}

/** Java's `s.split(":").length`: trailing empty strings are dropped. */
function javaSplitCount(text: string, separator: string): number {
  if (text === '') return 1;
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.length;
}

/** The `digest` scheme: ids are `user:base64(sha1(user:password))`, matched by equality. */
export const digestSchemeProvider: AclSchemeProvider = {
  isAuthenticated: true,
  isValid: (id) => javaSplitCount(id, ':') === 2,
  matches: (authId, aclId) => authId === aclId,
};

/** The `ip` scheme: ACL ids are addresses or networks (`10.0.0.0/8`, `fe80::/10`). */
export const ipSchemeProvider: AclSchemeProvider = {
  isAuthenticated: false,
  isValid: isValidIpAcl,
  matches: ipMatches,
};

/** The providers ZooKeeper registers without extra configuration. */
export const DEFAULT_ACL_SCHEME_PROVIDERS: ReadonlyMap<string, AclSchemeProvider> = new Map([
  ['digest', digestSchemeProvider],
  ['ip', ipSchemeProvider],
]);

const WORLD_ANYONE: Id = Object.freeze({ scheme: 'world', id: 'anyone' });

/** ZooDefs.Ids.OPEN_ACL_UNSAFE: everyone may do everything. */
export const OPEN_ACL_UNSAFE: readonly ACL[] = Object.freeze([Object.freeze({ perms: Perms.ALL, id: WORLD_ANYONE })]);

/** ZooDefs.Ids.READ_ACL_UNSAFE: everyone may read. */
export const READ_ACL_UNSAFE: readonly ACL[] = Object.freeze([Object.freeze({ perms: Perms.READ, id: WORLD_ANYONE })]);

/** ZooDefs.Ids.CREATOR_ALL_ACL: all permissions for the creator's authenticated ids. */
export const CREATOR_ALL_ACL: readonly ACL[] = Object.freeze([Object.freeze({ perms: Perms.ALL, id: Object.freeze({ scheme: 'auth', id: '' }) })]);

/** Equality of two ACL entries, as the jute-generated ACL.equals. */
export function aclEntryEquals(a: ACL, b: ACL): boolean {
  return a.perms === b.perms && a.id.scheme === b.id.scheme && a.id.id === b.id.id;
}

/**
 * PrepRequestProcessor.fixupACL: drops duplicate entries, rejects an empty list
 * and entries of unknown schemes or malformed ids, and replaces each `auth`
 * entry by one entry per authenticated id of the session. Throws INVALID_ACL.
 */
export function fixupAcl(
  path: string,
  auth: AuthContext | undefined,
  acl: readonly ACL[],
  providers: ReadonlyMap<string, AclSchemeProvider>,
): ACL[] {
  const unique: ACL[] = [];
  for (const entry of acl) if (!unique.some((u) => aclEntryEquals(u, entry))) unique.push(entry);
  if (unique.length === 0) throw new ZkError('INVALID_ACL', { path });
  const fixed: ACL[] = [];
  for (const entry of unique) {
    const { scheme, id } = entry.id;
    if (scheme === 'world' && id === 'anyone') {
      fixed.push(entry);
    } else if (scheme === 'auth') {
      let expanded = false;
      for (const sessionId of auth?.ids ?? []) {
        if (providers.get(sessionId.scheme)?.isAuthenticated === true) {
          expanded = true;
          fixed.push({ perms: entry.perms, id: { scheme: sessionId.scheme, id: sessionId.id } });
        }
      }
      if (!expanded) throw new ZkError('INVALID_ACL', { path });
    } else {
      const provider = providers.get(scheme);
      if (provider === undefined || !provider.isValid(id)) throw new ZkError('INVALID_ACL', { path });
      fixed.push(entry);
    }
  }
  return fixed;
}

/** Whether `auth` is the superuser (ZooKeeper: any id with scheme `super`). */
export function isSuperUser(auth: AuthContext | undefined): boolean {
  return auth !== undefined && (auth.superUser === true || auth.ids.some((id) => id.scheme === 'super'));
}

/**
 * ZooKeeperServer.checkACL as a predicate: whether `auth` holds any of the
 * `perm` bits on a node with `acl`. An empty ACL grants everything.
 */
export function hasPermission(
  acl: readonly ACL[],
  perm: number,
  auth: AuthContext | undefined,
  providers: ReadonlyMap<string, AclSchemeProvider> = DEFAULT_ACL_SCHEME_PROVIDERS,
): boolean {
  if (acl.length === 0 || isSuperUser(auth)) return true;
  for (const entry of acl) {
    if ((entry.perms & perm) === 0) continue;
    const { scheme, id } = entry.id;
    if (scheme === 'world' && id === 'anyone') return true;
    const provider = providers.get(scheme);
    if (provider === undefined) continue;
    for (const sessionId of auth?.ids ?? []) {
      if (sessionId.scheme === scheme && provider.matches(sessionId.id, id)) return true;
    }
  }
  return false;
}

/** ZooKeeperServer.checkACL: throws NO_AUTH unless `auth` holds one of the `perm` bits. */
export function checkAcl(
  acl: readonly ACL[],
  perm: number,
  auth: AuthContext | undefined,
  providers: ReadonlyMap<string, AclSchemeProvider>,
  path: string,
): void {
  if (!hasPermission(acl, perm, auth, providers)) throw new ZkError('NO_AUTH', { path });
}

/**
 * What getACL shows a reader without ADMIN: digest ids lose their password
 * hash (`user:x`), as FinalRequestProcessor's `replaceAll(":.*", ":x")` does.
 */
export function redactDigestIds(acl: readonly ACL[]): ACL[] {
  return acl.map((entry) =>
    entry.id.scheme === 'digest' ? { perms: entry.perms, id: { scheme: 'digest', id: entry.id.id.replace(/:.*/g, ':x') } } : entry,
  );
}
