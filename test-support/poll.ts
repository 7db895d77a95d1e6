import { setTimeout as delay } from 'node:timers/promises';

/** How {@link pollUntil} waits. */
export interface PollOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /** Pause between probes. */
  intervalMs?: number;
  /** Names what is awaited, for the timeout error. */
  description: string;
  /** Extra detail appended to the timeout error, e.g. the tail of a server log. */
  detail?: () => string;
}

/**
 * Calls `probe` until it returns something other than `undefined` and resolves with that value,
 * or rejects when `timeoutMs` has passed. An exception from `probe` ends the polling at once,
 * so probes can report conditions that waiting cannot fix (a process that exited).
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      const detail = options.detail?.() ?? '';
      throw new Error(`Timed out after ${options.timeoutMs} ms waiting for ${options.description}${detail === '' ? '' : `\n${detail}`}`);
    }
    await delay(options.intervalMs ?? 50);
  }
}
