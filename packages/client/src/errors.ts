import { ErrorCode, ZkError } from '@zkts/protocol';
import type { OpResult } from './multi-op.js';

/**
 * A failed `multi`/transaction: the ZkError of the first failing op, carrying every op's
 * result like `KeeperException.getResults()` — OK error results before the failing op, its
 * own error, and RUNTIME_INCONSISTENCY after it.
 */
export class MultiError extends ZkError {
  /** One result per op, in op order. */
  readonly results: readonly OpResult[];
  /** Index of the op that failed. */
  readonly failedOpIndex: number;

  constructor(failed: ZkError, results: readonly OpResult[], failedOpIndex: number) {
    super(failed.code, failed.path === undefined ? {} : { path: failed.path });
    this.name = 'MultiError';
    this.results = results;
    this.failedOpIndex = failedOpIndex;
  }
}

/** The error codes worth retrying: the request may not have reached the server, or its answer was lost. */
const RETRYABLE_CODES: ReadonlySet<number> = new Set([ErrorCode.CONNECTION_LOSS, ErrorCode.OPERATION_TIMEOUT]);

/**
 * Builds the ZkError for a failed reply. Errors of retry-safe operations that a retry could
 * fix (CONNECTION_LOSS, OPERATION_TIMEOUT) carry `retryable: true`, which the retry policy reads.
 */
export function replyError(err: number, path: string | undefined, retrySafe: boolean): ZkError {
  const error = ZkError.fromErrno(err, path);
  if (retrySafe && RETRYABLE_CODES.has(err)) markRetryable(error);
  return error;
}

/** Marks an error as safe to retry. */
export function markRetryable(error: ZkError): void {
  Object.defineProperty(error, 'retryable', { value: true, enumerable: true });
}

/** True for errors marked retryable: a transient failure of an operation that is safe to repeat. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ZkError && (error as ZkError & { retryable?: unknown }).retryable === true;
}
