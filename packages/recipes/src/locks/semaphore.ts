/**
 * A distributed counting semaphore with leases (Curator's InterProcessSemaphoreV2). Leases are
 * ephemeral sequential nodes under `<path>/leases`; a contender may add its lease while it
 * holds a lock under `<path>/locks` and keeps it once at most `maxLeases` leases exist. Only the
 * lock holder watches the leases, so a returned lease wakes one waiter. A lease whose holder's
 * session ends disappears with it.
 * @module
 */
import { type NodeData, type WatchedEvent, type ZkClient, ZkError } from '@zkts/client';
import { deleteGuaranteed } from '../session/guaranteed-delete.js';
import { type ClientSource, type ManagedClient, managedClientOf } from '../session/managed-client.js';
import { createProtected } from '../session/protected-create.js';
import { hasCode, isConnectionError } from '../util/codes.js';
import { checkBasePath, joinPath } from '../util/paths.js';
import { type Deadline, type WaitOptions, deadlineAfter, isPast, throwIfAborted, waitFor, wakeup } from '../util/waiting.js';
import { ourNodeMissing, standardDriver } from './lock-driver.js';
import { LOCK_NAME } from './distributed-lock.js';
import { LockInternals } from './lock-internals.js';

/** Curator's lease node name. */
export const LEASE_NAME = 'lease-';

/** One lease of a {@link Semaphore}; return it with {@link close} or `await using`. */
export class Lease implements AsyncDisposable {
  #closing: Promise<void> | undefined;

  /** @internal */
  constructor(
    private readonly session: ManagedClient,
    private readonly owner: ZkClient,
    /** The lease node's path. */ readonly path: string,
  ) {}

  /** Returns the lease (deletes its node, retrying in the background if needed). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= deleteGuaranteed(this.session, this.owner, this.path);
    return this.#closing;
  }

  /** The data stored in the lease node. */
  async data(): Promise<Uint8Array | null> {
    return (await this.owner.getData(this.path)).data;
  }

  /** Returns the lease on `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Options of {@link Semaphore}. */
export interface SemaphoreOptions {
  /** Data stored in each lease node. */
  readonly data?: NodeData;
}

/** A counting semaphore: at most `maxLeases` leases exist at once across all processes. */
export class Semaphore {
  private readonly session: ManagedClient;
  private readonly lock: LockInternals;
  private readonly leasesPath: string;

  constructor(
    source: ClientSource,
    readonly path: string,
    readonly maxLeases: number,
    private readonly options: SemaphoreOptions = {},
  ) {
    if (!Number.isInteger(maxLeases) || maxLeases < 1) throw new ZkError('BAD_ARGUMENTS', { message: `maxLeases must be a positive integer, got ${maxLeases}` });
    this.session = managedClientOf(source);
    checkBasePath(path);
    this.lock = new LockInternals(this.session, joinPath(path, 'locks'), standardDriver(LOCK_NAME, 1), undefined);
    this.leasesPath = joinPath(path, 'leases');
  }

  /** Acquires one lease; rejects with OPERATION_TIMEOUT after `timeoutMs`. */
  async acquire(options: WaitOptions = {}): Promise<Lease> {
    const [lease] = await this.acquireMany(1, options);
    return lease!;
  }

  /** Acquires one lease, or resolves undefined on timeout. */
  async tryAcquire(options: WaitOptions = {}): Promise<Lease | undefined> {
    return (await this.tryAcquireMany(1, options))?.[0];
  }

  /** Acquires `qty` leases; rejects with OPERATION_TIMEOUT (returning any it got) after `timeoutMs`. */
  async acquireMany(qty: number, options: WaitOptions = {}): Promise<Lease[]> {
    const leases = await this.tryAcquireMany(qty, options);
    if (leases === undefined) throw new ZkError('OPERATION_TIMEOUT', { path: this.path, message: `${qty} lease(s) not acquired within ${options.timeoutMs} ms` });
    return leases;
  }

  /** Acquires `qty` leases, or returns the ones it got and resolves undefined on timeout. */
  async tryAcquireMany(qty: number, options: WaitOptions = {}): Promise<Lease[] | undefined> {
    if (!Number.isInteger(qty) || qty < 1) throw new ZkError('BAD_ARGUMENTS', { message: `qty must be a positive integer, got ${qty}` });
    const deadline = deadlineAfter(options.timeoutMs);
    const leases: Lease[] = [];
    try {
      for (let i = 0; i < qty; i++) {
        const lease = await this.acquireOne(deadline, options.signal);
        if (lease === undefined) {
          await returnAll(leases);
          return undefined;
        }
        leases.push(lease);
      }
    } catch (error) {
      await returnAll(leases);
      throw error;
    }
    return leases;
  }

  /** Names of the current lease nodes. */
  async participantNodes(): Promise<string[]> {
    try {
      return await this.session.client.getChildren(this.leasesPath);
    } catch (error) {
      if (hasCode(error, 'NO_NODE')) return [];
      throw error;
    }
  }

  private async acquireOne(deadline: Deadline, signal: AbortSignal | undefined): Promise<Lease | undefined> {
    const lockNode = await this.lock.attempt(deadline, signal);
    if (lockNode === undefined) return undefined;
    try {
      const client = lockNode.owner;
      const created = await createProtected(client, this.leasesPath, LEASE_NAME, this.options.data, 'EPHEMERAL_SEQUENTIAL');
      const lease = new Lease(this.session, client, created.path);
      try {
        if (await this.waitForRoom(client, created.name, deadline, signal)) return lease;
      } catch (error) {
        await lease.close();
        throw error;
      }
      await lease.close();
      return undefined;
    } finally {
      await this.lock.release(lockNode);
    }
  }

  /** Waits until at most maxLeases leases exist, ours among them. */
  private async waitForRoom(client: ZkClient, ourName: string, deadline: Deadline, signal: AbortSignal | undefined): Promise<boolean> {
    for (;;) {
      throwIfAborted(signal);
      const woken = wakeup();
      const watcher = (event: WatchedEvent): void => {
        if (event.type !== 'None') woken.wake();
      };
      const onState = (state: string): void => {
        if (state === 'LOST') woken.wake();
      };
      this.session.on('stateChanged', onState);
      try {
        let children: string[];
        try {
          children = await client.getChildren(this.leasesPath, watcher);
        } catch (error) {
          if (!isConnectionError(error)) throw error;
          await client.connected({ signal });
          continue;
        }
        if (!children.includes(ourName)) throw ourNodeMissing(ourName);
        if (children.length <= this.maxLeases) return true;
        if (isPast(deadline) || (await waitFor(woken.promise, deadline, signal)) === 'timeout') return false;
      } finally {
        this.session.off('stateChanged', onState);
      }
    }
  }
}

async function returnAll(leases: readonly Lease[]): Promise<void> {
  await Promise.all(leases.map((lease) => lease.close()));
}

/** Creates a {@link Semaphore}. */
export function semaphore(source: ClientSource, path: string, maxLeases: number, options?: SemaphoreOptions): Semaphore {
  return new Semaphore(source, path, maxLeases, options);
}
