/**
 * Lock strategies (Curator's `LockInternalsDriver`): given the contenders sorted by sequence,
 * does ours hold the lock, and if not, which single node should it watch. Watching one
 * predecessor instead of the whole parent is what keeps a release from waking every waiter.
 * @module
 */
import { ZkError } from '@zkts/client';

/** What a driver decides for one contender. */
export interface LockPredicate {
  readonly holds: boolean;
  /** The node whose deletion may change the answer; set when `holds` is false. */
  readonly watch?: string;
}

/** A lock strategy over the sorted children of the lock path. */
export interface LockDriver {
  /** Contenders' node name (before the sequence suffix and after the protection prefix). */
  readonly lockName: string;
  /** Decides for `ourName` among `sorted` children (sorted by sequence). */
  getsTheLock(sorted: readonly string[], ourName: string): LockPredicate;
}

/** Thrown when our node is not among the children: the session that owned it has ended. */
export function ourNodeMissing(ourName: string): ZkError {
  return new ZkError('NO_NODE', { message: `Sequential path not found: ${ourName}` });
}

/**
 * `StandardLockInternalsDriver`: the first `maxLeases` contenders hold; any other watches the
 * contender `maxLeases` places ahead of it (its immediate predecessor for a mutex).
 */
export function standardDriver(lockName: string, maxLeases: number): LockDriver {
  return {
    lockName,
    getsTheLock(sorted, ourName) {
      const ourIndex = sorted.indexOf(ourName);
      if (ourIndex < 0) throw ourNodeMissing(ourName);
      const holds = ourIndex < maxLeases;
      return holds ? { holds } : { holds, watch: sorted[ourIndex - maxLeases] };
    },
  };
}
