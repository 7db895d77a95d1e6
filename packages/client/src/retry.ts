import pRetry from 'p-retry';
import type { RetryOptions } from './client-options.js';
import { isRetryable } from './errors.js';

/** Default first retry delay. */
export const DEFAULT_RETRY_MIN_TIMEOUT_MS = 100;
/** Default cap on one retry delay. */
export const DEFAULT_RETRY_MAX_TIMEOUT_MS = 10_000;

/**
 * Runs `attempt`, retrying with exponential backoff (factor 2, randomized ×1–2, as Curator's
 * ExponentialBackoffRetry spreads its sleeps) while it fails with errors marked retryable.
 * Without a policy the attempt runs once.
 */
export function withRetry<T>(policy: RetryOptions | undefined, attempt: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (policy === undefined || policy.retries <= 0) return attempt();
  return pRetry(attempt, {
    retries: policy.retries,
    factor: 2,
    minTimeout: policy.minTimeoutMs ?? DEFAULT_RETRY_MIN_TIMEOUT_MS,
    maxTimeout: policy.maxTimeoutMs ?? DEFAULT_RETRY_MAX_TIMEOUT_MS,
    randomize: true,
    signal,
    shouldRetry: ({ error }) => isRetryable(error),
  });
}
