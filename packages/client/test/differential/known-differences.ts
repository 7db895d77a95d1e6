/**
 * Differences between zkts and the Apache ZooKeeper 3.8.0 server under test. The run steps
 * around each entry (ops are not generated, or a field is masked) and prints it. The two
 * entries below are intended: zkts keeps ZooKeeper 3.9's fixes of 3.8 watch bugs
 * (ZOOKEEPER-4466, ZOOKEEPER-4471). A new difference is a bug to fix, not an entry to add;
 * the test "only the documented intended differences remain" enforces that.
 * @module
 */
import type { DiffOp, PathRef } from './diff-op.js';
import type { StepRecord } from './diff-target.js';

/** One open difference and how the run steps around it. */
export interface KnownDifference {
  /** Short name, printed with every run. */
  readonly id: string;
  /** What differs, and a reproduction. */
  readonly description: string;
  /** Ops the generator must not produce while the difference stands. */
  readonly excludes?: (op: DiffOp) => boolean;
  /**
   * Ops to skip when they are about to run, for differences that depend on what a path
   * resolves to. Both targets resolve alike, so both skip alike.
   */
  readonly skipsAt?: (op: DiffOp, resolvedPath: string, root: string) => boolean;
  /** Rewrites a step record of either target before comparison, masking the difference. */
  readonly mask?: (record: StepRecord) => StepRecord;
}

/**
 * `ZKTS_DIFF_IGNORE_KNOWN=1` runs without the work-arounds, to check whether a fix landed.
 */
const ignoreKnown = process.env.ZKTS_DIFF_IGNORE_KNOWN === '1';

/** The open differences. */
export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: 'watch-modes-per-path',
    description:
      'ZooKeeper 3.8 keeps one watch mode per (session, path) in each watch table (WatcherModeManager maps the pair to a single ' +
      'mode; ZOOKEEPER-4466 lifted this in 3.9), so adding a watch of another mode replaces the first. zkts keeps both (3.9 behaviour). ' +
      'Repro 1: s.addWatch(/a, w1, PERSISTENT_RECURSIVE); s.exists(/a, w2); t.setData(/a); t.create(/a/k): Apache notifies s of ' +
      'NodeDataChanged /a only (the standard watch replaced the recursive one and was consumed), zkts also of NodeCreated /a/k. ' +
      'Repro 2: s.addWatch(/b, PERSISTENT); s.addWatch(/b, PERSISTENT_RECURSIVE); t.create(/b/k): Apache sends NodeCreated /b/k only, ' +
      'zkts also NodeChildrenChanged /b. In the run: ZKTS_DIFF_IGNORE_KNOWN=1 ZKTS_DIFF_SEED=158 (op #52) or =50 (op #88). ' +
      'Worked around by putting persistent watches only on the root, one mode per session slot (slot 0 recursive, slot 1 persistent), ' +
      'and standard watches never on the root.',
    excludes: (op) =>
      (op.type === 'addWatch' && (!isRoot(op.path) || op.mode !== (op.session === 0 ? 'PERSISTENT_RECURSIVE' : 'PERSISTENT'))) ||
      (isStandardWatch(op) && isRoot(op.path)),
  },
  {
    id: 'remove-watches-partial',
    description:
      'ZooKeeper 3.8 removeWatches (OpCode 18, removeAllWatches) of type Data or Children also strips the data or child part of the ' +
      "session's PERSISTENT / PERSISTENT_RECURSIVE watch on the path (ZOOKEEPER-4471 stopped this in 3.9). The client still reports " +
      'NO_WATCHER (it has no one-shot watcher of that type) but on Apache the persistent watch stops firing; zkts leaves it alone. ' +
      'Repro: s.addWatch(/d, PERSISTENT_RECURSIVE); s.removeAllWatches(/d, Data) -> NO_WATCHER on both; t.create(/d/k): ' +
      'zkts notifies s of NodeCreated /d/k, Apache does not. Worked around by skipping Data/Children removals on the root.',
    skipsAt: (op, resolvedPath, root) =>
      op.type === 'removeAllWatches' && (op.watcherType === 'Data' || op.watcherType === 'Children') && resolvedPath === root,
  },
];

/** True if some open difference excludes `op` or, for a partition, one of the ops it runs. */
export function isExcluded(op: DiffOp, known: readonly KnownDifference[] = ignoreKnown ? [] : KNOWN_DIFFERENCES): boolean {
  if (op.type === 'partition' && op.during.some((sub) => isExcluded(sub, known))) return true;
  return known.some((difference) => difference.excludes?.(op) === true);
}

/** The id of an open difference that skips `op` on `resolvedPath`, if any. */
export function skippedAt(op: DiffOp, resolvedPath: string, root: string, known: readonly KnownDifference[] = ignoreKnown ? [] : KNOWN_DIFFERENCES): string | undefined {
  return known.find((difference) => difference.skipsAt?.(op, resolvedPath, root) === true)?.id;
}

/** Applies every open difference's mask. */
export function maskKnown(record: StepRecord, known: readonly KnownDifference[] = ignoreKnown ? [] : KNOWN_DIFFERENCES): StepRecord {
  return known.reduce((masked, difference) => difference.mask?.(masked) ?? masked, record);
}

function isRoot(path: PathRef): boolean {
  return path.kind === 'fixed' && path.rel === '';
}

/** Ops that set a one-shot watch. */
function isStandardWatch(op: DiffOp): op is DiffOp & { path: PathRef } {
  return (op.type === 'exists' || op.type === 'getData' || op.type === 'getChildren') && op.watch;
}
