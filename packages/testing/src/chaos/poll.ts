import { setTimeout as sleep } from 'node:timers/promises';

/** How often conditions are re-probed while waiting. */
const POLL_INTERVAL_MS = 50;

/**
 * Probes until `probe` yields a value, or resolves undefined once `timeoutMs` has passed (or
 * `signal` aborted): callers report a condition that never came instead of throwing.
 */
export async function pollFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, signal?: AbortSignal): Promise<T | undefined> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline || signal?.aborted === true) return undefined;
    await sleep(POLL_INTERVAL_MS);
  }
}

/** Sleeps `ms`, or less if `signal` aborts; never rejects. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return;
  await sleep(ms, undefined, signal === undefined ? undefined : { signal }).catch(() => undefined);
}
