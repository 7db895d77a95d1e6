/**
 * Storage with seeded faults, for crash and failure tests: the real engine over
 * a {@link FaultyFs}, which can fail or delay fsyncs and tear writes at a crash.
 * @module
 */
import { FaultyFs, type FaultOptions } from './faulty-fs.js';
import { FileStorage, type FileStorageOptions } from './file-storage.js';
import type { CrashMode } from './memory-fs.js';

/** Settings of a {@link FaultyStorage}. */
export interface FaultyStorageOptions extends Omit<FileStorageOptions, 'fs' | 'dataDir'> {
  /** The faulty disk; pass the same one again to "restart" after a crash. Default: a new one with `faults`. */
  disk?: FaultyFs;
  /** Faults of a new disk (ignored when `disk` is given). Default: seed 1, no failures or delays. */
  faults?: FaultOptions;
  /** Where the files live on the simulated disk. Default `/data`. */
  dataDir?: string;
}

/** The storage engine on a simulated disk that misbehaves on a seeded schedule. */
export class FaultyStorage extends FileStorage {
  /** The faulty disk, which outlives this instance. */
  readonly disk: FaultyFs;

  private constructor(options: FaultyStorageOptions, disk: FaultyFs) {
    super({ ...options, dataDir: options.dataDir ?? '/data', fs: disk });
    this.disk = disk;
  }

  /** Opens the storage on `options.disk` (recovering what a previous instance left), or on a new disk. */
  static override async open(options: FaultyStorageOptions = {}): Promise<FaultyStorage> {
    const storage = new FaultyStorage(options, options.disk ?? new FaultyFs(options.faults ?? { seed: 1 }));
    await storage.init();
    return storage;
  }

  /**
   * Simulates the server dying: this instance stops (pending syncs reject) and
   * the disk keeps what `mode` says of the unsynced writes; `tear` (the
   * default) keeps a seeded random prefix of them, possibly ending mid-record.
   * Reopen with `FaultyStorage.open({ disk: storage.disk })`.
   */
  crash(mode: CrashMode = 'tear'): void {
    this.abandon();
    this.disk.crash(mode);
  }
}
