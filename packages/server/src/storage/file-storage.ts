/**
 * The storage engine: ZooKeeper's FileTxnSnapLog design (FileTxnLog for the
 * log, FileSnap for snapshots, `writeLongToFile` for epochs) over a
 * {@link StorageFs}, so the same code runs on disk, in memory, and under
 * injected faults.
 *
 * Layout: `<dataLogDir>/version-2/log.<hex zxid>` (dataLogDir defaults to
 * dataDir), `<dataDir>/version-2/snapshot.<hex zxid>`, and
 * `<dataDir>/version-2/{acceptedEpoch,currentEpoch}`.
 *
 * Durability rules the code keeps:
 * - A sync round writes the log files in order and fdatasyncs each before the
 *   next is written, and fsyncs the directory after creating a file, so after
 *   a crash only the newest file can have a torn tail; open() cuts that tail.
 * - A snapshot or epoch file is complete and durable before its name appears
 *   (temp file, fsync, rename, directory fsync).
 * - After any log I/O error the storage refuses further work (`IO_FAILED`):
 *   after a failed fsync the page cache may hold data the disk lost, and
 *   retrying could acknowledge writes that a crash then takes away.
 * @module
 */
import { assert } from '../util/assert.js';
import {
  LOG_PREFIX,
  SNAPSHOT_PREFIX,
  TEMP_SUFFIX,
  VERSION_DIR,
  filesWithPrefix,
  logFilesAfter,
  makeFileName,
  type EpochName,
  type ZxidFile,
} from './file-names.js';
import { LOG_HEADER_BYTES, LogFileCursor, encodeLogHeader, encodeLogRecord, isTornHeader } from './log-format.js';
import { planPurge } from './purge.js';
import { SnapshotReader, encodeSnapshot, type LoadedSnapshot, type SnapshotContents, type SnapshotCounts } from './snapshot-format.js';
import { StorageError, isStorageError } from './storage-error.js';
import { isNotFound, joinPath, nodeStorageFs, type ReadableFile, type StorageFs, type WritableFile } from './storage-fs.js';
import type { LogRecord, OpenReport, PurgeResult, RestoredSnapshot, SnapshotInfo, Storage, StorageStats } from './storage.js';

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
   * fdatasyncs need not update the file size. 0 disables it. Default 0.
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

/** Appended bytes beyond which a write starts even if nobody has asked for a sync, bounding memory. */
const FLUSH_THRESHOLD_BYTES = 4 * MIB;

/** A log file this process writes to (or wrote to and has not closed yet). */
class OpenLog {
  handle: WritableFile | null = null;
  /** Header plus every frame appended, written or not. */
  plannedBytes = 0;
  /** Bytes in the file. */
  writtenBytes = 0;
  /** Bytes covered by a completed sync round: what readers may read. */
  durableBytes = 0;
  /** File length after preallocation. */
  allocatedBytes = 0;
  records = 0;
  /** The directory entry has been synced. */
  created = false;
  /** No more appends go here. */
  retired = false;

  constructor(
    readonly name: string,
    readonly path: string,
  ) {}
}

/** Appended frames for one file, waiting for the next sync round. */
interface Segment {
  log: OpenLog;
  chunks: Uint8Array[];
  bytes: number;
}

interface SyncWaiter {
  seq: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The storage engine; see the module comment. Open with {@link FileStorage.open}. */
export class FileStorage implements Storage {
  readonly openReport: OpenReport = { truncatedTail: null, removedEmptyLogs: [], removedTempFiles: [] };
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

  /** `<dataDir>/version-2`. */
  readonly snapDir: string;
  /** `<dataLogDir>/version-2`. */
  readonly logDir: string;
  protected readonly fs: StorageFs;
  private readonly dataDir: string;
  private readonly dataLogDir: string;
  private readonly forceSync: boolean;
  private readonly sizeLimitBytes: number;
  private readonly preAllocBytes: number;
  private readonly maxRecordBytes: number;
  private readonly dbId: bigint;
  private readonly warn: (message: string) => void;

  private loggedZxid = 0;
  private syncedZxid = 0;
  /** Every log file, oldest first (including the one being written). */
  private logs: ZxidFile[] = [];
  /** Files this process has open for writing, by name. */
  private readonly writing = new Map<string, OpenLog>();
  private active: OpenLog | null = null;
  private pending: Segment[] = [];
  private pendingBytes = 0;
  /** Records appended so far, and how many of them a completed round made durable. */
  private appendSeq = 0;
  private durableSeq = 0;
  private waiters: SyncWaiter[] = [];
  private flushRunning = false;
  private idleWaiters: (() => void)[] = [];
  private failure: StorageError | null = null;
  private truncating = false;
  /** Serializes maintenance (truncate, purge, epoch writes). */
  private maintenance: Promise<unknown> = Promise.resolve();
  /** Serializes snapshot writes. */
  private snapshots: Promise<unknown> = Promise.resolve();

  protected constructor(options: FileStorageOptions) {
    this.fs = options.fs ?? nodeStorageFs;
    this.dataDir = options.dataDir;
    this.dataLogDir = options.dataLogDir ?? options.dataDir;
    this.snapDir = joinPath(this.dataDir, VERSION_DIR);
    this.logDir = joinPath(this.dataLogDir, VERSION_DIR);
    this.forceSync = options.forceSync ?? true;
    this.sizeLimitBytes = options.txnLogSizeLimitBytes ?? 64 * MIB;
    this.preAllocBytes = options.preAllocSizeBytes ?? 0;
    this.maxRecordBytes = options.maxRecordBytes ?? 64 * MIB;
    this.dbId = options.dbId ?? 0n;
    this.warn = options.onWarning ?? (() => {});
    assert(this.sizeLimitBytes > LOG_HEADER_BYTES, 'txnLogSizeLimitBytes too small');
    assert(this.preAllocBytes >= 0, 'preAllocSizeBytes must not be negative');
  }

  /** The zxid of the last appended record (durable or not); 0 for an empty log. */
  get lastLoggedZxid(): number {
    return this.loggedZxid;
  }

  /** The zxid of the last record made durable by a completed sync; 0 if none. */
  get lastSyncedZxid(): number {
    return this.syncedZxid;
  }

  /**
   * Opens (creating if needed) the storage under `dataDir`: removes leftover
   * temp files and cuts a torn tail off the newest log file. Damage that is
   * not a torn tail throws a `CORRUPT_LOG` StorageError.
   */
  static async open(options: FileStorageOptions): Promise<FileStorage> {
    const storage = new FileStorage(options);
    await storage.init();
    return storage;
  }

  protected async init(): Promise<void> {
    try {
      await this.initFiles();
    } catch (error) {
      if (error instanceof StorageError) throw error;
      throw new StorageError('IO_FAILED', `opening the storage failed: ${describe(error)}`, { cause: error });
    }
  }

  private async initFiles(): Promise<void> {
    for (const [root, dir] of new Map([
      [this.dataDir, this.snapDir],
      [this.dataLogDir, this.logDir],
    ])) {
      await this.fs.mkdirp(dir);
      // The version-2 entry itself must survive a crash, or every file in it goes with it.
      if (this.forceSync) await this.fs.syncDir(root);
    }
    for (const name of await this.fs.list(this.snapDir)) {
      if (!name.endsWith(TEMP_SUFFIX)) continue;
      await this.fs.remove(joinPath(this.snapDir, name));
      this.openReport.removedTempFiles.push(name);
    }
    this.logs = filesWithPrefix(await this.fs.list(this.logDir), LOG_PREFIX);
    await this.repairTail();
  }

  /** Finds the end of the log: cuts a torn tail, drops files without a complete record. */
  private async repairTail(): Promise<void> {
    let removed = false;
    while (this.logs.length > 0) {
      const file = this.logs[this.logs.length - 1]!;
      const path = joinPath(this.logDir, file.name);
      const bytes = await this.fs.readFile(path);
      const cursor = new LogFileCursor(bytes, this.maxRecordBytes);
      while (cursor.next() !== null) {
        // Reading to the end validates every record.
      }
      const invalid = cursor.invalid;
      if (cursor.header === null && !isTornHeader(bytes)) {
        // Not a header cut short by a crash: a foreign file (say, ZooKeeper's own log) or damage. Never delete it.
        throw new StorageError('CORRUPT_LOG', 'not a zkts transaction log (bad header)', { file: path, offset: 0 });
      }
      if (invalid !== null) {
        const from = Math.max(invalid.offset, LOG_HEADER_BYTES - 1);
        if (invalid.intact || cursor.hasRecordAfter(from, cursor.lastZxid)) {
          throw new StorageError('CORRUPT_LOG', `${invalid.reason}, and valid records follow: refusing to drop them`, {
            file: path,
            offset: invalid.offset,
          });
        }
      }
      if (cursor.count === 0) {
        await this.fs.remove(path);
        this.logs.pop();
        this.openReport.removedEmptyLogs.push(file.name);
        this.warn(`removed log file ${file.name}: it holds no complete record`);
        removed = true;
        continue;
      }
      if (cursor.firstZxid !== file.zxid) {
        throw new StorageError('CORRUPT_LOG', `first record has zxid 0x${cursor.firstZxid.toString(16)}, not the one in the file name`, {
          file: path,
          offset: LOG_HEADER_BYTES,
        });
      }
      if (invalid !== null) {
        const handle = await this.fs.openWrite(path, { truncate: false });
        try {
          await handle.truncate(invalid.offset);
          await handle.datasync();
        } finally {
          await handle.close();
        }
        this.openReport.truncatedTail = { fileName: file.name, offset: invalid.offset, droppedBytes: bytes.length - invalid.offset, reason: invalid.reason };
        this.warn(`truncated the torn tail of ${file.name} at offset ${invalid.offset} (${invalid.reason})`);
      }
      this.loggedZxid = cursor.lastZxid;
      this.syncedZxid = cursor.lastZxid;
      break;
    }
    if (removed) await this.fs.syncDir(this.logDir);
  }

  // ------------------------------------------------------------------ log

  append(zxid: number, bytes: Uint8Array): void {
    this.checkUsable();
    assert(!this.truncating, 'append during truncateAfter');
    assert(Number.isSafeInteger(zxid) && zxid > this.lastLoggedZxid, `append of zxid ${zxid} after ${this.lastLoggedZxid}`);
    assert(bytes.length <= this.maxRecordBytes, `record of ${bytes.length} bytes exceeds maxRecordBytes`);
    const frame = encodeLogRecord(zxid, bytes);
    let log = this.active;
    if (log !== null && log.records > 0 && log.plannedBytes + frame.length > this.sizeLimitBytes) {
      this.retire(log);
      log = null;
    }
    if (log === null) log = this.startLog(zxid);
    let segment = this.pending[this.pending.length - 1];
    if (segment === undefined || segment.log !== log) {
      segment = { log, chunks: [], bytes: 0 };
      this.pending.push(segment);
    }
    if (log.plannedBytes === 0) {
      segment.chunks.push(encodeLogHeader(this.dbId));
      segment.bytes += LOG_HEADER_BYTES;
      log.plannedBytes = LOG_HEADER_BYTES;
    }
    segment.chunks.push(frame);
    segment.bytes += frame.length;
    log.plannedBytes += frame.length;
    log.records++;
    this.pendingBytes += frame.length;
    this.appendSeq++;
    this.loggedZxid = zxid;
    this.stats.appends++;
    if (this.pendingBytes >= FLUSH_THRESHOLD_BYTES) this.startFlush();
  }

  sync(): Promise<void> {
    this.stats.syncCalls++;
    if (this.failure !== null) return Promise.reject(this.failure);
    const seq = this.appendSeq;
    if (seq <= this.durableSeq) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ seq, resolve, reject });
      this.startFlush();
    });
  }

  rollLog(): void {
    if (this.active !== null) this.retire(this.active);
  }

  private startLog(zxid: number): OpenLog {
    const name = makeFileName(LOG_PREFIX, zxid);
    assert(!this.writing.has(name) && !this.logs.some((f) => f.name === name), `log file ${name} exists`);
    const log = new OpenLog(name, joinPath(this.logDir, name));
    this.logs.push({ name, zxid });
    this.writing.set(name, log);
    this.active = log;
    return log;
  }

  private retire(log: OpenLog): void {
    log.retired = true;
    if (this.active === log) this.active = null;
  }

  /** Starts the group-commit loop unless it is running: it drains `pending` round by round. */
  private startFlush(): void {
    if (this.flushRunning) return;
    this.flushRunning = true;
    void this.flushLoop();
  }

  private async flushLoop(): Promise<void> {
    for (;;) {
      // Checked and cleared in one synchronous step, so an append or sync racing the exit restarts the loop.
      if (this.pending.length === 0 || this.failure !== null) {
        this.flushRunning = false;
        const idle = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of idle) resolve();
        return;
      }
      const batch = this.pending;
      this.pending = [];
      this.pendingBytes = 0;
      const seq = this.appendSeq;
      const zxid = this.lastLoggedZxid;
      try {
        for (const segment of batch) await this.writeSegment(segment);
        await this.closeRetired();
      } catch (error) {
        this.fail(error instanceof StorageError ? error : new StorageError('IO_FAILED', `log write failed: ${describe(error)}`, { cause: error }));
        continue;
      }
      this.durableSeq = seq;
      this.syncedZxid = zxid;
      this.stats.flushes++;
      const waiting = this.waiters;
      this.waiters = [];
      for (const waiter of waiting) {
        if (waiter.seq <= seq) waiter.resolve();
        else this.waiters.push(waiter);
      }
    }
  }

  /** Writes one file's frames, makes them durable, and (for a new file) its directory entry. */
  private async writeSegment(segment: Segment): Promise<void> {
    const log = segment.log;
    log.handle ??= await this.fs.openWrite(log.path, { truncate: log.writtenBytes === 0 });
    const end = log.writtenBytes + segment.bytes;
    if (this.preAllocBytes > 0 && end > log.allocatedBytes) {
      const size = (Math.floor(end / this.preAllocBytes) + 1) * this.preAllocBytes;
      await log.handle.truncate(size);
      log.allocatedBytes = size;
    }
    await log.handle.write([concat(segment.chunks, segment.bytes)], log.writtenBytes);
    log.writtenBytes = end;
    this.stats.logBytesWritten += segment.bytes;
    if (this.forceSync) {
      const started = performance.now();
      await log.handle.datasync();
      const elapsedMs = performance.now() - started;
      this.stats.logFsyncs++;
      this.stats.logFsyncTotalMs += elapsedMs;
      if (elapsedMs > this.stats.logFsyncMaxMs) this.stats.logFsyncMaxMs = elapsedMs;
    }
    if (!log.created) {
      if (this.forceSync) await this.fs.syncDir(this.logDir);
      log.created = true;
    }
    log.durableBytes = end;
  }

  /** Closes retired files whose every frame is written. */
  private async closeRetired(): Promise<void> {
    for (const log of [...this.writing.values()]) {
      if (!log.retired || this.pending.some((s) => s.log === log)) continue;
      this.writing.delete(log.name);
      if (log.handle !== null) await log.handle.close();
      log.handle = null;
    }
  }

  /** Resolves when no sync round is running. */
  private idle(): Promise<void> {
    if (!this.flushRunning) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async *readRecords(afterZxid: number): AsyncGenerator<LogRecord> {
    this.checkUsable();
    let previous = 0;
    for (const file of logFilesAfter([...this.logs], afterZxid)) {
      const open = this.writing.get(file.name);
      const limit = open?.durableBytes;
      if (limit === 0) continue;
      const path = joinPath(this.logDir, file.name);
      let bytes = await this.fs.readFile(path);
      if (limit !== undefined) bytes = bytes.subarray(0, limit);
      const cursor = new LogFileCursor(bytes, this.maxRecordBytes);
      for (let record = cursor.next(); record !== null; record = cursor.next()) {
        if (cursor.count === 1 && record.zxid !== file.zxid) {
          throw new StorageError('CORRUPT_LOG', `first record has zxid 0x${record.zxid.toString(16)}, not the one in the file name`, { file: path, offset: record.offset });
        }
        if (record.zxid <= previous) {
          throw new StorageError('CORRUPT_LOG', `zxid 0x${record.zxid.toString(16)} follows 0x${previous.toString(16)}`, { file: path, offset: record.offset });
        }
        previous = record.zxid;
        if (record.zxid > afterZxid) yield { zxid: record.zxid, bytes: record.payload.slice() };
      }
      if (cursor.invalid !== null) throw new StorageError('CORRUPT_LOG', cursor.invalid.reason, { file: path, offset: cursor.invalid.offset });
    }
  }

  truncateAfter(zxid: number): Promise<void> {
    return this.exclusive(async () => {
      this.checkUsable();
      this.truncating = true;
      try {
        await this.sync();
        await this.idle();
        await this.io('truncate', () => this.truncateFiles(zxid));
      } finally {
        this.truncating = false;
      }
    });
  }

  private async truncateFiles(zxid: number): Promise<void> {
    if (this.active !== null) this.retire(this.active);
    await this.closeRetired();
    let lastZxid = 0;
    const kept: ZxidFile[] = [];
    for (const file of [...this.logs].reverse()) {
      const path = joinPath(this.logDir, file.name);
      if (lastZxid > 0) {
        kept.unshift(file);
        continue;
      }
      if (file.zxid > zxid) {
        await this.fs.remove(path);
        continue;
      }
      const bytes = await this.fs.readFile(path);
      const cursor = new LogFileCursor(bytes, this.maxRecordBytes);
      let cut = LOG_HEADER_BYTES;
      for (let record = cursor.next(); record !== null && record.zxid <= zxid; record = cursor.next()) {
        cut = record.end;
        lastZxid = record.zxid;
      }
      if (cursor.invalid !== null && cursor.invalid.offset <= cut) {
        throw new StorageError('CORRUPT_LOG', cursor.invalid.reason, { file: path, offset: cursor.invalid.offset });
      }
      if (lastZxid === 0) {
        // No record at or below zxid here (an empty file): drop it and look at the previous one.
        await this.fs.remove(path);
        continue;
      }
      kept.unshift(file);
      if (cut < bytes.length) {
        const handle = await this.fs.openWrite(path, { truncate: false });
        try {
          await handle.truncate(cut);
          await handle.datasync();
        } finally {
          await handle.close();
        }
      }
    }
    this.logs = kept;
    await this.fs.syncDir(this.logDir);
    let removedSnapshot = false;
    for (const snapshot of filesWithPrefix(await this.fs.list(this.snapDir), SNAPSHOT_PREFIX)) {
      if (snapshot.zxid <= zxid) continue;
      await this.fs.remove(joinPath(this.snapDir, snapshot.name));
      removedSnapshot = true;
    }
    if (removedSnapshot) await this.fs.syncDir(this.snapDir);
    this.loggedZxid = lastZxid;
    this.syncedZxid = lastZxid;
  }

  async listLogs(): Promise<string[]> {
    this.checkUsable();
    return filesWithPrefix(await this.fs.list(this.logDir), LOG_PREFIX).map((f) => f.name);
  }

  // ------------------------------------------------------------ snapshots

  writeSnapshot(zxid: number, contents: SnapshotContents): Promise<SnapshotInfo> {
    this.checkUsable();
    assert(Number.isSafeInteger(zxid) && zxid >= 0, `snapshot zxid ${zxid}`);
    // As ZooKeeper: the log rolls with every snapshot, so purging can drop whole files.
    this.rollLog();
    const task = this.snapshots.then(() => this.streamSnapshot(zxid, contents));
    this.snapshots = task.catch(() => {});
    return task;
  }

  private async streamSnapshot(zxid: number, contents: SnapshotContents): Promise<SnapshotInfo> {
    this.checkUsable();
    const fileName = makeFileName(SNAPSHOT_PREFIX, zxid);
    const finalPath = joinPath(this.snapDir, fileName);
    const tempPath = finalPath + TEMP_SUFFIX;
    const file = await this.fs.openWrite(tempPath, { truncate: true });
    let position = 0;
    let counts: SnapshotCounts;
    try {
      counts = await encodeSnapshot(zxid, this.dbId, contents, async (chunks) => {
        await file.write(chunks, position);
        for (const chunk of chunks) position += chunk.length;
      });
      if (this.forceSync) await file.datasync();
      await file.close();
    } catch (error) {
      await file.close().catch(() => {});
      await this.fs.remove(tempPath).catch(() => {});
      throw error;
    }
    await this.fs.rename(tempPath, finalPath);
    if (this.forceSync) await this.fs.syncDir(this.snapDir);
    this.stats.snapshotsWritten++;
    return { zxid, fileName, ...counts };
  }

  async loadSnapshot<T>(restore: (snapshot: LoadedSnapshot) => Promise<T>): Promise<RestoredSnapshot<T> | null> {
    this.checkUsable();
    const candidates = filesWithPrefix(await this.fs.list(this.snapDir), SNAPSHOT_PREFIX).reverse();
    const skipped: string[] = [];
    for (const candidate of candidates) {
      const path = joinPath(this.snapDir, candidate.name);
      let file: ReadableFile | null = null;
      try {
        file = await this.fs.openRead(path);
        const reader = await SnapshotReader.open(file, path);
        if (reader.zxid !== candidate.zxid) {
          throw new StorageError('CORRUPT_SNAPSHOT', `header zxid 0x${reader.zxid.toString(16)} does not match the file name`, { file: path });
        }
        const sessions = await reader.readSessions();
        const value = await restore({ zxid: reader.zxid, sessions, nodes: reader.nodes() });
        await reader.finish();
        return { zxid: reader.zxid, fileName: candidate.name, value, skipped };
      } catch (error) {
        if (!causedByCorruptSnapshot(error)) throw error;
        skipped.push(candidate.name);
        this.warn(`skipping snapshot ${candidate.name}: ${describe(error)}`);
      } finally {
        await file?.close();
      }
    }
    if (candidates.length > 0) {
      throw new StorageError('NO_VALID_SNAPSHOT', `none of the ${candidates.length} snapshots in ${this.snapDir} is valid: ${skipped.join(', ')}`);
    }
    return null;
  }

  async listSnapshots(): Promise<number[]> {
    this.checkUsable();
    return filesWithPrefix(await this.fs.list(this.snapDir), SNAPSHOT_PREFIX)
      .map((f) => f.zxid)
      .reverse();
  }

  // --------------------------------------------------------------- epochs

  async readEpoch(name: EpochName): Promise<number | null> {
    this.checkUsable();
    const path = joinPath(this.snapDir, name);
    let bytes: Uint8Array;
    try {
      bytes = await this.fs.readFile(path);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    const text = new TextDecoder().decode(bytes).trim();
    const epoch = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(epoch)) throw new StorageError('CORRUPT_EPOCH', `found ${JSON.stringify(text.slice(0, 40))}`, { file: path });
    return epoch;
  }

  writeEpoch(name: EpochName, epoch: number): Promise<void> {
    assert(Number.isSafeInteger(epoch) && epoch >= 0, `epoch ${epoch}`);
    return this.exclusive(async () => {
      this.checkUsable();
      const path = joinPath(this.snapDir, name);
      const tempPath = path + TEMP_SUFFIX;
      // Epochs guard the quorum protocol, so they are fsynced even with forceSync off, as ZooKeeper does.
      const file = await this.fs.openWrite(tempPath, { truncate: true });
      try {
        await file.write([new TextEncoder().encode(String(epoch))], 0);
        await file.datasync();
      } finally {
        await file.close();
      }
      await this.fs.rename(tempPath, path);
      await this.fs.syncDir(this.snapDir);
    });
  }

  // ---------------------------------------------------------------- purge

  purge(snapRetainCount: number): Promise<PurgeResult> {
    return this.exclusive(async () => {
      this.checkUsable();
      const snapshots = filesWithPrefix(await this.fs.list(this.snapDir), SNAPSHOT_PREFIX);
      const logs = filesWithPrefix(await this.fs.list(this.logDir), LOG_PREFIX);
      const plan = planPurge(snapshots, logs, snapRetainCount);
      const result: PurgeResult = { deletedSnapshots: [], deletedLogs: [] };
      for (const snapshot of plan.snapshots) {
        await this.fs.remove(joinPath(this.snapDir, snapshot.name));
        result.deletedSnapshots.push(snapshot.name);
      }
      for (const log of plan.logs) {
        if (this.writing.has(log.name)) continue;
        await this.fs.remove(joinPath(this.logDir, log.name));
        result.deletedLogs.push(log.name);
      }
      const deleted = new Set(result.deletedLogs);
      this.logs = this.logs.filter((f) => !deleted.has(f.name));
      return result;
    });
  }

  // ------------------------------------------------------------ lifecycle

  async close(): Promise<void> {
    if (isStorageError(this.failure, 'CLOSED')) return;
    try {
      if (this.failure === null) await this.sync();
      await this.snapshots;
      await this.maintenance;
    } finally {
      await this.idle();
      this.fail(new StorageError('CLOSED', 'storage is closed'));
      for (const log of this.writing.values()) await log.handle?.close().catch(() => {});
      this.writing.clear();
    }
  }

  /**
   * Makes this instance unusable at once, as if its process died: pending
   * syncs reject, nothing more is written. For the simulated crashes of the
   * in-memory storages.
   */
  protected abandon(): void {
    this.fail(new StorageError('CLOSED', 'storage crashed'));
  }

  private fail(error: StorageError): void {
    this.failure ??= error;
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) waiter.reject(this.failure);
  }

  private checkUsable(): void {
    if (this.failure !== null) throw this.failure;
  }

  /** Runs `fn` after every earlier maintenance task. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.maintenance.then(fn);
    this.maintenance = run.catch(() => {});
    return run;
  }

  /** Runs log I/O; a failure leaves the log in an unknown state, so the storage stops. */
  private async io<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const failure = error instanceof StorageError ? error : new StorageError('IO_FAILED', `${what} failed: ${describe(error)}`, { cause: error });
      this.fail(failure);
      throw failure;
    }
  }
}

function concat(chunks: readonly Uint8Array[], bytes: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(bytes);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True when `error`, or an error in its `cause` chain, is a corrupt snapshot. */
function causedByCorruptSnapshot(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    if (isStorageError(e, 'CORRUPT_SNAPSHOT')) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
