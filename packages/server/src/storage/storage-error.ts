/**
 * Errors of the storage layer. They are not ZooKeeper errors (no client ever
 * sees them): they stop a server from starting on damaged data, or stop it
 * from acknowledging writes it could not make durable.
 * @module
 */

/**
 * What went wrong:
 * - `CORRUPT_LOG`: a transaction log record is damaged where it cannot be a torn
 *   tail (valid records follow it, or it is not in the newest log file).
 * - `CORRUPT_SNAPSHOT`: a snapshot file is damaged (checksum, truncation, layout).
 * - `NO_VALID_SNAPSHOT`: snapshot files exist but none of them is readable.
 * - `LOG_GAP`: transactions are missing between the snapshot and the log, or
 *   inside the log, so replay would skip writes.
 * - `CORRUPT_EPOCH`: an epoch file does not hold a number.
 * - `IO_FAILED`: a write or fsync failed; the storage refuses all further work
 *   (after a failed fsync the kernel may have dropped the data, so retrying
 *   could acknowledge writes that are lost), and the server must restart.
 * - `CLOSED`: the storage was closed or crashed (simulated) and is unusable.
 */
export type StorageErrorCode =
  | 'CORRUPT_LOG'
  | 'CORRUPT_SNAPSHOT'
  | 'NO_VALID_SNAPSHOT'
  | 'LOG_GAP'
  | 'CORRUPT_EPOCH'
  | 'IO_FAILED'
  | 'CLOSED';

/** A storage failure, with the file and byte offset it concerns where there is one. */
export class StorageError extends Error {
  /** The kind of failure. */
  readonly code: StorageErrorCode;
  /** The file concerned, if any. */
  readonly file: string | undefined;
  /** The byte offset in `file` where the damage starts, if known. */
  readonly offset: number | undefined;

  constructor(code: StorageErrorCode, message: string, options: { file?: string; offset?: number; cause?: unknown } = {}) {
    const where = options.file === undefined ? '' : ` (${options.file}${options.offset === undefined ? '' : ` at offset ${options.offset}`})`;
    super(`${message}${where}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StorageError';
    this.code = code;
    this.file = options.file;
    this.offset = options.offset;
  }
}

/** True for a StorageError of the given code. */
export function isStorageError(error: unknown, code?: StorageErrorCode): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code);
}
