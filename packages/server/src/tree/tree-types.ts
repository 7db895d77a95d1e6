/**
 * Shapes shared by the tree's modules and its callers.
 * @module
 */

import type { ACL, CreateMode, EventType, Stat } from '@zkts/protocol';
import type { AuthContext } from './acl.js';

/**
 * What a write is applied under. Everything that could differ between servers
 * (time, zxid, who asked) comes from here, so replaying the same transactions
 * with the same contexts builds the same tree everywhere.
 */
export interface TxnContext {
  /** The transaction's zxid (a JS number: exact up to 2^53). */
  zxid: number;
  /** The transaction's time in ms since the epoch, chosen by the leader. */
  timeMs: number;
  /** The session that sent the request (owner of ephemerals it creates). */
  sessionId: bigint;
  /** The session's authenticated ids; absent means none (only `world:anyone` entries match). */
  auth?: AuthContext;
}

/** One watch notification the caller must deliver (the tree never calls out). */
export interface WatchDelivery<W> {
  /** The opaque watcher object that was registered. */
  watcher: W;
  /** The event to send, with KeeperState SyncConnected. */
  event: { type: EventType; path: string };
  /**
   * The ACL of the node the event is about (the parent for NodeChildrenChanged).
   * ZooKeeper 3.8 sends the event only if the watcher's session has READ under
   * it (check with `hasPermission`); `null` means deliver unconditionally.
   */
  acl: readonly ACL[] | null;
}

/** The Stat fields ZooKeeper persists per node (StatPersisted), as the tree keeps them. */
export interface PersistedStat {
  czxid: number;
  mzxid: number;
  ctime: number;
  mtime: number;
  version: number;
  /** The persisted cversion (children ever created), not the client-visible one. */
  cversion: number;
  aversion: number;
  /** Raw owner: a session id, or the container / TTL marker. */
  ephemeralOwner: bigint;
  pzxid: number;
}

/** One node as a snapshot stores it: everything needed to rebuild it. */
export interface SnapshotNode {
  /** Full path; the root is `/` (ZooKeeper's snapshots write it as the empty string, also accepted). */
  path: string;
  data: Uint8Array | null;
  /** Interned: nodes with equal ACL lists share the same frozen array object. */
  acl: readonly ACL[];
  stat: PersistedStat;
}

/** A create, as a request carries it (a create, create2, createContainer or createTTL body). */
export interface CreateSpec {
  path: string;
  data: Uint8Array | null;
  acl: readonly ACL[];
  /** The request's `flags`; unknown values fail with BAD_ARGUMENTS. */
  createMode: CreateMode | number;
  /** TTL in ms for TTL modes (createTTL); plain creates leave it out (−1). */
  ttlMs?: number;
}

/** One operation of a multi request. */
export type TreeMultiOp =
  | ({ type: 'create' } & CreateSpec)
  | { type: 'delete'; path: string; version: number }
  | { type: 'setData'; path: string; data: Uint8Array | null; version: number }
  | { type: 'check'; path: string; version: number };

/** One result of a multi request, in the request's order. */
export type TreeMultiOpResult =
  | { type: 'create'; path: string; stat: Stat }
  | { type: 'delete' }
  | { type: 'setData'; stat: Stat }
  | { type: 'check' }
  /** ErrorResult: 0 for ops before the failing one, the failure's code, then RUNTIME_INCONSISTENCY (−2). */
  | { type: 'error'; err: number };
