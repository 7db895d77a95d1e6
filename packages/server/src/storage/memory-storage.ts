/**
 * Storage in memory for the simulator: the real engine over a {@link MemoryFs},
 * so it has exactly the disk storage's semantics, including what a crash keeps.
 * @module
 */
import { FileStorage, type FileStorageOptions } from './file-storage.js';
import { MemoryFs } from './memory-fs.js';

/** Settings of a {@link MemoryStorage}. */
export interface MemoryStorageOptions extends Omit<FileStorageOptions, 'fs' | 'dataDir'> {
  /** The simulated disk; pass the same one again to "restart" after a crash. Default: a new, empty one. */
  disk?: MemoryFs;
  /** Where the files live on the simulated disk. Default `/data`. */
  dataDir?: string;
}

/** The storage engine on a simulated disk. */
export class MemoryStorage extends FileStorage {
  /** The simulated disk, which outlives this instance. */
  readonly disk: MemoryFs;

  private constructor(options: MemoryStorageOptions, disk: MemoryFs) {
    super({ ...options, dataDir: options.dataDir ?? '/data', fs: disk });
    this.disk = disk;
  }

  /** Opens the storage on `options.disk` (recovering what a previous instance left), or on a new disk. */
  static override async open(options: MemoryStorageOptions = {}): Promise<MemoryStorage> {
    const storage = new MemoryStorage(options, options.disk ?? new MemoryFs());
    await storage.init();
    return storage;
  }

  /**
   * Simulates the server dying: this instance stops (pending syncs reject) and
   * the disk keeps only what was synced (`lose-unsynced`, a power cut) or
   * everything written (`keep-unsynced`, a process crash). Reopen with
   * `MemoryStorage.open({ disk: storage.disk })`.
   */
  crash(mode: 'lose-unsynced' | 'keep-unsynced' = 'lose-unsynced'): void {
    this.abandon();
    this.disk.crash(mode);
  }
}
