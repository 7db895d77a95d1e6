import { EventEmitter } from 'eventemitter3';
import {
  type ACL,
  AddWatchMode,
  type ClientInfo,
  ErrorCode,
  OpCode,
  type RequestBodyByOp,
  type RequestOp,
  type ResponseBodyByOp,
  type ResponseOp,
  type Stat,
  WatcherType,
  ZkError,
  joinPath,
  parentPath,
  validatePath,
} from '@zkts/protocol';
import { Ids } from './acl.js';
import type { ClientState, ZkClientEvents } from './client-events.js';
import type { RetryOptions } from './client-options.js';
import type { Chroot } from './chroot.js';
import type { ClientConnection, SubmitOptions } from './connection.js';
import { existsWatch, persistentWatch, readWatch } from './packet.js';
import { type CreateModeName, planCreate, validateACL } from './create-mode.js';
import { type NodeData, copyData, toWireData } from './data.js';
import { MultiError, replyError } from './errors.js';
import { type Op, type OpResult, type ReadOp, type ReadOpResult, fromWireResult, toWireOp } from './multi-op.js';
import { withRetry } from './retry.js';
import { Transaction } from './transaction.js';
import type { Endpoint } from './transport/transport.js';
import type { AddWatchModeName, Watcher, WatcherTypeName } from './watched-event.js';

/** The optional last argument of every operation. */
export interface CallOptions {
  /** Aborting rejects the call with the signal's reason; a request already sent is still answered by the server, but its result (and any watch) is dropped. */
  readonly signal?: AbortSignal;
}

/** How long to wait, for {@link ZkClient.connected}. */
export interface WaitOptions extends CallOptions {
  /** Give up after this long, rejecting with OPERATION_TIMEOUT. Default: wait until connected or closed. */
  readonly timeoutMs?: number;
}

/** Options of {@link ZkClient.create}. */
export interface CreateOptions extends CallOptions {
  /** Default `PERSISTENT`. */
  readonly mode?: CreateModeName;
  /** Default `OPEN_ACL_UNSAFE` of {@link Ids}: everyone may do everything. */
  readonly acl?: readonly ACL[];
  /** Time to live of a TTL node: required by, and only allowed with, the `*_WITH_TTL` modes. */
  readonly ttlMs?: number;
  /** Also return the new node's Stat (sends create2). */
  readonly stat?: boolean;
}

/** Options of {@link ZkClient.createWithParents}. */
export interface CreateWithParentsOptions extends CreateOptions {
  /** Mode of missing ancestors: `PERSISTENT` (default) or `CONTAINER`, which the server removes once empty. */
  readonly parentMode?: 'PERSISTENT' | 'CONTAINER';
}

/** The path and Stat of a node created with `stat: true`. */
export interface CreateResult {
  readonly path: string;
  readonly stat: Stat;
}

/** What {@link ZkClient.getData} returns. `data` is null only for nodes created with null data. */
export interface DataResult {
  readonly data: Uint8Array | null;
  readonly stat: Stat;
}

/** What {@link ZkClient.getChildrenWithStat} returns. */
export interface ChildrenResult {
  readonly children: string[];
  readonly stat: Stat;
}

/** What {@link ZkClient.getACL} returns. */
export interface ACLResult {
  readonly acl: ACL[];
  readonly stat: Stat;
}

/** The decoded answer to op K. */
type Body<K extends RequestOp & ResponseOp> = ResponseBodyByOp[K];

/**
 * A ZooKeeper client with the semantics of ZooKeeper's Java client (`ZooKeeper` and
 * `ClientCnxn`) and a promise-based API. Create one with {@link createClient} or
 * {@link connect}; it connects in the background, fails over between servers, resumes its
 * session after a connection loss and re-registers its watches.
 *
 * Every operation returns a promise and rejects with a `ZkError` whose `code` is
 * ZooKeeper's (`NO_NODE`, `CONNECTION_LOSS` …). Session events are emitted as
 * {@link ZkClientEvents}.
 */
export class ZkClient extends EventEmitter<ZkClientEvents> {
  /** @internal */
  readonly connection: ClientConnection;

  /**
   * Not for direct use: create clients with {@link createClient} or {@link connect}.
   * @hidden
   */
  constructor(
    connect: (emitter: EventEmitter<ZkClientEvents>) => ClientConnection,
    private readonly chroot: Chroot,
    private readonly retryPolicy: RetryOptions | undefined,
  ) {
    super();
    this.connection = connect(this);
  }

  /** The current state (`ZooKeeper.getState()`). */
  get state(): ClientState {
    return this.connection.state;
  }

  /** The session id; 0 until the first connection. Stays the same across reconnects. */
  get sessionId(): bigint {
    return this.connection.sessionId;
  }

  /** The session password; with {@link sessionId} it lets another client resume the session. */
  get sessionPassword(): Uint8Array {
    return new Uint8Array(this.connection.sessionPassword);
  }

  /** The session timeout the server granted; 0 until connected. */
  get negotiatedTimeoutMs(): number {
    return this.connection.negotiatedTimeoutMs;
  }

  /** The chroot all paths are relative to, if any. */
  get chrootPath(): string | undefined {
    return this.chroot.root;
  }

  /** The server of the current (or last) connection. */
  get currentServer(): Endpoint | undefined {
    return this.connection.endpoint;
  }

  /**
   * Resolves once the client is connected (at once if it is). Rejects with SESSION_EXPIRED or
   * AUTH_FAILED if the client stops for good first, or OPERATION_TIMEOUT after `timeoutMs`.
   */
  async connected(options: WaitOptions = {}): Promise<void> {
    if (options.timeoutMs === undefined) return this.connection.waitConnected(options.signal);
    const timeout = new AbortController();
    const timer = setTimeout(() => {
      timeout.abort(new ZkError('OPERATION_TIMEOUT', { message: `Not connected within ${options.timeoutMs} ms` }));
    }, options.timeoutMs);
    const signal = options.signal === undefined ? timeout.signal : AbortSignal.any([options.signal, timeout.signal]);
    try {
      await this.connection.waitConnected(signal);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Creates a node and resolves with its path (with the sequence suffix for sequential modes).
   * With `stat: true` it resolves with the path and the new node's Stat.
   *
   * @throws ZkError NODE_EXISTS, NO_NODE (no parent), NO_CHILDREN_FOR_EPHEMERALS, INVALID_ACL,
   * BAD_ARGUMENTS (invalid path or TTL), …
   */
  create(path: string, data: NodeData | undefined, options: CreateOptions & { stat: true }): Promise<CreateResult>;
  create(path: string, data?: NodeData, options?: CreateOptions): Promise<string>;
  async create(path: string, data?: NodeData, options: CreateOptions = {}): Promise<string | CreateResult> {
    const acl = options.acl ?? Ids.OPEN_ACL_UNSAFE;
    const wantStat = options.stat === true;
    const plan = planCreate(path, options.mode ?? 'PERSISTENT', options.ttlMs, acl, wantStat);
    const request = { path: this.chroot.toServer(path), data: toWireData(data), acl: [...acl], flags: plan.flags };
    const body =
      plan.op === OpCode.createTTL
        ? await this.request(OpCode.createTTL, { ...request, ttl: BigInt(options.ttlMs ?? 0) }, path, false, options)
        : await this.request(plan.op, request, path, false, options);
    const created = this.chroot.toClient(body.path);
    if (!wantStat) return created;
    if (!('stat' in body)) throw new ZkError('MARSHALLING_ERROR', { path, message: 'create2 answer without a Stat' });
    return { path: created, stat: body.stat };
  }

  /**
   * Creates a node, first creating any missing ancestors (empty, world-readable, `PERSISTENT`
   * or `parentMode`), like Curator's `creatingParentsIfNeeded`. Ancestors that appear
   * concurrently are fine; the node itself must not exist.
   */
  createWithParents(path: string, data: NodeData | undefined, options: CreateWithParentsOptions & { stat: true }): Promise<CreateResult>;
  createWithParents(path: string, data?: NodeData, options?: CreateWithParentsOptions): Promise<string>;
  async createWithParents(path: string, data?: NodeData, options: CreateWithParentsOptions = {}): Promise<string | CreateResult> {
    try {
      return await this.create(path, data, options);
    } catch (error) {
      if (!(error instanceof ZkError) || error.code !== 'NO_NODE') throw error;
    }
    const ancestors: string[] = [];
    for (let parent = parentPath(path); parent !== '/'; parent = parentPath(parent)) ancestors.unshift(parent);
    for (const ancestor of ancestors) {
      try {
        await this.create(ancestor, undefined, { mode: options.parentMode ?? 'PERSISTENT', signal: options.signal });
      } catch (error) {
        if (!(error instanceof ZkError) || error.code !== 'NODE_EXISTS') throw error;
      }
    }
    return this.create(path, data, options);
  }

  /**
   * Deletes a node if its version matches (−1, the default, matches any).
   * @throws ZkError NO_NODE, BAD_VERSION, NOT_EMPTY …
   */
  async delete(path: string, version = -1, options: CallOptions = {}): Promise<void> {
    validatePath(path);
    // The root stays the root even under a chroot, so that it cannot be deleted (ZooKeeper.delete).
    const serverPath = path === '/' ? path : this.chroot.toServer(path);
    await this.request(OpCode.delete, { path: serverPath, version }, path, false, options);
  }

  /**
   * Deletes a node and all its descendants, children first. Nodes that vanish concurrently are
   * skipped; a child created concurrently is deleted on a second pass. Under the server root
   * the `/zookeeper` system tree is left alone, and `/` itself is never deleted.
   * @throws ZkError NO_NODE if `path` does not exist.
   */
  async deleteRecursive(path: string, options: CallOptions = {}): Promise<void> {
    validatePath(path);
    await this.deleteTree(path, true, options);
  }

  private async deleteTree(path: string, isRoot: boolean, options: CallOptions): Promise<void> {
    for (;;) {
      let children: string[];
      try {
        children = await this.getChildren(path, undefined, options);
      } catch (error) {
        if (!isRoot && error instanceof ZkError && error.code === 'NO_NODE') return;
        throw error;
      }
      for (const child of children) {
        if (path === '/' && child === 'zookeeper' && this.chroot.root === undefined) continue;
        await this.deleteTree(joinPath(path, child), false, options);
      }
      if (path === '/') return;
      try {
        await this.delete(path, -1, options);
        return;
      } catch (error) {
        if (!(error instanceof ZkError)) throw error;
        if (error.code === 'NO_NODE' && !isRoot) return;
        if (error.code !== 'NOT_EMPTY') throw error;
      }
    }
  }

  /**
   * The node's Stat, or null if it does not exist. A watcher is set either way: on a missing
   * node it fires on creation; on an existing one on change or deletion.
   */
  async exists(path: string, watcher?: Watcher, options: CallOptions = {}): Promise<Stat | null> {
    validatePath(path);
    const reply = await this.send(
      OpCode.exists,
      { path: this.chroot.toServer(path), watch: watcher !== undefined },
      path,
      true,
      watcher === undefined ? options : { ...options, watch: existsWatch(path, watcher) },
    );
    if (reply.err === ErrorCode.NO_NODE) return null;
    return this.body(reply, path, true).stat;
  }

  /** The node's data and Stat. The watcher, if given, fires on the next change or deletion; none is set on NO_NODE. */
  async getData(path: string, watcher?: Watcher, options: CallOptions = {}): Promise<DataResult> {
    validatePath(path);
    const body = await this.request(
      OpCode.getData,
      { path: this.chroot.toServer(path), watch: watcher !== undefined },
      path,
      true,
      watcher === undefined ? options : { ...options, watch: readWatch('data', path, watcher) },
    );
    return { data: copyData(body.data), stat: body.stat };
  }

  /** Sets the node's data if its version matches (−1, the default, matches any) and resolves with the new Stat. */
  async setData(path: string, data: NodeData, version = -1, options: CallOptions = {}): Promise<Stat> {
    validatePath(path);
    const body = await this.request(OpCode.setData, { path: this.chroot.toServer(path), data: toWireData(data), version }, path, false, options);
    return body.stat;
  }

  /** The names of the node's children (unordered, as the server lists them). The watcher fires on the next child change or deletion. */
  async getChildren(path: string, watcher?: Watcher, options: CallOptions = {}): Promise<string[]> {
    validatePath(path);
    const body = await this.request(
      OpCode.getChildren,
      { path: this.chroot.toServer(path), watch: watcher !== undefined },
      path,
      true,
      watcher === undefined ? options : { ...options, watch: readWatch('child', path, watcher) },
    );
    return body.children;
  }

  /** Like {@link getChildren}, also returning the node's Stat (getChildren2). */
  async getChildrenWithStat(path: string, watcher?: Watcher, options: CallOptions = {}): Promise<ChildrenResult> {
    validatePath(path);
    const body = await this.request(
      OpCode.getChildren2,
      { path: this.chroot.toServer(path), watch: watcher !== undefined },
      path,
      true,
      watcher === undefined ? options : { ...options, watch: readWatch('child', path, watcher) },
    );
    return { children: body.children, stat: body.stat };
  }

  /** The node's ACL and Stat. */
  async getACL(path: string, options: CallOptions = {}): Promise<ACLResult> {
    validatePath(path);
    const body = await this.request(OpCode.getACL, { path: this.chroot.toServer(path) }, path, true, options);
    return { acl: body.acl, stat: body.stat };
  }

  /** Replaces the node's ACL if its ACL version (`aversion`) matches (−1 matches any); resolves with the new Stat. */
  async setACL(path: string, acl: readonly ACL[], aclVersion = -1, options: CallOptions = {}): Promise<Stat> {
    validatePath(path);
    validateACL(path, acl);
    const body = await this.request(OpCode.setACL, { path: this.chroot.toServer(path), acl: [...acl], version: aclVersion }, path, false, options);
    return body.stat;
  }

  /**
   * Applies write ops atomically. Resolves with one result per op; if any op fails nothing is
   * applied and the call rejects with a {@link MultiError} of the first failing op.
   */
  async multi(ops: readonly Op[], options: CallOptions = {}): Promise<OpResult[]> {
    const wire = ops.map((op) => toWireOp(op, this.chroot, 'write'));
    if (wire.length === 0) return [];
    const body = await this.request(OpCode.multi, { ops: wire }, undefined, false, options);
    const results = body.results.map((result) => fromWireResult(result, this.chroot) as OpResult);
    const failedOpIndex = results.findIndex((result) => result.type === 'error' && result.errno !== ErrorCode.OK);
    if (failedOpIndex >= 0) {
      const failed = results[failedOpIndex];
      const op = ops[failedOpIndex];
      if (failed?.type === 'error') throw new MultiError(ZkError.fromErrno(failed.errno, op?.path), results, failedOpIndex);
    }
    return results;
  }

  /** Starts a {@link Transaction}: chain ops, then `commit()`. */
  transaction(): Transaction {
    return new Transaction((ops, options) => this.multi(ops, options));
  }

  /**
   * Runs getChildren/getData ops in one request (multiRead). Unlike multi it is not atomic and
   * does not fail as a whole: each op's result is either its answer or an error result.
   */
  async multiRead(ops: readonly ReadOp[], options: CallOptions = {}): Promise<ReadOpResult[]> {
    const wire = ops.map((op) => toWireOp(op, this.chroot, 'read'));
    if (wire.length === 0) return [];
    const body = await this.request(OpCode.multiRead, { ops: wire }, undefined, true, options);
    return body.results.map((result) => fromWireResult(result, this.chroot) as ReadOpResult);
  }

  /** Waits until the server this client is connected to has caught up with the leader, for reads that must see prior writes. */
  async sync(path: string, options: CallOptions = {}): Promise<void> {
    validatePath(path);
    await this.request(OpCode.sync, { path: this.chroot.toServer(path) }, path, true, options);
  }

  /** Paths of the ephemeral nodes this session owns under `prefix` (default: all of them). */
  async getEphemerals(prefix = '/', options: CallOptions = {}): Promise<string[]> {
    validatePath(prefix);
    const body = await this.request(OpCode.getEphemerals, { prefixPath: this.chroot.toServer(prefix) }, prefix, true, options);
    return body.ephemerals.map((path) => this.chroot.toClient(path));
  }

  /** The number of descendants of a node, not counting the node itself. */
  async getAllChildrenNumber(path: string, options: CallOptions = {}): Promise<number> {
    validatePath(path);
    const body = await this.request(OpCode.getAllChildrenNumber, { path: this.chroot.toServer(path) }, path, true, options);
    return body.totalNumber;
  }

  /**
   * Adds a watch that is not consumed by firing (ZooKeeper 3.6+). `PERSISTENT` watches the
   * node's data and children like getData plus getChildren watches would; `PERSISTENT_RECURSIVE`
   * watches the node and every descendant for data changes, creation and deletion (no child
   * events). Remove it with {@link removeWatches} and type `Persistent` / `PersistentRecursive`.
   */
  async addWatch(path: string, watcher: Watcher, mode: AddWatchModeName, options: CallOptions = {}): Promise<void> {
    validatePath(path);
    const kind = mode === 'PERSISTENT' ? 'persistent' : 'persistentRecursive';
    await this.request(OpCode.addWatch, { path: this.chroot.toServer(path), mode: AddWatchMode[mode] }, path, true, {
      ...options,
      watch: persistentWatch(kind, path, watcher),
    });
  }

  /**
   * Removes one watcher of a type from a path (checkWatches), or every watcher of that type
   * when `watcher` is null (removeWatches). Removed watchers receive a `DataWatchRemoved`,
   * `ChildWatchRemoved` or `PersistentWatchRemoved` event. With `local` the watchers are
   * removed on this side even if the server cannot be reached.
   * @throws ZkError NO_WATCHER if no such watcher is registered.
   */
  async removeWatches(path: string, watcher: Watcher | null, type: WatcherTypeName, local = false, options: CallOptions = {}): Promise<void> {
    validatePath(path);
    const body = { path: this.chroot.toServer(path), type: WatcherType[type] };
    const deregistration = { path, watcher: watcher ?? undefined, type, local };
    const reply =
      watcher === null
        ? await this.send(OpCode.removeWatches, body, path, false, { ...options, deregistration })
        : await this.send(OpCode.checkWatches, body, path, false, { ...options, deregistration });
    if (reply.err !== ErrorCode.OK) throw replyError(reply.err, path, false);
  }

  /** Removes every watcher of a type from a path; see {@link removeWatches}. */
  removeAllWatches(path: string, type: WatcherTypeName, local = false, options: CallOptions = {}): Promise<void> {
    return this.removeWatches(path, null, type, local, options);
  }

  /** The identities this session is authenticated as (whoAmI, ZooKeeper 3.7+). */
  async whoAmI(options: CallOptions = {}): Promise<ClientInfo[]> {
    const body = await this.request(OpCode.whoAmI, undefined, undefined, true, options);
    return body.clientInfo;
  }

  /**
   * Authenticates this session (`addAuthInfo`), e.g. `addAuth('digest', 'user:password')`.
   * The credentials are re-sent after every reconnect. Resolves when the server accepts them;
   * if it rejects them the session ends: the call rejects with AUTH_FAILED and the client
   * emits `authFailed` and closes.
   */
  addAuth(scheme: string, auth: Uint8Array | string, options: CallOptions = {}): Promise<void> {
    const bytes = typeof auth === 'string' ? new TextEncoder().encode(auth) : auth;
    return abortable(this.connection.addAuth(scheme, bytes), options.signal);
  }

  /**
   * Closes the session: its ephemeral nodes are deleted and its watches dropped. Resolves
   * once the server confirmed (or the connection ended). Calls made afterwards fail with
   * SESSION_EXPIRED, as in ZooKeeper. Aborting only stops the wait; the close goes on.
   */
  close(options: CallOptions = {}): Promise<void> {
    return abortable(this.connection.close(), options.signal);
  }

  /** Sends one request (retrying retry-safe ones by the policy) and resolves with the raw reply. */
  private send<K extends RequestOp & ResponseOp>(
    op: K,
    body: RequestBodyByOp[K],
    path: string | undefined,
    retrySafe: boolean,
    options: SubmitOptions,
  ): Promise<{ err: number; body: Body<K> | undefined }> {
    const attempt = async (): Promise<{ err: number; body: Body<K> | undefined }> => {
      const reply = await this.connection.submit(op, body, options);
      // Rejecting here lets the retry policy see the mark; exists() turns NO_NODE into null itself.
      if (retrySafe && reply.err !== ErrorCode.OK && reply.err !== ErrorCode.NO_NODE) throw replyError(reply.err, path, true);
      return reply;
    };
    return retrySafe ? withRetry(this.retryPolicy, attempt, options.signal) : attempt();
  }

  /** Sends one request and resolves with its body, or rejects with the reply's error. */
  private async request<K extends RequestOp & ResponseOp>(
    op: K,
    body: RequestBodyByOp[K],
    path: string | undefined,
    retrySafe: boolean,
    options: SubmitOptions,
  ): Promise<NonNullable<Body<K>>> {
    return this.body(await this.send(op, body, path, retrySafe, options), path, retrySafe);
  }

  private body<T>(reply: { err: number; body: T | undefined }, path: string | undefined, retrySafe: boolean): NonNullable<T> {
    if (reply.err !== ErrorCode.OK) throw replyError(reply.err, path, retrySafe);
    // Ops whose success has no body (delete, checkWatches …) resolve to an empty object their callers ignore.
    return (reply.body ?? {}) as NonNullable<T>;
  }
}

/** Lets a caller stop waiting for `promise` (which carries on) when `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
