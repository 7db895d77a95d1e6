/**
 * The storage engine: ZooKeeper's FileTxnSnapLog (a {@link TxnLog}, a
 * {@link SnapshotStore} and the epoch files) over a {@link StorageFs}, so the
 * same code runs on disk, in memory, and under injected faults.
 *
 * Layout: `<dataLogDir>/version-2/log.<hex zxid>` (dataLogDir defaults to
 * dataDir), `<dataDir>/version-2/snapshot.<hex zxid>`, and
 * `<dataDir>/version-2/{acceptedEpoch,currentEpoch}`.
 * @module
 */
import { assert } from '../util/assert.js';
import { LOG_PREFIX, VERSION_DIR, filesWithPrefix, type EpochName } from './file-names.js';
import { readEpochFile, writeEpochFile } from './epoch-file.js';
import { planPurge } from './purge.js';
import type { LoadedSnapshot, SnapshotContents } from './snapshot-format.js';
import { SnapshotStore } from './snapshot-store.js';
import { StorageError, isStorageError } from './storage-error.js';
import { joinPath, nodeStorageFs, type StorageFs } from './storage-fs.js';
import type { LogRecord, OpenReport, PurgeResult, RestoredSnapshot, SnapshotInfo, Storage, StorageStats } from './storage.js';
import { TxnLog, toStorageError } from './txn-log.js';
import { isNextZxid } from './zxid.js';

/** Settings of a {@link FileStorage}. Names follow zoo.cfg and ZooKeeper's system properties. */
export interface FileStorageOptions {
  /** `dataDir`: snapshots and epoch files (and the log, unless `dataLogDir` is set). */
  dataDir: string;
  /** `dataLogDir`: the transaction log, ideally on its own device. Default: `dataDir`. */
  dataLogDir?: string;
  /** `forceSync`: fdatasync the log before a sync resolves. Default true; false trades durability for speed. */
  forceSync?: boolean;
  /** Size at which the log rolls over to a new file (`zookeeper.txnLogSizeLimitInKb`). Default 64 MiB. */
  txnLogSizeLimitBytes?: number;
  /**
   * Grow log files in steps of this many bytes (`preAllocSize`), so most
   * fdatasyncs need not update the file size. 0 disables it. Default 0: on
   * the disks measured it did not pay (see bench/storage-throughput.mjs), and
   * in memory it would cost real memory.
   */
  preAllocSizeBytes?: number;
  /** Largest record accepted; bigger lengths read back as corruption. Default 64 MiB. */
  maxRecordBytes?: number;
  /** Database id written in file headers. Default 0, as ZooKeeper's. */
  dbId?: bigint;
  /** The file system. Default: the real one. */
  fs?: StorageFs;
  /** Told about repairs and skipped corrupt snapshots. Default: ignored (see `openReport`). */
  onWarning?: (message: string) => void;
}

const MIB = 1024 * 1024;

/** The storage engine; see the module comment. Open with {@link FileStorage.open}. */
export class FileStorage implements Storage {
  /** What opening found and repaired. */
  readonly openReport: OpenReport = { truncatedTail: null, removedEmptyLogs: [], removedTempFiles: [] };
  /** Counters. */
  readonly stats: StorageStats = {
    appends: 0,
    syncCalls: 0,
    flushes: 0,
    logFsyncs: 0,
    logBytesWritten: 0,
    logFsyncTotalMs: 0,
    logFsyncMaxMs: 0,
    snapshotsWritten: 0,
  };
  /** `<dataDir>/version-2`: snapshots and epoch files. */
  readonly snapDir: string;
  /** `<dataLogDir>/version-2`: the transaction log. */
  readonly logDir: string;
  private readonly fs: StorageFs;
  private readonly roots: string[];
  private readonly forceSync: boolean;
  private readonly log: TxnLog;
  private readonly snapshots: SnapshotStore;
  /** Serializes maintenance (truncate, purge, epoch writes). */
  private maintenance: Promise<unknown> = Promise.resolve();

  protected constructor(options: FileStorageOptions) {
    this.fs = options.fs ?? nodeStorageFs;
    const dataLogDir = options.dataLogDir ?? options.dataDir;
    this.roots = [...new Set([options.dataDir, dataLogDir])];
    this.snapDir = joinPath(options.dataDir, VERSION_DIR);
    this.logDir = joinPath(dataLogDir, VERSION_DIR);
    this.forceSync = options.forceSync ?? true;
    const warn = options.onWarning ?? (() => {});
    const dbId = options.dbId ?? 0n;
    this.log = new TxnLog(
      this.fs,
      this.logDir,
      {
        forceSync: this.forceSync,
        sizeLimitBytes: options.txnLogSizeLimitBytes ?? 64 * MIB,
        preAllocBytes: options.preAllocSizeBytes ?? 0,
        maxRecordBytes: options.maxRecordBytes ?? 64 * MIB,
        dbId,
        warn,
      },
      this.stats,
    );
    this.snapshots = new SnapshotStore(this.fs, this.snapDir, { forceSync: this.forceSync, dbId, warn });
  }

  /**
   * Opens (creating if needed) the storage under `dataDir`: removes leftover
   * temp files and cuts a torn tail off the newest log file. Damage that is
   * not a torn tail throws a `CORRUPT_LOG` StorageError; I/O errors throw `IO_FAILED`.
   */
  static async open(options: FileStorageOptions): Promise<FileStorage> {
    const storage = new FileStorage(options);
    await storage.init();
    return storage;
  }

  protected async init(): Promise<void> {
    try {
      for (const root of this.roots) {
        await this.fs.mkdirp(joinPath(root, VERSION_DIR));
        // The version-2 entry itself must survive a crash, or every file in it goes with it.
        if (this.forceSync) await this.fs.syncDir(root);
      }
      this.openReport.removedTempFiles.push(...(await this.snapshots.removeTempFiles()));
      await this.log.open(this.openReport);
    } catch (error) {
      throw toStorageError('opening the storage', error);
    }
  }

  /** The zxid of the last appended record (durable or not); 0 for an empty log. */
  get lastLoggedZxid(): number {
    return this.log.lastLoggedZxid;
  }

  /** The zxid of the last record made durable by a completed sync; 0 if none. */
  get lastSyncedZxid(): number {
    return this.log.lastSyncedZxid;
  }

  append(zxid: number, bytes: Uint8Array): void {
    this.log.append(zxid, bytes);
  }

  sync(): Promise<void> {
    return this.log.sync();
  }

  rollLog(): void {
    this.log.rollLog();
  }

  readRecords(afterZxid: number): AsyncIterable<LogRecord> {
    return this.log.readRecords(afterZxid);
  }

  truncateAfter(zxid: number): Promise<void> {
    return this.exclusive(async () => {
      this.log.checkUsable();
      await this.checkTruncatable(zxid);
      await this.log.truncateAfter(zxid);
      // Snapshots above zxid go last: a crash before this leaves a snapshot past the cut log, which is
      // still a prefix of the old history, and truncating again finishes the job.
      const above = (await this.snapshots.list()).filter((s) => s.zxid > zxid);
      try {
        await this.snapshots.remove(above, true);
      } catch (error) {
        const failure = toStorageError('truncate', error);
        this.log.fail(failure);
        throw failure;
      }
    });
  }

  /**
   * Refuses a truncation that would leave no way to rebuild the state at
   * `zxid`: every snapshot above it goes, so the newest one at or below it (or
   * the empty tree at 0) must be followed by gap-free log records up to
   * `zxid`. A purge, or an earlier truncation cut short by a crash (which can
   * leave a snapshot past the end of the log), may have removed them;
   * ZooKeeper fails such a truncation too ("No log files found to truncate").
   * Reads the log from that snapshot on. Nothing is changed when it throws.
   */
  private async checkTruncatable(zxid: number): Promise<void> {
    const snapshots = await this.snapshots.list();
    const newestSnapshot = snapshots.length === 0 ? 0 : snapshots[snapshots.length - 1]!.zxid;
    if (zxid >= this.log.lastLoggedZxid && zxid >= newestSnapshot) return;
    const below = snapshots.filter((s) => s.zxid <= zxid);
    const base = below.length === 0 ? 0 : below[below.length - 1]!.zxid;
    if (base === zxid) return;
    // The log must run without a gap from the base to zxid, or to a record past zxid that continues it;
    // if it ends first, no snapshot may hold history beyond it.
    await this.log.sync();
    let previous = base;
    let complete = false;
    let ended = true;
    for await (const record of this.log.readRecords(base)) {
      ended = false;
      const continues = isNextZxid(previous, record.zxid);
      if (record.zxid > zxid) {
        complete = continues;
        break;
      }
      if (!continues) break;
      previous = record.zxid;
      if (previous === zxid) {
        complete = true;
        break;
      }
      ended = true;
    }
    if (ended) complete = newestSnapshot <= previous;
    if (!complete) {
      throw new StorageError('LOG_GAP', `cannot truncate after 0x${zxid.toString(16)}: the log does not hold the transactions after 0x${previous.toString(16)}`);
    }
  }

  async listLogs(): Promise<string[]> {
    this.log.checkUsable();
    return this.log.fileNames;
  }

  writeSnapshot(zxid: number, contents: SnapshotContents): Promise<SnapshotInfo> {
    this.log.checkUsable();
    assert(Number.isSafeInteger(zxid) && zxid >= 0, `snapshot zxid ${zxid}`);
    // As ZooKeeper: the log rolls with every snapshot, so purging can drop whole files.
    this.log.rollLog();
    return this.snapshots.write(zxid, contents).then((info) => {
      this.stats.snapshotsWritten++;
      return info;
    });
  }

  loadSnapshot<T>(restore: (snapshot: LoadedSnapshot) => Promise<T>): Promise<RestoredSnapshot<T> | null> {
    this.log.checkUsable();
    return this.snapshots.load(restore);
  }

  async listSnapshots(): Promise<number[]> {
    this.log.checkUsable();
    return (await this.snapshots.list()).map((f) => f.zxid).reverse();
  }

  readEpoch(name: EpochName): Promise<number | null> {
    this.log.checkUsable();
    return readEpochFile(this.fs, this.snapDir, name);
  }

  writeEpoch(name: EpochName, epoch: number): Promise<void> {
    assert(Number.isSafeInteger(epoch) && epoch >= 0, `epoch ${epoch}`);
    return this.exclusive(async () => {
      this.log.checkUsable();
      await writeEpochFile(this.fs, this.snapDir, name, epoch);
    });
  }

  purge(snapRetainCount: number): Promise<PurgeResult> {
    return this.exclusive(async () => {
      this.log.checkUsable();
      const plan = planPurge(await this.snapshots.list(), filesWithPrefix(await this.fs.list(this.logDir), LOG_PREFIX), snapRetainCount);
      await this.snapshots.remove(plan.snapshots, false);
      // A file this process still writes to is never deleted.
      const logs = plan.logs.filter((f) => !this.log.isOpen(f.name));
      for (const file of logs) await this.fs.remove(joinPath(this.logDir, file.name));
      this.log.forget(new Set(logs.map((f) => f.name)));
      return { deletedSnapshots: plan.snapshots.map((f) => f.name), deletedLogs: logs.map((f) => f.name) };
    });
  }

  /** Syncs what was appended, waits for snapshot writes, then releases files. Further calls fail with `CLOSED`. */
  async close(): Promise<void> {
    if (isStorageError(this.log.failure, 'CLOSED')) return;
    try {
      await this.snapshots.drain();
      await this.maintenance;
    } finally {
      try {
        await this.log.close();
      } finally {
        this.log.fail(new StorageError('CLOSED', 'storage is closed'));
      }
    }
  }

  /**
   * Makes this instance unusable at once, as if its process died: pending
   * syncs reject, nothing more is written. For the simulated crashes of the
   * in-memory storages.
   */
  protected abandon(): void {
    this.log.fail(new StorageError('CLOSED', 'storage crashed'));
  }

  /** Runs `fn` after every earlier maintenance task. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.maintenance.then(fn);
    this.maintenance = run.catch(() => {});
    return run;
  }
}
