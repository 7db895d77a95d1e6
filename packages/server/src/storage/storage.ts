/**
 * The durable storage of a server: the transaction log, snapshots and epoch
 * files, as one interface with interchangeable backends (the disk, memory for
 * the simulator, memory with injected faults).
 * @module
 */
import type { EpochName } from './file-names.js';
import type { LoadedSnapshot, SnapshotContents } from './snapshot-format.js';

export type { EpochName } from './file-names.js';
export type { LoadedSnapshot, SnapshotContents } from './snapshot-format.js';

/** One log record: a transaction's zxid and its encoded bytes (see `txn-codec.ts`). */
export interface LogRecord {
  zxid: number;
  /** The record's own copy of the bytes. */
  bytes: Uint8Array;
}

/** A snapshot that has been written. */
export interface SnapshotInfo {
  zxid: number;
  /** The file's name in the snapshot directory. */
  fileName: string;
  nodeCount: number;
  sessionCount: number;
  bytes: number;
}

/** What {@link Storage.loadSnapshot} restored. */
export interface RestoredSnapshot<T> {
  zxid: number;
  fileName: string;
  /** What the restore callback built from the snapshot. */
  value: T;
  /** Newer snapshots that were skipped as corrupt, newest first. */
  skipped: string[];
}

/** What {@link Storage.purge} deleted. */
export interface PurgeResult {
  deletedSnapshots: string[];
  deletedLogs: string[];
}

/** What opening the storage found and repaired. */
export interface OpenReport {
  /** The torn tail cut from the newest log file, if there was one. */
  truncatedTail: { fileName: string; offset: number; droppedBytes: number; reason: string } | null;
  /** Log files removed because they held no complete record (a crash right after creating them). */
  removedEmptyLogs: string[];
  /** Leftover temporary files (an interrupted snapshot or epoch write) that were removed. */
  removedTempFiles: string[];
}

/** Counters for monitoring and for tests of group commit. */
export interface StorageStats {
  /** Records appended. */
  appends: number;
  /** Calls of `sync()`. */
  syncCalls: number;
  /** Group commits: rounds of write + fsync that covered one or more `sync()` calls. */
  flushes: number;
  /** fdatasync calls on log files. */
  logFsyncs: number;
  /** Bytes written to log files. */
  logBytesWritten: number;
  /** Total and largest time spent in log fdatasync, ms. */
  logFsyncTotalMs: number;
  logFsyncMaxMs: number;
  /** Snapshots written. */
  snapshotsWritten: number;
}

/**
 * Durable storage, following ZooKeeper's FileTxnSnapLog: an append-only
 * transaction log in files rolled over by size, snapshots named by zxid, and
 * the two epoch files of the quorum protocol.
 *
 * Appends are buffered in memory and become durable together at the next
 * {@link sync} (group commit). After an I/O failure the storage refuses all
 * further work with an `IO_FAILED` StorageError: the server must restart and
 * recover from what is on disk.
 */
export interface Storage {
  /** The zxid of the last appended record (durable or not); 0 for an empty log. */
  readonly lastLoggedZxid: number;
  /** The zxid of the last record made durable by a completed sync; 0 if none. */
  readonly lastSyncedZxid: number;
  /** What opening found and repaired. */
  readonly openReport: OpenReport;
  /** Counters. */
  readonly stats: StorageStats;

  /**
   * Appends a record. `zxid` must exceed every zxid appended before. Not
   * durable until a later {@link sync} resolves; `bytes` is copied.
   */
  append(zxid: number, bytes: Uint8Array): void;

  /**
   * Resolves once every record appended before the call is durable (written
   * and fdatasync-ed, unless `forceSync` is off). Concurrent callers share one
   * fsync: while one is in flight, later callers wait for the next, which
   * covers all of them.
   */
  sync(): Promise<void>;

  /** Starts a new log file with the next append (ZooKeeper rolls the log at every snapshot). */
  rollLog(): void;

  /**
   * Removes every record with a zxid above `zxid`, and every snapshot above it
   * (they would contain the removed transactions), durably. Used when a
   * follower's log has a tail the new leader never committed (ZAB's TRUNC).
   * Throws `LOG_GAP`, changing nothing, when the state at `zxid` could not be
   * rebuilt afterwards (the log no longer holds what follows the newest
   * snapshot at or below it). A crash part way leaves a consistent, longer
   * history; truncating again finishes the job.
   */
  truncateAfter(zxid: number): Promise<void>;

  /**
   * The durable records with a zxid above `afterZxid`, in order. Damage
   * anywhere (the torn tail was already cut at open) throws a `CORRUPT_LOG` StorageError.
   */
  readRecords(afterZxid: number): AsyncIterable<LogRecord>;

  /**
   * Writes a snapshot of the state at `zxid`, streamed to a temporary file,
   * fsynced, renamed into place and the directory fsynced, without holding up
   * appends or syncs. Snapshots are written one at a time (calls queue).
   */
  writeSnapshot(zxid: number, contents: SnapshotContents): Promise<SnapshotInfo>;

  /**
   * Restores from the newest valid snapshot: `restore` receives it as a stream
   * and builds the state. If the snapshot turns out to be corrupt, even after
   * `restore` has consumed part of it, the result is dropped and the next older
   * snapshot is tried. Returns null when there is no snapshot at all; throws
   * `NO_VALID_SNAPSHOT` when there are snapshots but none is readable.
   */
  loadSnapshot<T>(restore: (snapshot: LoadedSnapshot) => Promise<T>): Promise<RestoredSnapshot<T> | null>;

  /** Zxids of the snapshot files present, newest first (valid or not). */
  listSnapshots(): Promise<number[]>;

  /** Names of the log files present, oldest first. */
  listLogs(): Promise<string[]>;

  /** Reads an epoch file; null if it does not exist. */
  readEpoch(name: EpochName): Promise<number | null>;

  /** Writes an epoch file atomically and durably (temp file, fsync, rename, directory fsync). */
  writeEpoch(name: EpochName, epoch: number): Promise<void>;

  /**
   * Deletes old snapshots and logs, keeping the `snapRetainCount` newest
   * snapshots (at least 3) and the log files needed to replay from the oldest
   * kept one, as ZooKeeper's PurgeTxnLog.
   */
  purge(snapRetainCount: number): Promise<PurgeResult>;

  /** Syncs what was appended, then releases files. Further calls fail with `CLOSED`. */
  close(): Promise<void>;
}
