// The closed-loop load generator: `inFlight` workers per session, each issuing one operation,
// awaiting it, and issuing the next, until the time or the operation budget runs out.
import { LatencyRecorder } from './stats.mjs';

/** How long to wait for operations still in flight when a run ends before counting them as failed. */
const DRAIN_TIMEOUT_MS = 15_000;
/** Pause of a worker after a failed operation. */
const FAILURE_PAUSE_MS = 10;
/** Distinct error messages kept per run, to show what failed. */
const ERROR_SAMPLES_MAX = 5;

/**
 * Runs `operation(session, sessionIndex, workerIndex, sequence)` from `inFlight` workers on each
 * session for `durationMs` (or until `maxOps` operations were issued), after `warmupMs` of the
 * same load whose results are not recorded but whose failures are still counted.
 * Every operation's outcome is checked: a rejection (including a failed answer check inside
 * `operation`) is a failure; operations still unanswered `DRAIN_TIMEOUT_MS` after the end are
 * failures too. Resolves with counts, latency percentiles and the measured window.
 */
export async function runClosedLoop({ sessions, inFlight, durationMs, warmupMs = 0, maxOps = Number.MAX_SAFE_INTEGER, operation, onProgress }) {
  const latencies = new LatencyRecorder();
  const errors = new Map();
  let ok = 0;
  let failed = 0;
  let warmupFailed = 0;
  let issued = 0;
  let pending = 0;
  let measuring = warmupMs === 0;
  const startedAt = performance.now();
  let measureStart = startedAt;
  const measureEnd = () => measureStart + durationMs;
  let stopped = false;

  const noteError = (error) => {
    const message = String(error?.code ?? error?.name ?? 'Error') + ': ' + String(error?.message ?? error).split('\n')[0];
    if (errors.size < ERROR_SAMPLES_MAX || errors.has(message)) errors.set(message, (errors.get(message) ?? 0) + 1);
  };

  const worker = async (session, sessionIndex, workerIndex) => {
    let sequence = 0;
    while (!stopped) {
      const now = performance.now();
      if (!measuring && now - startedAt >= warmupMs) {
        measuring = true;
        measureStart = now;
      }
      if (measuring && (now >= measureEnd() || issued >= maxOps)) break;
      const counted = measuring;
      if (counted) issued += 1;
      pending += 1;
      const began = performance.now();
      try {
        await operation(session, sessionIndex, workerIndex, sequence++);
        if (counted) {
          ok += 1;
          latencies.record(performance.now() - began);
        }
      } catch (error) {
        if (counted) failed += 1;
        else warmupFailed += 1;
        noteError(error);
        // A server that is down fails requests at once; don't spin on it.
        await new Promise((resolve) => setTimeout(resolve, FAILURE_PAUSE_MS));
      } finally {
        pending -= 1;
      }
    }
  };

  const progressTimer = onProgress ? setInterval(() => onProgress({ ok, failed, elapsedMs: performance.now() - startedAt }), 250) : undefined;
  const workers = sessions.flatMap((session, s) => Array.from({ length: inFlight }, (_, w) => worker(session, s, w)));
  const all = Promise.all(workers);
  // Workers check the clock only between operations; the drain timeout bounds a hung one.
  let drainTimer;
  const timedOut = new Promise((resolve) => {
    const hardStop = () => {
      drainTimer = setTimeout(() => resolve(true), DRAIN_TIMEOUT_MS);
    };
    const endTimer = setTimeout(hardStop, warmupMs + durationMs + 50);
    const clear = () => clearTimeout(endTimer);
    all.then(clear, clear);
  });
  const hung = await Promise.race([all.then(() => false), timedOut]);
  clearTimeout(drainTimer);
  clearInterval(progressTimer);
  const measuredMs = performance.now() - measureStart;
  stopped = true;
  if (hung) {
    failed += pending;
    noteError(new Error(`${pending} operations unanswered ${DRAIN_TIMEOUT_MS} ms after the run ended`));
  }
  return {
    ok,
    failed,
    warmupFailed,
    measuredMs,
    opsPerSec: ok / (measuredMs / 1000),
    ...latencies.summary(),
    errors: Object.fromEntries(errors),
  };
}
