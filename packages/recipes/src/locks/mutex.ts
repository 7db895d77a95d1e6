/**
 * A reentrant distributed mutex with Curator's InterProcessMutex semantics: the owner may
 * acquire again without a round trip (a hold count), the node is deleted when the count
 * returns to zero, and everyone else waits meanwhile.
 *
 * Owners: Curator's mutex is reentrant per thread. JavaScript has no threads, so by default
 * the owner is the `Mutex` object — every call through it counts as the same owner, including
 * concurrent ones — and one `Mutex` per logical worker gives Curator's behaviour. With
 * `owner: 'async-context'` the owner is the async context instead (Node's AsyncLocalStorage):
 * {@link Mutex.withLock} runs its callback as a new owner, and acquires inside that callback,
 * however deeply awaited, re-enter, while other callbacks wait.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import { type NodeData, ZkError } from '@zkts/client';
import { createAsyncOwnerContext } from '#async-owner';
import { type ClientSource, type ManagedClient, managedClientOf } from '../session/managed-client.js';
import { checkBasePath } from '../util/paths.js';
import { type Deadline, type WaitOptions, deadlineAfter, waitFor } from '../util/waiting.js';
import { type FencingToken, HeldLock, type LockEvents } from './held-lock.js';
import { type LockDriver, standardDriver } from './lock-driver.js';
import { LockInternals, type LockNode, lockTimeout } from './lock-internals.js';
import { type OwnerContext, instanceOwner } from './owner.js';
import { LOCK_NAME } from './distributed-lock.js';

/** Options of {@link Mutex}. */
export interface MutexOptions {
  /** Data stored in the lock node. Default: empty. */
  readonly data?: NodeData;
  /** Who owns a hold: the `Mutex` object (default) or the async context (Node only). */
  readonly owner?: 'instance' | 'async-context';
}

/** Strategy a ReadWriteLock gives its two locks (driver, shared owners, read-under-write rule). */
export interface MutexInternals {
  readonly driver: LockDriver;
  readonly owners: OwnerContext;
  /** When true for the acquiring owner, the lock is held without waiting. */
  readonly holdsAnyway?: (owner: object) => boolean;
}

interface Hold {
  readonly held: HeldLock;
  count: number;
}

/** One hold of a {@link Mutex}: releases exactly one count, once. */
export class MutexHandle implements AsyncDisposable {
  #released = false;

  /** @internal */
  constructor(
    private readonly mutex: Mutex,
    /** @internal */ readonly owner: object,
    private readonly hold: Hold,
  ) {}

  /** The lock node's path. */
  get path(): string {
    return this.hold.held.node.path;
  }

  /** Token to hand to guarded resources so they can reject stale holders. */
  get fencingToken(): FencingToken {
    return this.hold.held.fencingToken;
  }

  /** Aborted when the lock is lost with its session. */
  get signal(): AbortSignal {
    return this.hold.held.signal;
  }

  /** Releases this hold: the lock node is deleted when the owner's last hold is released. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.mutex.releaseFor(this.owner);
  }

  /** Releases on `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.release();
  }
}

/**
 * A reentrant distributed mutex (Curator's InterProcessMutex). Emits {@link LockEvents} for the
 * holds it has (with `owner: 'async-context'` that may be several owners' holds at once).
 *
 * ```ts
 * const mutex = new Mutex(client, '/locks/config');
 * await mutex.acquire();
 * await mutex.acquire();   // re-entered: no round trip
 * await mutex.release();
 * await mutex.release();   // node deleted
 * ```
 */
export class Mutex extends EventEmitter<LockEvents> {
  private readonly session: ManagedClient;
  private readonly internals: LockInternals;
  private readonly owners: OwnerContext;
  private readonly holdsAnyway: ((owner: object) => boolean) | undefined;
  private readonly holds = new Map<object, Hold>();
  private readonly pending = new Map<object, Promise<LockNode | undefined>>();

  constructor(source: ClientSource, readonly path: string, options: MutexOptions = {}, internal?: MutexInternals) {
    super();
    this.session = managedClientOf(source);
    const driver = internal?.driver ?? standardDriver(LOCK_NAME, 1);
    this.internals = new LockInternals(this.session, checkBasePath(path), driver, options.data);
    this.owners = internal?.owners ?? (options.owner === 'async-context' ? createAsyncOwnerContext() : instanceOwner());
    this.holdsAnyway = internal?.holdsAnyway;
  }

  /**
   * Acquires (or re-enters) the mutex for the current owner and resolves with a handle for this
   * hold. Rejects with OPERATION_TIMEOUT after `timeoutMs`, or the signal's reason on abort.
   * Outside {@link withLock} an async-context mutex treats each call as a new owner.
   */
  async acquire(options: WaitOptions = {}): Promise<MutexHandle> {
    const handle = await this.tryAcquire(options);
    if (handle === undefined) throw lockTimeout(this.path, options.timeoutMs);
    return handle;
  }

  /** Like {@link acquire}, but resolves undefined on timeout. */
  tryAcquire(options: WaitOptions = {}): Promise<MutexHandle | undefined> {
    return this.acquireFor(this.owners.current() ?? {}, deadlineAfter(options.timeoutMs), options.signal);
  }

  /**
   * Releases one hold of the current owner (Curator's `release()`); the node is deleted when
   * the count reaches zero. Throws if the current owner holds nothing.
   */
  async release(): Promise<void> {
    const owner = this.owners.current();
    if (owner === undefined || !this.holds.has(owner)) throw new Error(`You do not own the lock: ${this.path}`);
    await this.releaseFor(owner);
  }

  /**
   * Runs `fn` holding the mutex and releases it afterwards, whatever `fn` does. With
   * `owner: 'async-context'`, `fn` runs as a new owner, so acquires inside it re-enter.
   */
  async withLock<T>(fn: (handle: MutexHandle) => Promise<T> | T, options: WaitOptions = {}): Promise<T> {
    const owner = this.owners.current() ?? {};
    const handle = await this.acquireFor(owner, deadlineAfter(options.timeoutMs), options.signal);
    if (handle === undefined) throw lockTimeout(this.path, options.timeoutMs);
    try {
      return await this.owners.run(owner, () => fn(handle));
    } finally {
      await handle.release();
    }
  }

  /** True if any owner in this process holds the mutex (Curator's `isAcquiredInThisProcess`). */
  get isAcquiredInThisProcess(): boolean {
    return this.holds.size > 0;
  }

  /** True if the current owner holds the mutex (Curator's `isOwnedByCurrentThread`). */
  isOwnedByCurrentOwner(): boolean {
    const owner = this.owners.current();
    return owner !== undefined && this.isHeldBy(owner);
  }

  /** How many holds the current owner has. */
  get holdCount(): number {
    const owner = this.owners.current();
    return owner === undefined ? 0 : (this.holds.get(owner)?.count ?? 0);
  }

  /** Paths of the nodes of every contender, the holder first. */
  async participantNodes(): Promise<string[]> {
    return (await this.internals.sortedChildren()).map((name) => `${this.path}/${name}`);
  }

  /** @internal */
  isHeldBy(owner: object): boolean {
    return this.holds.get(owner)?.held.isHeld === true;
  }

  /** @internal */
  async releaseFor(owner: object): Promise<void> {
    const hold = this.holds.get(owner);
    if (hold === undefined) throw new Error(`You do not own the lock: ${this.path}`);
    hold.count--;
    if (hold.count > 0) return;
    this.holds.delete(owner);
    const lost = hold.held.isLost;
    hold.held.dispose();
    if (!lost) await this.internals.release(hold.held.node);
  }

  private async acquireFor(owner: object, deadline: Deadline, signal: AbortSignal | undefined): Promise<MutexHandle | undefined> {
    for (;;) {
      const hold = this.holds.get(owner);
      if (hold !== undefined) {
        // Re-entering a lock that was lost would hand out a hold nobody has: release it first.
        if (hold.held.isLost) throw new ZkError('SESSION_EXPIRED', { path: this.path, message: 'The lock was lost; release every hold before acquiring again' });
        hold.count++;
        return new MutexHandle(this, owner, hold);
      }
      const inFlight = this.pending.get(owner);
      if (inFlight !== undefined) {
        // The same owner is already contending (concurrent calls through one instance): share its outcome.
        if ((await waitFor(inFlight, deadline, signal)) === 'timeout') return undefined;
        continue;
      }
      const attempt = this.internals.attempt(deadline, signal, this.holdsAnyway === undefined ? undefined : () => this.holdsAnyway?.(owner) === true);
      this.pending.set(owner, attempt);
      let node: LockNode | undefined;
      try {
        node = await attempt;
      } finally {
        if (this.pending.get(owner) === attempt) this.pending.delete(owner);
      }
      if (node === undefined) return undefined;
      const held = new HeldLock(this.session, node, () => {});
      held.on('suspended', () => this.emit('suspended'));
      held.on('reconnected', () => this.emit('reconnected'));
      held.on('lost', () => {
        void this.internals.release(node).catch((error: unknown) => this.session.emit('error', error));
        this.emit('lost');
      });
      const created: Hold = { held, count: 1 };
      this.holds.set(owner, created);
      return new MutexHandle(this, owner, created);
    }
  }
}

/** Creates a reentrant {@link Mutex} (`mutex(client, '/locks/a')`). */
export function mutex(source: ClientSource, path: string, options?: MutexOptions): Mutex {
  return new Mutex(source, path, options);
}
