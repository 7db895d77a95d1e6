/**
 * Waiting with a deadline and an abort signal, the pieces behind every blocking recipe call
 * (Curator's `wait(ms)` under a monitor becomes a promise raced against a timer and a signal).
 * @module
 */
import { ZkError } from '@zkts/client';

/** How long a blocking call may wait. */
export interface WaitOptions {
  /** Give up after this long. Default: wait indefinitely. */
  readonly timeoutMs?: number;
  /** Aborting rejects the call with the signal's reason and undoes what it set up. */
  readonly signal?: AbortSignal;
}

/** A point in time to give up at; `undefined` never comes. */
export type Deadline = number | undefined;

/** The deadline `timeoutMs` from now. */
export function deadlineAfter(timeoutMs: number | undefined): Deadline {
  if (timeoutMs === undefined) return undefined;
  if (!(timeoutMs >= 0)) throw new ZkError('BAD_ARGUMENTS', { message: `timeoutMs must be a non-negative number, got ${timeoutMs}` });
  return performance.now() + timeoutMs;
}

/** Milliseconds left until the deadline (never negative), or undefined for none. */
export function remainingMs(deadline: Deadline): number | undefined {
  return deadline === undefined ? undefined : Math.max(0, deadline - performance.now());
}

/** True once the deadline has passed. */
export function isPast(deadline: Deadline): boolean {
  return deadline !== undefined && performance.now() >= deadline;
}

/** Rejects with the signal's reason if it is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw signal.reason;
}

/**
 * Resolves `'woken'` when `wakeup` settles (either way), `'timeout'` at the deadline, and
 * rejects with the signal's reason on abort. Timers and listeners are always removed.
 */
export function waitFor(wakeup: Promise<unknown>, deadline: Deadline, signal?: AbortSignal): Promise<'woken' | 'timeout'> {
  if (signal?.aborted === true) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => {
      cleanup();
      reject(signal?.reason);
    };
    const cleanup = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const left = remainingMs(deadline);
    if (left !== undefined) {
      timer = setTimeout(() => {
        cleanup();
        resolve('timeout');
      }, left);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    const woken = (): void => {
      cleanup();
      resolve('woken');
    };
    wakeup.then(woken, woken);
  });
}

/** A one-shot wake-up: `promise` resolves the first time `wake` is called. */
export interface Wakeup {
  readonly promise: Promise<void>;
  readonly wake: () => void;
}

/** Creates a {@link Wakeup}. */
export function wakeup(): Wakeup {
  let wake!: () => void;
  const promise = new Promise<void>((resolve) => {
    wake = resolve;
  });
  return { promise, wake };
}

/** Resolves after `ms`, or rejects with the signal's reason on abort. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  await waitFor(new Promise(() => {}), performance.now() + ms, signal);
}
