/**
 * The transaction log, as ZooKeeper's FileTxnLog: append-only files named by
 * their first zxid, rolled over by size, with group commit.
 *
 * Appends are buffered; a sync round writes everything buffered and
 * fdatasyncs it once, for every caller waiting. Durability rules:
 * - a round writes the files in order and fdatasyncs each before the next is
 *   written, and fsyncs the directory after creating a file, so after a crash
 *   only the newest file can have a torn tail, which {@link TxnLog.open} cuts;
 * - after an I/O error the log refuses all further work (`IO_FAILED`): after a
 *   failed fsync the page cache may hold data the disk lost, and retrying
 *   could acknowledge writes that a crash then takes away.
 * @module
 */
import { assert } from '../util/assert.js';
import { LOG_PREFIX, filesWithPrefix, logFilesAfter, makeFileName, type ZxidFile } from './file-names.js';
import { LOG_HEADER_BYTES, LogFileCursor, encodeLogHeader, encodeLogRecord, isTornHeader } from './log-format.js';
import { StorageError } from './storage-error.js';
import { joinPath, type StorageFs, type WritableFile } from './storage-fs.js';
import type { LogRecord, OpenReport, StorageStats } from './storage.js';

/** Settings of a {@link TxnLog}, resolved. */
export interface TxnLogSettings {
  forceSync: boolean;
  sizeLimitBytes: number;
  preAllocBytes: number;
  maxRecordBytes: number;
  dbId: bigint;
  warn: (message: string) => void;
}

/** Appended bytes beyond which a round starts even if nobody has asked for a sync, bounding memory. */
const FLUSH_THRESHOLD_BYTES = 4 * 1024 * 1024;

/** A log file this process writes to (or wrote to and has not closed yet). */
class OpenLog {
  handle: WritableFile | null = null;
  /** Header plus every frame appended, written or not. */
  plannedBytes = 0;
  /** Bytes in the file. */
  writtenBytes = 0;
  /** Bytes covered by a completed round: what readers may read. */
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

/** Appended frames for one file, waiting for the next round. */
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

/** The transaction log of one data log directory. */
export class TxnLog {
  /** Set by the first failure (or close); every later operation throws it. */
  failure: StorageError | null = null;
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
  private truncating = false;

  constructor(
    private readonly fs: StorageFs,
    /** The `version-2` directory holding the log files. */
    readonly dir: string,
    private readonly settings: TxnLogSettings,
    private readonly stats: StorageStats,
  ) {
    assert(settings.sizeLimitBytes > LOG_HEADER_BYTES, 'txnLogSizeLimitBytes too small');
    assert(settings.preAllocBytes >= 0, 'preAllocSizeBytes must not be negative');
  }

  /** The zxid of the last appended record; 0 for an empty log. */
  get lastLoggedZxid(): number {
    return this.loggedZxid;
  }

  /** The zxid of the last record a completed round made durable; 0 if none. */
  get lastSyncedZxid(): number {
    return this.syncedZxid;
  }

  /** Names of the log files, oldest first. */
  get fileNames(): string[] {
    return this.logs.map((f) => f.name);
  }

  /**
   * Reads the directory and finds the end of the log: cuts a torn tail off the
   * newest file, drops files without a complete record. Damage that is not a
   * torn tail throws `CORRUPT_LOG` and changes nothing.
   */
  async open(report: OpenReport): Promise<void> {
    this.logs = filesWithPrefix(await this.fs.list(this.dir), LOG_PREFIX);
    let removed = false;
    while (this.logs.length > 0) {
      const file = this.logs[this.logs.length - 1]!;
      const path = joinPath(this.dir, file.name);
      const bytes = await this.fs.readFile(path);
      const cursor = new LogFileCursor(bytes, this.settings.maxRecordBytes);
      while (cursor.next() !== null) {
        // Reading to the end validates every record.
      }
      const invalid = cursor.invalid;
      if (cursor.header === null && !isTornHeader(bytes)) {
        // Not a header cut short by a crash: a foreign file (say, ZooKeeper's own log) or damage. Never delete it.
        throw new StorageError('CORRUPT_LOG', 'not a zkts transaction log (bad header)', { file: path, offset: 0 });
      }
      if (invalid !== null && (invalid.intact || cursor.hasRecordAfter(Math.max(invalid.offset, LOG_HEADER_BYTES - 1), cursor.lastZxid))) {
        throw new StorageError('CORRUPT_LOG', `${invalid.reason}, and valid records follow: refusing to drop them`, { file: path, offset: invalid.offset });
      }
      if (cursor.count === 0) {
        await this.fs.remove(path);
        this.logs.pop();
        report.removedEmptyLogs.push(file.name);
        this.settings.warn(`removed log file ${file.name}: it holds no complete record`);
        removed = true;
        continue;
      }
      if (cursor.firstZxid !== file.zxid) {
        throw new StorageError('CORRUPT_LOG', `first record has zxid 0x${cursor.firstZxid.toString(16)}, not the one in the file name`, {
          file: path,
          offset: LOG_HEADER_BYTES,
        });
      }
      // Synced even when nothing was cut: an earlier start may have cut the tail and died before its
      // fsync, leaving the cut only in the page cache; a crash after new files exist would bring the torn
      // tail back in the middle of the log.
      if (invalid !== null || this.settings.forceSync) await this.cutFile(path, invalid?.offset);
      if (invalid !== null) {
        report.truncatedTail = { fileName: file.name, offset: invalid.offset, droppedBytes: bytes.length - invalid.offset, reason: invalid.reason };
        this.settings.warn(`truncated the torn tail of ${file.name} at offset ${invalid.offset} (${invalid.reason})`);
      }
      this.loggedZxid = cursor.lastZxid;
      this.syncedZxid = cursor.lastZxid;
      break;
    }
    // Likewise for removals an earlier start made but could not sync.
    if (removed || this.settings.forceSync) await this.fs.syncDir(this.dir);
  }

  /** Buffers a record; see `Storage.append`. */
  append(zxid: number, bytes: Uint8Array): void {
    this.checkUsable();
    assert(!this.truncating, 'append during truncateAfter');
    assert(Number.isSafeInteger(zxid) && zxid > this.loggedZxid, `append of zxid ${zxid} after ${this.loggedZxid}`);
    assert(bytes.length <= this.settings.maxRecordBytes, `record of ${bytes.length} bytes exceeds maxRecordBytes`);
    const frame = encodeLogRecord(zxid, bytes);
    let log = this.active;
    if (log !== null && log.records > 0 && log.plannedBytes + frame.length > this.settings.sizeLimitBytes) {
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
      segment.chunks.push(encodeLogHeader(this.settings.dbId));
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

  /** Group commit; see `Storage.sync`. */
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

  /** Makes the next append start a new file. */
  rollLog(): void {
    if (this.active !== null) this.retire(this.active);
  }

  /** The durable records after `afterZxid`; see `Storage.readRecords`. */
  async *readRecords(afterZxid: number): AsyncGenerator<LogRecord> {
    this.checkUsable();
    let previous = 0;
    for (const file of logFilesAfter([...this.logs], afterZxid)) {
      const limit = this.writing.get(file.name)?.durableBytes;
      if (limit === 0) continue;
      const path = joinPath(this.dir, file.name);
      let bytes = await this.fs.readFile(path);
      if (limit !== undefined) bytes = bytes.subarray(0, limit);
      const cursor = new LogFileCursor(bytes, this.settings.maxRecordBytes);
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

  /**
   * Syncs what was appended, then removes every record above `zxid`: whole
   * files newest first (durably), then the cut inside the newest remaining
   * one, so a crash part way leaves a shorter log, never a hole. Appends must
   * wait until it resolves.
   */
  async truncateAfter(zxid: number): Promise<void> {
    this.checkUsable();
    this.truncating = true;
    try {
      await this.sync();
      await this.idle();
      await this.guard('truncate', () => this.truncateFiles(zxid));
    } finally {
      this.truncating = false;
    }
  }

  /** Syncs, waits for the last round, and closes every file (but keeps `failure` as it is). */
  async close(): Promise<void> {
    try {
      if (this.failure === null) await this.sync();
    } finally {
      await this.idle();
      for (const log of this.writing.values()) await log.handle?.close().catch(() => {});
      this.writing.clear();
    }
  }

  /** Forgets files a purge deleted. */
  forget(names: ReadonlySet<string>): void {
    this.logs = this.logs.filter((f) => !names.has(f.name));
  }

  /** Whether this process may still write to the file (a purge must keep it). */
  isOpen(name: string): boolean {
    return this.writing.has(name);
  }

  /** Stops the log with `error` (the first one sticks) and rejects every waiting sync. */
  fail(error: StorageError): void {
    this.failure ??= error;
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) waiter.reject(this.failure);
  }

  /** Throws the failure, if any. */
  checkUsable(): void {
    if (this.failure !== null) throw this.failure;
  }

  private startLog(zxid: number): OpenLog {
    const name = makeFileName(LOG_PREFIX, zxid);
    assert(!this.writing.has(name) && !this.logs.some((f) => f.name === name), `log file ${name} exists`);
    const log = new OpenLog(name, joinPath(this.dir, name));
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
      const zxid = this.loggedZxid;
      try {
        for (const segment of batch) await this.writeSegment(segment);
        await this.closeRetired();
      } catch (error) {
        this.fail(toStorageError('log write', error));
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
    const { forceSync, preAllocBytes } = this.settings;
    log.handle ??= await this.fs.openWrite(log.path, { truncate: log.writtenBytes === 0 });
    const end = log.writtenBytes + segment.bytes;
    if (preAllocBytes > 0 && end > log.allocatedBytes) {
      const size = (Math.floor(end / preAllocBytes) + 1) * preAllocBytes;
      await log.handle.truncate(size);
      log.allocatedBytes = size;
    }
    await log.handle.write([concat(segment.chunks, segment.bytes)], log.writtenBytes);
    log.writtenBytes = end;
    this.stats.logBytesWritten += segment.bytes;
    if (forceSync) {
      const started = performance.now();
      await log.handle.datasync();
      const elapsedMs = performance.now() - started;
      this.stats.logFsyncs++;
      this.stats.logFsyncTotalMs += elapsedMs;
      if (elapsedMs > this.stats.logFsyncMaxMs) this.stats.logFsyncMaxMs = elapsedMs;
    }
    if (!log.created) {
      if (forceSync) await this.fs.syncDir(this.dir);
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

  /** Resolves when no round is running. */
  private idle(): Promise<void> {
    if (!this.flushRunning) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async truncateFiles(zxid: number): Promise<void> {
    if (this.active !== null) this.retire(this.active);
    await this.closeRetired();
    const later = this.logs.filter((f) => f.zxid > zxid);
    for (const file of later.reverse()) await this.fs.remove(joinPath(this.dir, file.name));
    if (later.length > 0) await this.fs.syncDir(this.dir);
    const remaining = this.logs.filter((f) => f.zxid <= zxid);
    this.logs = remaining;
    let lastZxid = 0;
    while (remaining.length > 0) {
      const file = remaining[remaining.length - 1]!;
      const path = joinPath(this.dir, file.name);
      const bytes = await this.fs.readFile(path);
      const cursor = new LogFileCursor(bytes, this.settings.maxRecordBytes);
      let cut = LOG_HEADER_BYTES;
      for (let record = cursor.next(); record !== null && record.zxid <= zxid; record = cursor.next()) {
        cut = record.end;
        lastZxid = record.zxid;
      }
      if (cursor.invalid !== null && cursor.invalid.offset <= cut) {
        throw new StorageError('CORRUPT_LOG', cursor.invalid.reason, { file: path, offset: cursor.invalid.offset });
      }
      if (lastZxid === 0) {
        // No record at all (an empty file): drop it and cut the previous one.
        await this.fs.remove(path);
        await this.fs.syncDir(this.dir);
        remaining.pop();
        continue;
      }
      if (cut < bytes.length) await this.cutFile(path, cut);
      break;
    }
    this.loggedZxid = lastZxid;
    this.syncedZxid = lastZxid;
  }

  /** Truncates a file to `length` (if given) and fdatasyncs it. */
  private async cutFile(path: string, length: number | undefined): Promise<void> {
    const handle = await this.fs.openWrite(path, { truncate: false });
    try {
      if (length !== undefined) await handle.truncate(length);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  /** Runs log I/O; a failure leaves the log in an unknown state, so it stops. */
  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const failure = toStorageError(what, error);
      this.fail(failure);
      throw failure;
    }
  }
}

/** A StorageError as is; anything else (an fs error) as `IO_FAILED`. */
export function toStorageError(what: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  return new StorageError('IO_FAILED', `${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
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
