/**
 * The snapshot files of a data directory, as ZooKeeper's FileSnap: each
 * named by the last zxid it contains, written whole before its name appears,
 * read back newest first with a fall back to older ones when one is corrupt.
 * @module
 */
import { SNAPSHOT_PREFIX, TEMP_SUFFIX, filesWithPrefix, makeFileName, type ZxidFile } from './file-names.js';
import { SnapshotReader, encodeSnapshot, type LoadedSnapshot, type SnapshotContents, type SnapshotCounts } from './snapshot-format.js';
import { StorageError, isStorageError } from './storage-error.js';
import { joinPath, type ReadableFile, type StorageFs } from './storage-fs.js';
import type { RestoredSnapshot, SnapshotInfo } from './storage.js';

/** Settings of a {@link SnapshotStore}, resolved. */
export interface SnapshotStoreSettings {
  /** fsync snapshot files and the directory (off only with `forceSync` off). */
  forceSync: boolean;
  dbId: bigint;
  warn: (message: string) => void;
}

/** The snapshots of one `version-2` directory. */
export class SnapshotStore {
  /** Serializes writes. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly fs: StorageFs,
    /** The `version-2` directory holding the snapshots. */
    readonly dir: string,
    private readonly settings: SnapshotStoreSettings,
  ) {}

  /** Removes temp files an interrupted write left (snapshots and epoch files); returns their names. */
  async removeTempFiles(): Promise<string[]> {
    const removed: string[] = [];
    for (const name of await this.fs.list(this.dir)) {
      if (!name.endsWith(TEMP_SUFFIX)) continue;
      await this.fs.remove(joinPath(this.dir, name));
      removed.push(name);
    }
    return removed;
  }

  /** The snapshot files, oldest first (valid or not). */
  async list(): Promise<ZxidFile[]> {
    return filesWithPrefix(await this.fs.list(this.dir), SNAPSHOT_PREFIX);
  }

  /**
   * Streams a snapshot to a temp file, fsyncs it, renames it into place and
   * fsyncs the directory. Writes queue behind each other. A failure removes the
   * temp file and rejects; earlier snapshots are untouched.
   */
  write(zxid: number, contents: SnapshotContents): Promise<SnapshotInfo> {
    const task = this.queue.then(() => this.stream(zxid, contents));
    this.queue = task.catch(() => {});
    return task;
  }

  /** Waits for queued writes to finish (whatever their outcome). */
  async drain(): Promise<void> {
    await this.queue;
  }

  /** The newest valid snapshot, restored by `restore`; see `Storage.loadSnapshot`. */
  async load<T>(restore: (snapshot: LoadedSnapshot) => Promise<T>): Promise<RestoredSnapshot<T> | null> {
    const candidates = (await this.list()).reverse();
    const skipped: string[] = [];
    for (const candidate of candidates) {
      const path = joinPath(this.dir, candidate.name);
      let file: ReadableFile | null = null;
      try {
        file = await this.fs.openRead(path);
        const reader = await SnapshotReader.open(file, path);
        if (reader.zxid !== candidate.zxid) {
          throw new StorageError('CORRUPT_SNAPSHOT', `header zxid 0x${reader.zxid.toString(16)} does not match the file name`, { file: path });
        }
        const sessions = await reader.readSessions();
        const value = await restore({ zxid: reader.zxid, sessions, nodes: reader.nodes() });
        // Whatever restore left unread is checked too: a snapshot is valid only as a whole.
        await reader.finish();
        return { zxid: reader.zxid, fileName: candidate.name, value, skipped };
      } catch (error) {
        if (!causedByCorruptSnapshot(error)) throw error;
        skipped.push(candidate.name);
        this.settings.warn(`skipping snapshot ${candidate.name}: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await file?.close();
      }
    }
    if (candidates.length > 0) {
      throw new StorageError('NO_VALID_SNAPSHOT', `none of the ${candidates.length} snapshots in ${this.dir} is valid: ${skipped.join(', ')}`);
    }
    return null;
  }

  /** Deletes the given snapshot files, then syncs the directory if asked. */
  async remove(files: readonly ZxidFile[], sync: boolean): Promise<void> {
    for (const file of files) await this.fs.remove(joinPath(this.dir, file.name));
    if (sync && files.length > 0) await this.fs.syncDir(this.dir);
  }

  private async stream(zxid: number, contents: SnapshotContents): Promise<SnapshotInfo> {
    const fileName = makeFileName(SNAPSHOT_PREFIX, zxid);
    const finalPath = joinPath(this.dir, fileName);
    const tempPath = finalPath + TEMP_SUFFIX;
    const file = await this.fs.openWrite(tempPath, { truncate: true });
    let position = 0;
    let counts: SnapshotCounts;
    try {
      counts = await encodeSnapshot(zxid, this.settings.dbId, contents, async (chunks) => {
        await file.write(chunks, position);
        for (const chunk of chunks) position += chunk.length;
      });
      if (this.settings.forceSync) await file.datasync();
      await file.close();
    } catch (error) {
      await file.close().catch(() => {});
      await this.fs.remove(tempPath).catch(() => {});
      throw error;
    }
    await this.fs.rename(tempPath, finalPath);
    if (this.settings.forceSync) await this.fs.syncDir(this.dir);
    return { zxid, fileName, ...counts };
  }
}

/** True when `error`, or an error in its `cause` chain, is a corrupt snapshot. */
function causedByCorruptSnapshot(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    if (isStorageError(e, 'CORRUPT_SNAPSHOT')) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
