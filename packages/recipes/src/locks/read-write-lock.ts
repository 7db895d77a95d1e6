/**
 * A distributed read/write lock on one path (Curator's InterProcessReadWriteLock): writers
 * are exclusive, readers share. Both kinds queue under the same path, ordered by sequence:
 *
 * - a writer holds when it is first of all contenders, and watches its immediate predecessor;
 * - a reader holds when no writer is ahead of it, and otherwise watches the first writer ahead.
 *
 * Both locks are reentrant and share one owner (the ReadWriteLock object, or the async
 * context). An owner that holds the write lock may also take the read lock (downgrading);
 * taking the write lock while holding only the read lock deadlocks, as in Curator.
 * @module
 */
import type { NodeData } from '@zkts/client';
import { createAsyncOwnerContext } from '#async-owner';
import type { ClientSource } from '../session/managed-client.js';
import { withoutProtection } from '../session/protected-create.js';
import { type LockDriver, ourNodeMissing } from './lock-driver.js';
import { Mutex } from './mutex.js';
import { instanceOwner } from './owner.js';

/** Node name of readers (Curator's `__READ__`). */
export const READ_LOCK_NAME = '__READ__';
/** Node name of writers (Curator's `__WRIT__`). */
export const WRITE_LOCK_NAME = '__WRIT__';

/** Options of {@link ReadWriteLock}. */
export interface ReadWriteLockOptions {
  /** Data stored in the lock nodes. */
  readonly data?: NodeData;
  /** Who owns a hold; see {@link Mutex}. */
  readonly owner?: 'instance' | 'async-context';
}

function isWriter(name: string): boolean {
  return withoutProtection(name).startsWith(WRITE_LOCK_NAME);
}

const writeDriver: LockDriver = {
  lockName: WRITE_LOCK_NAME,
  getsTheLock(sorted, ourName) {
    const ourIndex = sorted.indexOf(ourName);
    if (ourIndex < 0) throw ourNodeMissing(ourName);
    return ourIndex === 0 ? { holds: true } : { holds: false, watch: sorted[ourIndex - 1] };
  },
};

const readDriver: LockDriver = {
  lockName: READ_LOCK_NAME,
  getsTheLock(sorted, ourName) {
    const ourIndex = sorted.indexOf(ourName);
    if (ourIndex < 0) throw ourNodeMissing(ourName);
    const firstWriter = sorted.findIndex((name) => isWriter(name));
    if (firstWriter < 0 || ourIndex < firstWriter) return { holds: true };
    return { holds: false, watch: sorted[firstWriter] };
  },
};

/** A read/write lock: {@link readLock} and {@link writeLock} are reentrant {@link Mutex}es on one path. */
export class ReadWriteLock {
  /** Exclusive lock. */
  readonly writeLock: Mutex;
  /** Shared lock. */
  readonly readLock: Mutex;

  constructor(source: ClientSource, readonly path: string, options: ReadWriteLockOptions = {}) {
    const owners = options.owner === 'async-context' ? createAsyncOwnerContext() : instanceOwner();
    const lockOptions = { data: options.data };
    this.writeLock = new Mutex(source, path, lockOptions, { driver: writeDriver, owners });
    const writeLock = this.writeLock;
    this.readLock = new Mutex(source, path, lockOptions, { driver: readDriver, owners, holdsAnyway: (owner) => writeLock.isHeldBy(owner) });
  }
}

/** Creates a {@link ReadWriteLock}. */
export function readWriteLock(source: ClientSource, path: string, options?: ReadWriteLockOptions): ReadWriteLock {
  return new ReadWriteLock(source, path, options);
}
