/**
 * A {@link MemoryFs} with seeded faults: failing or slow fsyncs, and torn
 * crashes. Every random choice comes from one seeded generator, so a failing
 * run replays exactly from its seed.
 * @module
 */
import { assert } from '../util/assert.js';
import { MemoryFs, type CrashMode, type CrashRng } from './memory-fs.js';
import type { ReadableFile, StorageFs, WritableFile } from './storage-fs.js';

/** Which faults to inject, and the seed they are drawn from. */
export interface FaultOptions {
  /** Seed of the fault generator. */
  seed: number;
  /** Chance in [0, 1] that a datasync or directory sync fails with EIO. Default 0. */
  syncFailureProbability?: number;
  /** Each datasync takes a random delay in [min, max] ms before completing. Default none. */
  syncDelayMs?: { min: number; max: number };
  /**
   * How a delay is waited for. Default `setTimeout`; a simulator passes its
   * virtual clock's sleep so delays follow simulated time.
   */
  sleep?: (ms: number) => Promise<void>;
}

/** Counters of the faults injected so far. */
export interface FaultStats {
  syncs: number;
  failedSyncs: number;
  delayedSyncs: number;
  crashes: number;
}

/** A seeded generator (SplitMix32 over a Weyl sequence): small, fast, deterministic. */
export function createFaultRng(seed: number): CrashRng {
  let state = seed >>> 0;
  return {
    nextUint32(): number {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    },
  };
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** An in-memory file system that fails, stalls and tears on a seeded schedule. */
export class FaultyFs implements StorageFs {
  /** The file system underneath, for inspection. */
  readonly memory: MemoryFs;
  /** What was injected so far. */
  readonly faults: FaultStats = { syncs: 0, failedSyncs: 0, delayedSyncs: 0, crashes: 0 };
  private readonly rng: CrashRng;
  private readonly sleep: (ms: number) => Promise<void>;
  private failNext = 0;

  constructor(
    private readonly options: FaultOptions,
    memory: MemoryFs = new MemoryFs(),
  ) {
    const p = options.syncFailureProbability ?? 0;
    assert(p >= 0 && p <= 1, 'syncFailureProbability must be in [0, 1]');
    assert(options.syncDelayMs === undefined || (options.syncDelayMs.min >= 0 && options.syncDelayMs.max >= options.syncDelayMs.min), 'bad syncDelayMs');
    this.memory = memory;
    this.rng = createFaultRng(options.seed);
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Makes the next `count` syncs (datasync or directory sync) fail, whatever the probability says. */
  failNextSyncs(count = 1): void {
    this.failNext += count;
  }

  /** Crashes the file system underneath; `tear` draws from this file system's seed. */
  crash(mode: CrashMode): void {
    this.faults.crashes++;
    this.memory.crash(mode, this.rng);
  }

  /** A uniform draw in [0, 1) from the fault generator (for callers that pick modes). */
  random(): number {
    return this.rng.nextUint32() / 0x1_0000_0000;
  }

  mkdirp(dir: string): Promise<void> {
    return this.memory.mkdirp(dir);
  }

  list(dir: string): Promise<string[]> {
    return this.memory.list(dir);
  }

  readFile(path: string): Promise<Uint8Array> {
    return this.memory.readFile(path);
  }

  openRead(path: string): Promise<ReadableFile> {
    return this.memory.openRead(path);
  }

  async openWrite(path: string, options: { truncate: boolean }): Promise<WritableFile> {
    const file = await this.memory.openWrite(path, options);
    return {
      write: (chunks, position) => file.write(chunks, position),
      truncate: (length) => file.truncate(length),
      close: () => file.close(),
      datasync: async () => {
        await this.beforeSync(path);
        await file.datasync();
      },
    };
  }

  rename(from: string, to: string): Promise<void> {
    return this.memory.rename(from, to);
  }

  remove(path: string): Promise<void> {
    return this.memory.remove(path);
  }

  async syncDir(dir: string): Promise<void> {
    await this.beforeSync(dir);
    await this.memory.syncDir(dir);
  }

  /** Delays and fails a sync as configured; a failed sync leaves its data pending (lost on a crash). */
  private async beforeSync(what: string): Promise<void> {
    this.faults.syncs++;
    const delay = this.options.syncDelayMs;
    if (delay !== undefined && delay.max > 0) {
      const ms = delay.min + (this.rng.nextUint32() % (delay.max - delay.min + 1));
      this.faults.delayedSyncs++;
      await this.sleep(ms);
    }
    const p = this.options.syncFailureProbability ?? 0;
    const fail = this.failNext > 0 || (p > 0 && this.rng.nextUint32() / 0x1_0000_0000 < p);
    if (fail) {
      if (this.failNext > 0) this.failNext--;
      this.faults.failedSyncs++;
      throw Object.assign(new Error(`EIO: injected fsync failure on ${what}`), { code: 'EIO' });
    }
  }
}
