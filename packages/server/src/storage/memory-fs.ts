/**
 * An in-memory {@link StorageFs} that remembers what is durable, so a
 * simulated crash can take away exactly what a real power cut could:
 *
 * - file data is durable once `datasync` returns; writes and truncations after
 *   the last datasync are pending;
 * - directory entries (a created, renamed or removed file) are durable once
 *   `syncDir` of that directory returns.
 *
 * {@link MemoryFs.crash} then keeps the durable state and, depending on the
 * mode, none, all, or a random prefix of what was pending. Every handle open
 * at the crash becomes unusable, as the process that held it is gone.
 * All operations complete without real I/O, so runs are deterministic.
 * @module
 */
import { assert } from '../util/assert.js';
import type { ReadableFile, StorageFs, WritableFile } from './storage-fs.js';

/**
 * What survives a crash of pending (not yet synced) changes:
 * - `lose-unsynced`: nothing (a power cut with a disk that honours fsync);
 * - `keep-unsynced`: everything (the process died, the OS flushed its cache);
 * - `tear`: per file, pending writes in order up to a random point, the last
 *   one possibly cut mid-way; per directory, pending entry changes or not, at random.
 */
export type CrashMode = 'lose-unsynced' | 'keep-unsynced' | 'tear';

/** The randomness a torn crash draws from: a uniform integer in [0, 2^32). */
export interface CrashRng {
  nextUint32(): number;
}

type PendingOp = { kind: 'write'; offset: number; bytes: Uint8Array } | { kind: 'truncate'; length: number };

/** A growable byte array. */
class ByteImage {
  bytes = new Uint8Array(0);
  length = 0;

  clone(): ByteImage {
    const copy = new ByteImage();
    copy.bytes = this.bytes.slice(0, this.length);
    copy.length = this.length;
    return copy;
  }

  apply(op: PendingOp): void {
    if (op.kind === 'truncate') {
      this.resize(op.length);
      return;
    }
    const end = op.offset + op.bytes.length;
    if (end > this.length) this.resize(end);
    this.bytes.set(op.bytes, op.offset);
  }

  resize(length: number): void {
    if (length > this.bytes.length) {
      const next = new Uint8Array(Math.max(length, this.bytes.length * 2, 4096));
      next.set(this.bytes.subarray(0, this.length));
      this.bytes = next;
    } else if (length < this.length) {
      // Bytes past the new end read as zero if the file grows again.
      this.bytes.fill(0, length, this.length);
    }
    this.length = length;
  }

  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

class Inode {
  current = new ByteImage();
  durable = new ByteImage();
  pending: PendingOp[] = [];

  sync(): void {
    for (const op of this.pending) this.durable.apply(op);
    this.pending = [];
  }
}

type Directory = Map<string, Inode>;

/** Counters of what the file system was asked to do. */
export interface MemoryFsStats {
  datasyncs: number;
  dirSyncs: number;
  writes: number;
  bytesWritten: number;
}

function fsError(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

function splitPath(path: string): { dir: string; name: string } {
  const slash = path.lastIndexOf('/');
  assert(slash > 0 && slash < path.length - 1, `path ${path} has no directory and name`);
  return { dir: path.slice(0, slash), name: path.slice(slash + 1) };
}

/** An in-memory file system with a durability model and simulated crashes. */
export class MemoryFs implements StorageFs {
  private dirs = new Map<string, Directory>();
  private durableDirs = new Map<string, Directory>();
  /** Bumped by every crash; handles from an older generation fail. */
  private generation = 0;
  /** What was asked of the file system so far. */
  readonly stats: MemoryFsStats = { datasyncs: 0, dirSyncs: 0, writes: 0, bytesWritten: 0 };

  async mkdirp(dir: string): Promise<void> {
    // Directories are durable at once: the engine creates them only on first start.
    for (let at = dir.indexOf('/', 1); ; at = dir.indexOf('/', at + 1)) {
      const prefix = at < 0 ? dir : dir.slice(0, at);
      if (!this.dirs.has(prefix)) {
        this.dirs.set(prefix, new Map());
        this.durableDirs.set(prefix, new Map());
      }
      if (at < 0) return;
    }
  }

  async list(dir: string): Promise<string[]> {
    return [...this.directory(dir).keys()];
  }

  async readFile(path: string): Promise<Uint8Array> {
    return this.inode(path).current.view().slice();
  }

  async openRead(path: string): Promise<ReadableFile> {
    const inode = this.inode(path);
    const generation = this.generation;
    return {
      read: async (into, position) => {
        this.checkGeneration(generation);
        const data = inode.current.view();
        if (position >= data.length) return 0;
        const n = Math.min(into.length, data.length - position);
        into.set(data.subarray(position, position + n));
        return n;
      },
      close: async () => {},
    };
  }

  async openWrite(path: string, options: { truncate: boolean }): Promise<WritableFile> {
    const { dir, name } = splitPath(path);
    const directory = this.directory(dir);
    let inode = directory.get(name);
    if (inode === undefined) {
      inode = new Inode();
      directory.set(name, inode);
    } else if (options.truncate) {
      this.change(inode, { kind: 'truncate', length: 0 });
    }
    const target = inode;
    const generation = this.generation;
    let closed = false;
    const usable = (): void => {
      this.checkGeneration(generation);
      if (closed) throw fsError('EBADF', `${path} is closed`);
    };
    return {
      write: async (chunks, position) => {
        usable();
        let at = position;
        for (const chunk of chunks) {
          if (chunk.length === 0) continue;
          this.change(target, { kind: 'write', offset: at, bytes: chunk.slice() });
          at += chunk.length;
          this.stats.writes++;
          this.stats.bytesWritten += chunk.length;
        }
      },
      datasync: async () => {
        usable();
        this.stats.datasyncs++;
        target.sync();
      },
      truncate: async (length) => {
        usable();
        this.change(target, { kind: 'truncate', length });
      },
      close: async () => {
        closed = true;
      },
    };
  }

  async rename(from: string, to: string): Promise<void> {
    const source = splitPath(from);
    const target = splitPath(to);
    assert(source.dir === target.dir, 'rename across directories');
    const directory = this.directory(source.dir);
    const inode = directory.get(source.name);
    if (inode === undefined) throw fsError('ENOENT', from);
    directory.delete(source.name);
    directory.set(target.name, inode);
  }

  async remove(path: string): Promise<void> {
    const { dir, name } = splitPath(path);
    this.directory(dir).delete(name);
  }

  async syncDir(dir: string): Promise<void> {
    this.stats.dirSyncs++;
    this.durableDirs.set(dir, new Map(this.directory(dir)));
  }

  /**
   * Simulates a power cut (or, with `keep-unsynced`, a process crash): the
   * state becomes what a restart would find. Open handles stop working.
   * `tear` needs `rng`.
   */
  crash(mode: CrashMode, rng?: CrashRng): void {
    assert(mode !== 'tear' || rng !== undefined, 'a torn crash needs an rng');
    this.generation++;
    const nextDirs = new Map<string, Directory>();
    for (const [path, durable] of this.durableDirs) {
      const current = this.dirs.get(path) ?? durable;
      const keepEntries = mode === 'keep-unsynced' || (mode === 'tear' && rng!.nextUint32() % 2 === 0);
      nextDirs.set(path, new Map(keepEntries ? current : durable));
    }
    const seen = new Set<Inode>();
    for (const directory of nextDirs.values()) {
      for (const inode of directory.values()) {
        if (seen.has(inode)) continue;
        seen.add(inode);
        crashInode(inode, mode, rng);
      }
    }
    this.dirs = nextDirs;
    this.durableDirs = new Map([...nextDirs].map(([path, directory]) => [path, new Map(directory)]));
  }

  /** Bytes a file holds right now (for tests that damage files). */
  peek(path: string): Uint8Array {
    return this.inode(path).current.view();
  }

  /** Replaces or creates a file with `bytes`, durably, entry included (for tests that damage files). */
  poke(path: string, bytes: Uint8Array): void {
    const { dir, name } = splitPath(path);
    let inode = this.directory(dir).get(name);
    if (inode === undefined) {
      inode = new Inode();
      this.directory(dir).set(name, inode);
      this.durableDirs.get(dir)?.set(name, inode);
    }
    inode.pending = [{ kind: 'truncate', length: 0 }, { kind: 'write', offset: 0, bytes: bytes.slice() }];
    inode.current = new ByteImage();
    for (const op of inode.pending) inode.current.apply(op);
    inode.sync();
  }

  private change(inode: Inode, op: PendingOp): void {
    inode.current.apply(op);
    inode.pending.push(op);
  }

  private directory(dir: string): Directory {
    const directory = this.dirs.get(dir);
    if (directory === undefined) throw fsError('ENOENT', `no directory ${dir}`);
    return directory;
  }

  private inode(path: string): Inode {
    const { dir, name } = splitPath(path);
    const inode = this.directory(dir).get(name);
    if (inode === undefined) throw fsError('ENOENT', `no file ${path}`);
    return inode;
  }

  private checkGeneration(generation: number): void {
    if (generation !== this.generation) throw fsError('EIO', 'file handle from before a crash');
  }
}

/** Rebuilds a file after a crash: durable content plus what the mode keeps of the pending changes. */
function crashInode(inode: Inode, mode: CrashMode, rng: CrashRng | undefined): void {
  let keep = 0;
  let partialBytes = -1;
  if (mode === 'keep-unsynced') {
    keep = inode.pending.length;
  } else if (mode === 'tear' && inode.pending.length > 0) {
    keep = rng!.nextUint32() % (inode.pending.length + 1);
    const cut = inode.pending[keep];
    if (cut !== undefined && cut.kind === 'write') partialBytes = rng!.nextUint32() % (cut.bytes.length + 1);
  }
  const image = inode.durable.clone();
  for (let i = 0; i < keep; i++) image.apply(inode.pending[i]!);
  const cut = inode.pending[keep];
  if (partialBytes > 0 && cut !== undefined && cut.kind === 'write') {
    image.apply({ kind: 'write', offset: cut.offset, bytes: cut.bytes.subarray(0, partialBytes) });
  }
  inode.current = image;
  inode.durable = image.clone();
  inode.pending = [];
}
