/**
 * The slice of a file system the storage engine uses. Narrow on purpose: the
 * same engine runs on the disk ({@link nodeStorageFs}), in memory with crash
 * semantics (`MemoryFs`), and under fault injection (`FaultyFs`), and tests
 * can wrap it to count or fail calls.
 * @module
 */
import { constants as fsConstants } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';

/** A file opened for writing at explicit positions. */
export interface WritableFile {
  /** Writes `chunks` back to back starting at byte `position`. */
  write(chunks: readonly Uint8Array[], position: number): Promise<void>;
  /** Makes the file's data durable (fdatasync). */
  datasync(): Promise<void>;
  /** Sets the file's length, cutting or zero-extending it. */
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/** A file opened for reading at explicit positions. */
export interface ReadableFile {
  /** Reads up to `into.length` bytes at `position`; returns how many were read (0 at the end). */
  read(into: Uint8Array, position: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * File operations with POSIX meaning. Paths are joined with `/`. Errors carry
 * Node's `code` (`ENOENT` for a missing file).
 */
export interface StorageFs {
  /** Creates a directory and its parents; no error if it exists. */
  mkdirp(dir: string): Promise<void>;
  /** Names of the entries of a directory. */
  list(dir: string): Promise<string[]>;
  /** The whole content of a file. */
  readFile(path: string): Promise<Uint8Array>;
  openRead(path: string): Promise<ReadableFile>;
  /** Opens for writing, creating the file if missing; `truncate` empties it first. */
  openWrite(path: string, options: { truncate: boolean }): Promise<WritableFile>;
  /** Atomically replaces `to` with `from` (within one directory). */
  rename(from: string, to: string): Promise<void>;
  /** Deletes a file; no error if it is already gone. */
  remove(path: string): Promise<void>;
  /** Makes the directory's entries (creations, renames, deletions) durable. */
  syncDir(dir: string): Promise<void>;
}

/** True when `error` is a file-not-found error. */
export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

/** Joins a directory and a file name. */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

class NodeWritableFile implements WritableFile {
  constructor(private readonly handle: FileHandle) {}

  async write(chunks: readonly Uint8Array[], position: number): Promise<void> {
    let pending = chunks.filter((c) => c.length > 0);
    let at = position;
    // writev may write less than asked (large writes, signals); finish the rest.
    while (pending.length > 0) {
      const { bytesWritten } = await this.handle.writev(pending, at);
      at += bytesWritten;
      let skip = bytesWritten;
      const rest: Uint8Array[] = [];
      for (const chunk of pending) {
        if (skip >= chunk.length) {
          skip -= chunk.length;
          continue;
        }
        rest.push(skip > 0 ? chunk.subarray(skip) : chunk);
        skip = 0;
      }
      pending = rest;
    }
  }

  datasync(): Promise<void> {
    return this.handle.datasync();
  }

  truncate(length: number): Promise<void> {
    return this.handle.truncate(length);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

class NodeReadableFile implements ReadableFile {
  constructor(private readonly handle: FileHandle) {}

  async read(into: Uint8Array, position: number): Promise<number> {
    const { bytesRead } = await this.handle.read(into, 0, into.length, position);
    return bytesRead;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** The real file system, through `node:fs/promises` (the libuv thread pool). */
export const nodeStorageFs: StorageFs = {
  async mkdirp(dir) {
    await mkdir(dir, { recursive: true });
  },
  list: (dir) => readdir(dir),
  async readFile(path) {
    const buffer = await readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  },
  async openRead(path) {
    return new NodeReadableFile(await open(path, 'r'));
  },
  async openWrite(path, options) {
    const flags = fsConstants.O_WRONLY | fsConstants.O_CREAT | (options.truncate ? fsConstants.O_TRUNC : 0);
    return new NodeWritableFile(await open(path, flags, 0o644));
  },
  rename: (from, to) => rename(from, to),
  remove: (path) => rm(path, { force: true }),
  async syncDir(dir) {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
