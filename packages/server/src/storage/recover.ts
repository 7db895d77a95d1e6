/**
 * Rebuilding the database at start-up, as ZooKeeper's FileTxnSnapLog.restore:
 * load the newest valid snapshot, then replay the log records after it.
 *
 * The storage knows nothing of the tree: the caller builds its state from the
 * snapshot's node stream and applies each replayed transaction. With
 * `ZkDatabase` that is (a sketch, the database needs a way to adopt a restored tree):
 *
 * ```ts
 * const { state: db } = await recoverDatabase(storage, {
 *   initial: () => new ZkDatabase(options),
 *   fromSnapshot: async (snap) => ZkDatabase.restore(await DataTree.fromAsyncNodes(snap.nodes, treeOptions), snap.sessions, snap.zxid),
 *   apply: (db, txn) => void db.apply(txn),
 * });
 * ```
 *
 * Sessions. Snapshots keep every live session's id and timeout, and replayed
 * createSession / closeSession transactions update that table, so after
 * recovery the database holds the sessions that were live at the crash, and
 * their ephemeral nodes. Do not delete those ephemerals at start-up: do as
 * ZooKeeper does (ZooKeeperServer.loadData / the new leader's SessionTracker):
 * register every recovered session with the session tracker as if it had just
 * been touched, with its own timeout. A client that reconnects within that
 * time keeps its session and its ephemerals; otherwise the tracker expires the
 * session and the server submits a closeSession transaction for it, which
 * removes its ephemerals through the ordinary, replicated path (with watch
 * notifications). In an ensemble only the leader expires sessions, so this is
 * done when a server becomes leader, not on every server's start.
 * @module
 */
import type { Txn } from '../replication/replicator.js';
import type { LoadedSnapshot } from './snapshot-format.js';
import { StorageError } from './storage-error.js';
import type { Storage } from './storage.js';
import { TxnCodecError, decodeTxn } from './txn-codec.js';
import { isNextZxid } from './zxid.js';

export { isNextZxid } from './zxid.js';

/** How {@link recoverDatabase} builds and advances the caller's state `S`. */
export interface RecoverOptions<S> {
  /** The state of a new server (no snapshot at all): an empty tree, no sessions. */
  initial(): S;
  /** Builds the state from a snapshot (tree from `nodes`, then `sessions`, at `zxid`). */
  fromSnapshot(snapshot: LoadedSnapshot): Promise<S>;
  /** Applies one transaction from the log, in zxid order. */
  apply(state: S, txn: Txn): void;
  /**
   * Replays only transactions up to this zxid; later ones stay in the log
   * (for a server that knows what was committed). Default: all of them.
   */
  maxZxid?: number;
  /**
   * Fails with `LOG_GAP` when a transaction is missing: each replayed zxid must
   * be the previous one plus 1, or the first (counter 1) of a later epoch.
   * Default true. Without it, a log purged past the snapshot in use, or an older
   * snapshot picked after the newest turned out corrupt, would silently skip writes.
   */
  requireContiguousZxids?: boolean;
}

/** What {@link recoverDatabase} rebuilt. */
export interface RecoveredDatabase<S> {
  /** The caller's state, with every replayed transaction applied. */
  state: S;
  /** Zxid of the snapshot used, 0 when none. */
  snapshotZxid: number;
  /** The snapshot file used, null when none. */
  snapshotFile: string | null;
  /** Newer snapshots skipped as corrupt. */
  skippedSnapshots: string[];
  /** Zxid of the last transaction applied (the snapshot's when none was replayed). */
  lastZxid: number;
  /** Transactions replayed after the snapshot; ZooKeeper takes a fresh snapshot at start-up when there were any. */
  txnsAfterSnapshot: number;
}

/**
 * Loads the newest valid snapshot and replays the log after it. The storage
 * has already cut a torn log tail when it was opened; damage anywhere else,
 * missing transactions, or undecodable records throw a StorageError.
 */
export async function recoverDatabase<S>(storage: Storage, options: RecoverOptions<S>): Promise<RecoveredDatabase<S>> {
  const restored = await storage.loadSnapshot((snapshot) => options.fromSnapshot(snapshot));
  const state = restored === null ? options.initial() : restored.value;
  const snapshotZxid = restored?.zxid ?? 0;
  const maxZxid = options.maxZxid ?? Number.MAX_SAFE_INTEGER;
  const contiguous = options.requireContiguousZxids ?? true;
  let lastZxid = snapshotZxid;
  let txnsAfterSnapshot = 0;
  for await (const record of storage.readRecords(snapshotZxid)) {
    if (record.zxid > maxZxid) break;
    if (contiguous && !isNextZxid(lastZxid, record.zxid)) {
      const what = restored === null ? 'no snapshot' : `snapshot ${restored.fileName}`;
      throw new StorageError('LOG_GAP', `transaction 0x${record.zxid.toString(16)} follows 0x${lastZxid.toString(16)} (${what}): transactions are missing`);
    }
    let txn: Txn;
    try {
      txn = decodeTxn(record.bytes);
    } catch (error) {
      if (!(error instanceof TxnCodecError)) throw error;
      throw new StorageError('CORRUPT_LOG', `record 0x${record.zxid.toString(16)} is not a transaction: ${error.message}`, { cause: error });
    }
    if (txn.zxid !== record.zxid) {
      throw new StorageError('CORRUPT_LOG', `record 0x${record.zxid.toString(16)} holds transaction 0x${txn.zxid.toString(16)}`);
    }
    options.apply(state, txn);
    lastZxid = record.zxid;
    txnsAfterSnapshot++;
  }
  return {
    state,
    snapshotZxid,
    snapshotFile: restored?.fileName ?? null,
    skippedSnapshots: restored?.skipped ?? [],
    lastZxid,
    txnsAfterSnapshot,
  };
}
