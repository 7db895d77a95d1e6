/**
 * The znode tree: ZooKeeper's PrepRequestProcessor checks and DataTree
 * changes, as one pure, deterministic object. A write is validated against the
 * current state (errors leave the tree untouched) and then applied; reads
 * apply FinalRequestProcessor's checks. Watch triggers are returned to the
 * caller instead of being sent.
 * @module
 */

import { type ACL, AddWatchMode, type CreateMode, ErrorCode, EventType, Perms, type Stat, WatcherType, ZkError } from '@zkts/protocol';
import { assert } from '../util/assert.js';
import {
  type AclSchemeProvider,
  type AuthContext,
  checkAcl,
  DEFAULT_ACL_SCHEME_PROVIDERS,
  hasPermission,
  OPEN_ACL_UNSAFE,
  READ_ACL_UNSAFE,
  redactDigestIds,
} from './acl.js';
import { ttlOf } from './ephemeral-type.js';
import { type CreateTxn, type MultiTxn, type Overlay, type PrepareRules, type SetDataTxn, TxnPreparer } from './prepare.js';
import { type ReconnectWatchLists, watchesForReconnect } from './reconnect-watches.js';
import type { PersistedStat, SnapshotNode, TreeMultiOp, TreeMultiOpResult, TxnContext, WatchDelivery } from './tree-types.js';
import { WatchManager, WatchMode, type WatchSummary } from './watch-manager.js';
import { eventPathOf, parentPathOf, ROOT_ID, ZnodeStore } from './znode-store.js';

/** Settings that every server of an ensemble must share. */
export interface DataTreeOptions {
  /**
   * Allow TTL nodes and interpret TTL markers (`zookeeper.extendedTypesEnabled`).
   * Default true; ZooKeeper's default is false, which makes createTTL fail with UNIMPLEMENTED.
   */
  extendedTypesEnabled?: boolean;
  /** ACL schemes the server understands besides `world` and `auth`. Default: `digest` and `ip`. */
  aclSchemeProviders?: ReadonlyMap<string, AclSchemeProvider>;
  /** Skip every ACL check (`zookeeper.skipACL`). Default false. */
  skipAcl?: boolean;
}

/** Result of a create. */
export interface CreateResult<W> {
  /** The created path, with the sequence suffix for sequential modes. */
  path: string;
  /** The new node's Stat (create2 / createContainer / createTTL return it). */
  stat: Stat;
  /** Watch notifications to deliver. */
  events: WatchDelivery<W>[];
}

/** Result of a write that returns a Stat (setData, setACL). */
export interface StatResult<W> {
  /** The node's Stat after the write. */
  stat: Stat;
  /** Watch notifications to deliver (none for setACL). */
  events: WatchDelivery<W>[];
}

/** Result of a write that returns nothing but notifications. */
export interface EventsResult<W> {
  /** Watch notifications to deliver. */
  events: WatchDelivery<W>[];
}

/** Result of a multi. */
export interface TreeMultiResult<W> {
  /** One result per op; on failure every op has an error result (see TreeMultiOpResult). */
  results: TreeMultiOpResult[];
  /** Notifications of every op, in op order; empty when the multi failed. */
  events: WatchDelivery<W>[];
  /** The failing op's error and position; absent when the multi was applied. */
  failure?: { index: number; error: ZkError };
}

/** Result of closing a session. */
export interface CloseSessionResult<W> {
  /** The ephemeral paths deleted, in deletion order. */
  deleted: string[];
  /** Watch notifications to deliver, deletion by deletion. */
  events: WatchDelivery<W>[];
}

const EMPTY_DATA = new Uint8Array(0);

const ZERO_STAT: PersistedStat = { czxid: 0, mzxid: 0, ctime: 0, mtime: 0, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, pzxid: 0 };

/** Java's String.trim(): strips characters up to U+0020 from both ends. */
function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

function assertContext(ctx: TxnContext): void {
  // Constant messages: a template literal would be built on every write.
  assert(Number.isSafeInteger(ctx.zxid) && ctx.zxid >= 0, 'TxnContext.zxid must be a non-negative safe integer');
  assert(Number.isSafeInteger(ctx.timeMs), 'TxnContext.timeMs must be a safe integer');
}

/**
 * The znode tree of one server. `W` is the type of watcher objects (for the
 * server, a connection); the tree only stores and returns them.
 */
export class DataTree<W = unknown> {
  private store: ZnodeStore;
  private prepare: TxnPreparer;
  private readonly dataWatches = new WatchManager<W>();
  private readonly childWatches = new WatchManager<W>();
  private readonly rules: PrepareRules;

  /** A fresh tree: `/`, `/zookeeper`, `/zookeeper/quota` and the read-only `/zookeeper/config`. */
  constructor(options: DataTreeOptions = {}) {
    this.rules = {
      extendedTypesEnabled: options.extendedTypesEnabled ?? true,
      providers: options.aclSchemeProviders ?? DEFAULT_ACL_SCHEME_PROVIDERS,
      skipAcl: options.skipAcl ?? false,
    };
    this.store = new ZnodeStore(this.rules.extendedTypesEnabled);
    this.prepare = new TxnPreparer(this.store, this.rules);
    const s = this.store;
    const zookeeper = s.attach(ROOT_ID, '/zookeeper', EMPTY_DATA, s.acls.intern(OPEN_ACL_UNSAFE), ZERO_STAT);
    s.attach(zookeeper, '/zookeeper/quota', EMPTY_DATA, s.acls.intern(OPEN_ACL_UNSAFE), ZERO_STAT);
    const config = s.attach(zookeeper, '/zookeeper/config', EMPTY_DATA, s.acls.intern(OPEN_ACL_UNSAFE), ZERO_STAT);
    // addConfigNode applies setACL(READ_ACL_UNSAFE, version −1), which stores aversion −1.
    s.setAcl(config, '/zookeeper/config', s.acls.intern(READ_ACL_UNSAFE), -1);
  }

  // ---------------------------------------------------------------- writes

  /**
   * Creates a node (create, create2, createContainer, createTTL). Fails with
   * BAD_ARGUMENTS, UNIMPLEMENTED (TTL while extended types are off),
   * INVALID_ACL, NO_NODE (parent), NO_AUTH (CREATE on the parent),
   * NODE_EXISTS or NO_CHILDREN_FOR_EPHEMERALS.
   */
  create(
    ctx: TxnContext,
    path: string,
    data: Uint8Array | null,
    acl: readonly ACL[],
    createMode: CreateMode | number,
    ttlMs = -1,
  ): CreateResult<W> {
    assertContext(ctx);
    const txn = this.prepare.create(ctx, { path, data, acl, createMode, ttlMs });
    const events: WatchDelivery<W>[] = [];
    const { stat } = this.applyCreate(ctx, txn, events);
    return { path: txn.path, stat, events };
  }

  /**
   * Deletes a node. Fails with BAD_ARGUMENTS (system paths), NO_NODE,
   * NO_AUTH (DELETE on the parent), BAD_VERSION or NOT_EMPTY.
   */
  delete(ctx: TxnContext, path: string, version: number): EventsResult<W> {
    assertContext(ctx);
    this.prepare.delete(ctx, path, version);
    const events: WatchDelivery<W>[] = [];
    this.applyDelete(ctx, path, events);
    return { events };
  }

  /**
   * The container/TTL sweep's delete (deleteContainer): no ACL or version
   * check; fails NO_NODE if gone, NOT_EMPTY if it has children, and
   * BAD_VERSION for an ephemeral node.
   */
  deleteContainer(ctx: TxnContext, path: string): EventsResult<W> {
    assertContext(ctx);
    this.prepare.deleteContainer(path);
    const events: WatchDelivery<W>[] = [];
    this.applyDelete(ctx, path, events);
    return { events };
  }

  /** Replaces a node's data. Fails with BAD_ARGUMENTS, NO_NODE, NO_AUTH (WRITE) or BAD_VERSION. */
  setData(ctx: TxnContext, path: string, data: Uint8Array | null, version: number): StatResult<W> {
    assertContext(ctx);
    const txn = this.prepare.setData(ctx, path, data, version);
    const events: WatchDelivery<W>[] = [];
    return { stat: this.applySetData(ctx, txn, events), events };
  }

  /**
   * Replaces a node's ACL; only aversion changes in its Stat and no watch
   * fires. Fails with BAD_ARGUMENTS, INVALID_ACL, NO_NODE, NO_AUTH (ADMIN) or BAD_VERSION.
   */
  setACL(ctx: TxnContext, path: string, acl: readonly ACL[], version: number): StatResult<W> {
    assertContext(ctx);
    const txn = this.prepare.setACL(ctx, path, acl, version);
    const id = this.store.find(path);
    this.store.setAcl(id, path, this.store.acls.intern(txn.acl), txn.aversion);
    return { stat: this.store.stat(id), events: [] };
  }

  /** A version check (multi's check op on its own). Fails with BAD_ARGUMENTS, NO_NODE, NO_AUTH (READ) or BAD_VERSION. */
  check(ctx: TxnContext, path: string, version: number): void {
    assertContext(ctx);
    this.prepare.check(ctx, path, version);
  }

  /**
   * Applies all ops or none. Later ops see earlier ops' effects. On failure
   * the ops before the failing one report ErrorResult 0, the failing one its
   * code, and later ones RUNTIME_INCONSISTENCY, as DataTree.processTxn does.
   */
  multi(ctx: TxnContext, ops: readonly TreeMultiOp[]): TreeMultiResult<W> {
    assertContext(ctx);
    const overlay: Overlay = new Map();
    const txns: MultiTxn[] = [];
    for (let index = 0; index < ops.length; index++) {
      try {
        txns.push(this.prepare.op(ctx, ops[index]!, overlay));
      } catch (error) {
        if (!(error instanceof ZkError)) throw error;
        const results: TreeMultiOpResult[] = ops.map((_, i) => ({
          type: 'error',
          err: i < index ? ErrorCode.OK : i === index ? error.errno : ErrorCode.RUNTIME_INCONSISTENCY,
        }));
        return { results, events: [], failure: { index, error } };
      }
    }
    const events: WatchDelivery<W>[] = [];
    const results = txns.map((txn): TreeMultiOpResult => {
      switch (txn.type) {
        case 'create':
          return { type: 'create', ...this.applyCreate(ctx, txn, events) };
        case 'delete':
          this.applyDelete(ctx, txn.path, events);
          return { type: 'delete' };
        case 'setData':
          return { type: 'setData', stat: this.applySetData(ctx, txn, events) };
        case 'check':
          return { type: 'check' };
      }
    });
    return { results, events };
  }

  /**
   * Deletes the session's ephemeral nodes in ZooKeeper's order (the order of
   * its cloned ephemeral set) and forgets the session's index.
   */
  closeSession(ctx: TxnContext): CloseSessionResult<W> {
    assertContext(ctx);
    const deleted = this.store.takeEphemerals(ctx.sessionId);
    const events: WatchDelivery<W>[] = [];
    for (const path of deleted) this.applyDelete(ctx, path, events);
    return { deleted, events };
  }

  // --------------------------------------------------------------- applying

  private applyCreate(ctx: TxnContext, txn: CreateTxn, events: WatchDelivery<W>[]): { path: string; stat: Stat } {
    const s = this.store;
    const { id, parentId } = s.createNode(txn.path, txn.data, s.acls.intern(txn.acl), txn.ephemeralOwner, txn.parentCVersion, ctx.zxid, ctx.timeMs);
    this.dataWatches.trigger(txn.path, EventType.NodeCreated, s.aclOf(id), events);
    this.childWatches.trigger(eventPathOf(parentPathOf(txn.path)), EventType.NodeChildrenChanged, s.aclOf(parentId), events);
    return { path: txn.path, stat: s.stat(id) };
  }

  private applyDelete(ctx: TxnContext, path: string, events: WatchDelivery<W>[]): void {
    const removed = this.store.deleteNode(path, ctx.zxid);
    assert(removed !== undefined, 'delete: the node was checked to exist');
    const notified = this.dataWatches.trigger(path, EventType.NodeDeleted, removed.acl, events);
    this.childWatches.trigger(path, EventType.NodeDeleted, removed.acl, events, notified);
    this.childWatches.trigger(eventPathOf(parentPathOf(path)), EventType.NodeChildrenChanged, removed.parentAcl, events);
  }

  private applySetData(ctx: TxnContext, txn: SetDataTxn, events: WatchDelivery<W>[]): Stat {
    const id = this.store.find(txn.path);
    assert(id >= 0, 'setData: the node was checked to exist');
    this.store.setData(id, txn.path, txn.data, txn.version, ctx.zxid, ctx.timeMs);
    this.dataWatches.trigger(txn.path, EventType.NodeDataChanged, this.store.aclOf(id), events);
    return this.store.stat(id);
  }

  // ------------------------------------------------------------------ reads

  private checkReadAcl(acl: readonly ACL[], perm: number, auth: AuthContext | undefined, path: string): void {
    if (!this.rules.skipAcl) checkAcl(acl, perm, auth, this.rules.providers, path);
  }

  private requireNode(path: string): number {
    const id = this.store.find(path);
    if (id < 0) throw new ZkError('NO_NODE', { path });
    return id;
  }

  /** getData: NO_NODE, then NO_AUTH without READ; registers a data watch when given a watcher. */
  getData(path: string, auth?: AuthContext, watcher?: W): { data: Uint8Array | null; stat: Stat } {
    const id = this.requireNode(path);
    this.checkReadAcl(this.store.aclOf(id), Perms.READ, auth, path);
    if (watcher !== undefined) this.dataWatches.add(path, watcher);
    return { data: this.store.nodes.data[id] ?? null, stat: this.store.stat(id) };
  }

  /**
   * exists: the Stat, or null if there is no node. Needs no permission. The
   * watch is registered even when the node is missing, which is how a client
   * learns of NodeCreated. BAD_ARGUMENTS if the path holds a NUL character.
   */
  exists(path: string, watcher?: W): Stat | null {
    if (path.includes('\0')) throw new ZkError('BAD_ARGUMENTS', { path });
    if (watcher !== undefined) this.dataWatches.add(path, watcher);
    const id = this.store.find(path);
    return id < 0 ? null : this.store.stat(id);
  }

  /** getChildren / getChildren2: names in ZooKeeper's order; NO_NODE, then NO_AUTH without READ. */
  getChildren(path: string, auth?: AuthContext, watcher?: W): { children: string[]; stat: Stat } {
    const id = this.requireNode(path);
    this.checkReadAcl(this.store.aclOf(id), Perms.READ, auth, path);
    const children = this.store.childNames(id);
    const stat = this.store.stat(id);
    if (watcher !== undefined) this.childWatches.add(path, watcher);
    return { children, stat };
  }

  /**
   * getACL: needs READ or ADMIN; without ADMIN the digest ids are shown as
   * `user:x`. NO_NODE, then NO_AUTH.
   */
  getACL(path: string, auth?: AuthContext): { acl: readonly ACL[]; stat: Stat } {
    const id = this.requireNode(path);
    const acl = this.store.aclOf(id);
    this.checkReadAcl(acl, Perms.READ | Perms.ADMIN, auth, path);
    const full = this.rules.skipAcl || hasPermission(acl, Perms.ADMIN, auth, this.rules.providers);
    return { acl: full ? acl : redactDigestIds(acl), stat: this.store.stat(id) };
  }

  /** The Stat of a node, or null; no checks, no watch. */
  stat(path: string): Stat | null {
    const id = this.store.find(path);
    return id < 0 ? null : this.store.stat(id);
  }

  /** The persisted stat fields of a node (persisted cversion, raw ephemeralOwner), or null. */
  persistedStat(path: string): PersistedStat | null {
    const id = this.store.find(path);
    return id < 0 ? null : this.store.persistedStat(id);
  }

  /**
   * getEphemerals: the session's ephemeral paths in ZooKeeper's order, all of
   * them when `prefixPath` is blank or `/`, else those starting with it.
   */
  getEphemerals(sessionId: bigint, prefixPath?: string): string[] {
    const all = this.store.ephemeralsOf(sessionId);
    if (prefixPath === undefined) return all;
    const trimmed = javaTrim(prefixPath);
    if (trimmed === '' || trimmed === '/') return all;
    return all.filter((p) => p.startsWith(prefixPath));
  }

  /** getAllChildrenNumber: the number of descendants; NO_NODE, then NO_AUTH without READ. */
  getAllChildrenNumber(path: string, auth?: AuthContext): number {
    const id = this.requireNode(path);
    this.checkReadAcl(this.store.aclOf(id), Perms.READ, auth, path);
    let count = 0;
    const stack = [id];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      for (const child of this.store.nodes.children[next]?.values() ?? []) {
        count++;
        stack.push(child);
      }
    }
    return count;
  }

  /**
   * ZooKeeper's node count (DataTree.getNodeCount, shown by `srvr` and `mntr`):
   * its node map holds the root twice, under `""` and `/`, so this is one more
   * than the number of znodes.
   */
  get nodeCount(): number {
    return this.store.nodes.size + 1;
  }

  /** ZooKeeper's approximate data size: Σ path length + data length (mntr zk_approximate_data_size). */
  get approximateDataSize(): number {
    return this.store.approximateDataSize;
  }

  /** Number of ephemeral nodes (mntr zk_ephemerals_count). */
  get ephemeralCount(): number {
    return this.store.ephemeralCount;
  }

  /** Ephemeral paths per session, for the `dump` four-letter word. */
  ephemeralsBySession(): Map<bigint, string[]> {
    return this.store.ephemeralsBySession();
  }

  /**
   * Containers and TTL nodes due for deletion (ContainerManager.getCandidates):
   * containers without children that have had one (cversion > 0) or, if
   * `maxNeverUsedIntervalMs` is not 0, were last modified longer ago than that;
   * then TTL nodes without children whose `now − mtime > ttl`. The caller
   * turns each into a deleteContainer transaction.
   */
  sweepCandidates(nowMs: number, maxNeverUsedIntervalMs = 0): string[] {
    const s = this.store;
    const n = s.nodes;
    const candidates: string[] = [];
    for (const path of s.containers) {
      const id = s.find(path);
      if (id < 0 || s.childCount(id) > 0) continue;
      if (n.cversion[id]! > 0) candidates.push(path);
      else if (maxNeverUsedIntervalMs !== 0 && nowMs - n.mtime[id]! > maxNeverUsedIntervalMs) candidates.push(path);
    }
    for (const path of s.ttls) {
      const id = s.find(path);
      if (id < 0 || s.childCount(id) > 0 || s.typeOf(id) !== 'TTL') continue;
      const ttlMs = ttlOf(n.ephemeralOwner[id]!);
      if (ttlMs !== 0 && nowMs - n.mtime[id]! > ttlMs) candidates.push(path);
    }
    return candidates;
  }

  // ---------------------------------------------------------------- watches

  /** addWatch: a persistent (data and child tables) or persistent-recursive (data table) watch. No checks. */
  addWatch(path: string, watcher: W, mode: AddWatchMode | number): void {
    if (mode === AddWatchMode.PERSISTENT) {
      this.dataWatches.add(path, watcher, WatchMode.PERSISTENT);
      this.childWatches.add(path, watcher, WatchMode.PERSISTENT);
    } else if (mode === AddWatchMode.PERSISTENT_RECURSIVE) {
      this.dataWatches.add(path, watcher, WatchMode.PERSISTENT_RECURSIVE);
    } else {
      // WatcherMode.fromZooDef throws, which FinalRequestProcessor reports as a marshalling error.
      throw new ZkError('MARSHALLING_ERROR', { path, message: `Unsupported mode: ${mode}` });
    }
  }

  /** removeWatches: removes `watcher`'s watches of `watcherType` on `path`; NO_WATCHER if there were none. */
  removeWatches(path: string, watcherType: WatcherType | number, watcher: W): void {
    let removed: boolean;
    switch (watcherType) {
      case WatcherType.Children:
        removed = this.childWatches.remove(path, watcher, WatchMode.STANDARD);
        break;
      case WatcherType.Data:
        removed = this.dataWatches.remove(path, watcher, WatchMode.STANDARD);
        break;
      case WatcherType.Persistent: {
        const child = this.childWatches.remove(path, watcher, WatchMode.PERSISTENT);
        removed = this.dataWatches.remove(path, watcher, WatchMode.PERSISTENT) || child;
        break;
      }
      case WatcherType.PersistentRecursive:
        removed = this.dataWatches.remove(path, watcher, WatchMode.PERSISTENT_RECURSIVE);
        break;
      case WatcherType.Any: {
        const child = this.childWatches.remove(path, watcher, undefined);
        removed = this.dataWatches.remove(path, watcher, undefined) || child;
        break;
      }
      default:
        throw new ZkError('MARSHALLING_ERROR', { path, message: `Invalid WatcherType ${watcherType}` });
    }
    if (!removed) throw new ZkError('NO_WATCHER', { path, message: `No such watcher (type: ${watcherType})` });
  }

  /** checkWatches: NO_WATCHER unless `watcher` has a watch of `watcherType` on `path`. */
  checkWatches(path: string, watcherType: WatcherType | number, watcher: W): void {
    let found: boolean;
    switch (watcherType) {
      case WatcherType.Children:
        found = this.childWatches.contains(path, watcher, WatchMode.STANDARD);
        break;
      case WatcherType.Data:
        found = this.dataWatches.contains(path, watcher, WatchMode.STANDARD);
        break;
      case WatcherType.Persistent:
        found = this.dataWatches.contains(path, watcher, WatchMode.PERSISTENT);
        break;
      case WatcherType.PersistentRecursive:
        found = this.dataWatches.contains(path, watcher, WatchMode.PERSISTENT_RECURSIVE);
        break;
      case WatcherType.Any:
        found = this.childWatches.contains(path, watcher, undefined) || this.dataWatches.contains(path, watcher, undefined);
        break;
      default:
        throw new ZkError('MARSHALLING_ERROR', { path, message: `Invalid WatcherType ${watcherType}` });
    }
    if (!found) throw new ZkError('NO_WATCHER', { path, message: `No such watcher (type: ${watcherType})` });
  }

  /** Drops every watch of `watcher` (DataTree.removeCnxn, on disconnect). */
  removeWatcher(watcher: W): void {
    this.dataWatches.removeWatcher(watcher);
    this.childWatches.removeWatcher(watcher);
  }

  /**
   * setWatches / setWatches2 after a reconnect: fires now the events the
   * client missed since `relativeZxid` (see `watchesForReconnect`) and
   * registers the other watches for `watcher`. ZooKeeper 3.8 sends these
   * events without an ACL check, so their `acl` is null.
   */
  setWatches(relativeZxid: number, watches: ReconnectWatchLists, watcher: W): WatchDelivery<W>[] {
    const n = this.store.nodes;
    const plan = watchesForReconnect(relativeZxid, watches, (path) => {
      const id = this.store.find(path);
      return id < 0 ? undefined : { mzxid: n.mzxid[id]!, pzxid: n.pzxid[id]! };
    });
    for (const path of plan.data) this.dataWatches.add(path, watcher);
    for (const path of plan.child) this.childWatches.add(path, watcher);
    for (const path of plan.persistent) this.addWatch(path, watcher, AddWatchMode.PERSISTENT);
    for (const path of plan.persistentRecursive) this.addWatch(path, watcher, AddWatchMode.PERSISTENT_RECURSIVE);
    return plan.fire.map((event) => ({ watcher, event, acl: null }));
  }

  /** Number of watches in both tables (DataTree.getWatchCount, mntr zk_watch_count). */
  get watchCount(): number {
    return this.dataWatches.size + this.childWatches.size;
  }

  /** `wchs` counts. ZooKeeper reports the data-watch table only; pass `'all'` to count child watches too. */
  watchSummary(tables: 'data' | 'all' = 'data'): WatchSummary {
    if (tables === 'data') return this.dataWatches.summary();
    const byWatcher = this.watchesByWatcher('all');
    const paths = new Set<string>();
    let watches = 0;
    for (const list of byWatcher.values()) {
      watches += list.length;
      for (const p of list) paths.add(p);
    }
    return { watchers: byWatcher.size, paths: paths.size, watches };
  }

  /** `wchc`: watched paths per watcher (data table as ZooKeeper, or both tables with `'all'`). */
  watchesByWatcher(tables: 'data' | 'all' = 'data'): Map<W, string[]> {
    const out = this.dataWatches.byWatcher();
    if (tables === 'all') {
      for (const [watcher, paths] of this.childWatches.byWatcher()) {
        out.set(watcher, [...new Set([...(out.get(watcher) ?? []), ...paths])]);
      }
    }
    return out;
  }

  /** `wchp`: watchers per path (data table as ZooKeeper, or both tables with `'all'`). */
  watchesByPath(tables: 'data' | 'all' = 'data'): Map<string, W[]> {
    const out = this.dataWatches.byPath();
    if (tables === 'all') {
      for (const [path, watchers] of this.childWatches.byPath()) {
        out.set(path, [...new Set([...(out.get(path) ?? []), ...watchers])]);
      }
    }
    return out;
  }

  // ----------------------------------------------------------------- digest

  /** The tree digest (DigestCalculator v2: Σ CRC-32 of path, data and persisted stat), kept up to date. */
  digest(): bigint {
    return this.store.digest();
  }

  /** The digest recomputed from every node; equals {@link digest} unless the tree is corrupt. */
  computeDigest(): bigint {
    return this.store.computeDigest();
  }

  // --------------------------------------------------------------- snapshot

  /**
   * Every node, parents before children, children in ZooKeeper's order (as
   * DataTree.serializeNode writes them). Do not change the tree while iterating.
   */
  *snapshotNodes(): Generator<SnapshotNode> {
    const s = this.store;
    const stack: [number, string][] = [[ROOT_ID, '/']];
    for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
      const [id, path] = item;
      yield { path, data: s.nodes.data[id] ?? null, acl: s.aclOf(id), stat: s.persistedStat(id) };
      const names = s.childNames(id);
      for (let i = names.length - 1; i >= 0; i--) {
        const name = names[i]!;
        stack.push([s.childId(id, name)!, path === '/' ? `/${name}` : `${path}/${name}`]);
      }
    }
  }

  /**
   * Rebuilds a tree from {@link snapshotNodes} output (or a snapshot file's
   * nodes): the root first, every parent before its children. The ephemeral,
   * container and TTL indexes and the digest are rebuilt. Throws on a node
   * whose parent is missing or that appears twice.
   */
  static fromNodes<W = unknown>(nodes: Iterable<SnapshotNode>, options: DataTreeOptions = {}): DataTree<W> {
    const tree = DataTree.emptyForRestore<W>(options);
    let first = true;
    for (const node of nodes) {
      tree.restoreNode(node, first);
      first = false;
    }
    if (first) throw new Error('Invalid snapshot: no nodes');
    return tree;
  }

  /** {@link fromNodes} for nodes read asynchronously (streamed from disk). */
  static async fromAsyncNodes<W = unknown>(nodes: AsyncIterable<SnapshotNode>, options: DataTreeOptions = {}): Promise<DataTree<W>> {
    const tree = DataTree.emptyForRestore<W>(options);
    let first = true;
    for await (const node of nodes) {
      tree.restoreNode(node, first);
      first = false;
    }
    if (first) throw new Error('Invalid snapshot: no nodes');
    return tree;
  }

  private static emptyForRestore<W>(options: DataTreeOptions): DataTree<W> {
    const tree = new DataTree<W>(options);
    tree.store = new ZnodeStore(tree.rules.extendedTypesEnabled);
    tree.prepare = new TxnPreparer(tree.store, tree.rules);
    return tree;
  }

  private restoreNode(node: SnapshotNode, isRoot: boolean): void {
    const s = this.store;
    const aclRef = s.acls.intern(node.acl);
    if (isRoot) {
      if (node.path !== '/' && node.path !== '') throw new Error(`Invalid snapshot: first node is ${node.path}, not the root`);
      s.restoreRoot(node.data, aclRef, node.stat);
      return;
    }
    const parentPath = parentPathOf(node.path);
    const parentId = s.find(parentPath);
    if (parentId < 0 || node.path.endsWith('/') || node.path === '') {
      throw new Error(`Invalid snapshot: unable to find parent ${parentPath} of path ${node.path}`);
    }
    if (s.find(node.path) >= 0) throw new Error(`Invalid snapshot: duplicate path ${node.path}`);
    s.attach(parentId, node.path, node.data, aclRef, node.stat);
  }
}
