/**
 * Classifying errors from the client.
 * @module
 */
import { type ErrorCodeName, ZkError } from '@zkts/client';

/** True if `error` is a ZkError with one of `codes`. */
export function hasCode(error: unknown, ...codes: ErrorCodeName[]): error is ZkError {
  return error instanceof ZkError && codes.includes(error.code);
}

/**
 * True for a failure that says nothing about the operation's outcome: the request may or may
 * not have been applied, and the connection (not the session) failed. Curator's
 * `RetryLoop.shouldRetry` codes.
 */
export function isConnectionError(error: unknown): error is ZkError {
  return hasCode(error, 'CONNECTION_LOSS', 'OPERATION_TIMEOUT', 'SESSION_MOVED');
}
