/**
 * A distributed lock that is not reentrant: every `acquire` is a separate contender, so a
 * second acquire through the same object waits for the first hold to be released, like
 * Curator's InterProcessSemaphoreMutex. Built on {@link LockInternals} with the standard driver:
 * the lowest sequence holds and each waiter watches only its predecessor.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import type { NodeData } from '@zkts/client';
import { type ClientSource, type ManagedClient, managedClientOf } from '../session/managed-client.js';
import { checkBasePath } from '../util/paths.js';
import { type WaitOptions, deadlineAfter } from '../util/waiting.js';
import { type FencingToken, HeldLock, type LockEvents } from './held-lock.js';
import { standardDriver } from './lock-driver.js';
import { LockInternals, type LockNode, lockTimeout } from './lock-internals.js';

/** Curator's lock node name. */
export const LOCK_NAME = 'lock-';

/** Options of {@link DistributedLock}. */
export interface LockOptions {
  /** Data stored in each contender's node, e.g. a host name for operators. Default: empty. */
  readonly data?: NodeData;
}

/**
 * One hold of a lock. Emits {@link LockEvents} while held; `signal` aborts when the lock is
 * lost. Release it with {@link release} or `await using`.
 */
export class LockHandle extends EventEmitter<LockEvents> implements AsyncDisposable {
  #releasing: Promise<void> | undefined;

  /** @internal */
  constructor(
    private readonly held: HeldLock,
    private readonly releaseNode: (node: LockNode) => Promise<void>,
  ) {
    super();
    held.on('suspended', () => this.emit('suspended'));
    held.on('reconnected', () => this.emit('reconnected'));
    held.on('lost', () => this.emit('lost'));
  }

  /** The lock node's path. */
  get path(): string {
    return this.held.node.path;
  }

  /** Token to hand to guarded resources so they can reject stale holders. */
  get fencingToken(): FencingToken {
    return this.held.fencingToken;
  }

  /** True until released or lost. */
  get isHeld(): boolean {
    return this.held.isHeld;
  }

  /** Aborted (with SESSION_EXPIRED) when the lock is lost; pass it to the work done under the lock. */
  get signal(): AbortSignal {
    return this.held.signal;
  }

  /** Releases the lock (deletes the node, retrying in the background if the connection is down). Idempotent. */
  release(): Promise<void> {
    if (this.#releasing === undefined) {
      const lost = this.held.isLost;
      this.held.dispose();
      this.removeAllListeners();
      // A lost lock's node was already given up when it was lost.
      this.#releasing = lost ? Promise.resolve() : this.releaseNode(this.held.node);
    }
    return this.#releasing;
  }

  /** Releases on `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.release();
  }
}

/**
 * A non-reentrant distributed lock on a path.
 *
 * ```ts
 * const lock = new DistributedLock(client, '/locks/orders');
 * await using held = await lock.acquire({ timeoutMs: 5_000 });
 * await writeOrders({ fencingToken: held.fencingToken.czxid, signal: held.signal });
 * ```
 */
export class DistributedLock {
  private readonly session: ManagedClient;
  private readonly internals: LockInternals;

  constructor(
    source: ClientSource,
    readonly path: string,
    options: LockOptions = {},
  ) {
    this.session = managedClientOf(source);
    this.internals = new LockInternals(this.session, checkBasePath(path), standardDriver(LOCK_NAME, 1), options.data);
  }

  /**
   * Waits for the lock and resolves with the hold. Rejects with OPERATION_TIMEOUT after
   * `timeoutMs`, or the signal's reason on abort; either way this contender's node is deleted.
   */
  async acquire(options: WaitOptions = {}): Promise<LockHandle> {
    const handle = await this.tryAcquire(options);
    if (handle === undefined) throw lockTimeout(this.path, options.timeoutMs);
    return handle;
  }

  /** Like {@link acquire}, but resolves undefined on timeout (Curator's `acquire(time, unit)` returning false). */
  async tryAcquire(options: WaitOptions = {}): Promise<LockHandle | undefined> {
    const node = await this.internals.attempt(deadlineAfter(options.timeoutMs), options.signal);
    if (node === undefined) return undefined;
    const release = (held: LockNode): Promise<void> => this.internals.release(held);
    const held = new HeldLock(this.session, node, (lost) => void release(lost).catch((error: unknown) => this.session.emit('error', error)));
    return new LockHandle(held, release);
  }

  /** Paths of the nodes of every contender, the holder first. */
  async participantNodes(): Promise<string[]> {
    return (await this.internals.sortedChildren()).map((name) => `${this.path}/${name}`);
  }
}

/** Creates a {@link DistributedLock} (`lock(client, '/locks/a').acquire()`). */
export function lock(source: ClientSource, path: string, options?: LockOptions): DistributedLock {
  return new DistributedLock(source, path, options);
}
