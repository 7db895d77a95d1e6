/**
 * Which files a purge deletes (ZooKeeper's PurgeTxnLog rule) and the periodic
 * purge task (ZooKeeper's DatadirCleanupManager, `autopurge.*` in zoo.cfg).
 * @module
 */
import { logFilesAfter, type ZxidFile } from './file-names.js';
import type { PurgeResult, Storage } from './storage.js';

/** The smallest `autopurge.snapRetainCount` ZooKeeper accepts. */
export const MIN_SNAP_RETAIN_COUNT = 3;

/** The files a purge deletes. */
export interface PurgePlan {
  snapshots: ZxidFile[];
  logs: ZxidFile[];
}

/**
 * Keeps the `retainCount` newest snapshots and every log needed to replay from
 * the oldest of them: logs starting after it, plus the newest log starting at
 * or before it (it holds the transactions right after the snapshot). Deletes
 * older snapshots and logs. With fewer snapshots than `retainCount`, or none,
 * nothing is deleted.
 */
export function planPurge(snapshots: readonly ZxidFile[], logs: readonly ZxidFile[], retainCount: number): PurgePlan {
  if (retainCount < MIN_SNAP_RETAIN_COUNT) {
    throw new RangeError(`snapRetainCount should be greater than or equal to ${MIN_SNAP_RETAIN_COUNT}, got ${retainCount}`);
  }
  const newestFirst = [...snapshots].sort((a, b) => b.zxid - a.zxid);
  if (newestFirst.length < retainCount) return { snapshots: [], logs: [] };
  const leastRetainedZxid = newestFirst[retainCount - 1]!.zxid;
  const ascendingLogs = [...logs].sort((a, b) => a.zxid - b.zxid);
  const retainedLogs = new Set(logFilesAfter(ascendingLogs, leastRetainedZxid));
  return {
    snapshots: newestFirst.filter((s) => s.zxid < leastRetainedZxid),
    logs: ascendingLogs.filter((l) => l.zxid < leastRetainedZxid && !retainedLogs.has(l)),
  };
}

/** Settings of the periodic purge, as zoo.cfg names them. */
export interface AutoPurgeOptions {
  /** `autopurge.snapRetainCount`: snapshots to keep; below 3 it is raised to 3, as ZooKeeper does. Default 3. */
  snapRetainCount?: number;
  /** `autopurge.purgeInterval` in hours; 0 (the default) disables the task. */
  purgeIntervalHours?: number;
  /** Called with each purge's result. */
  onPurge?: (result: PurgeResult) => void;
  /** Called when a purge fails (the task keeps running). */
  onError?: (error: unknown) => void;
}

/** A running periodic purge. */
export interface AutoPurgeTask {
  /** Whether a timer is scheduled (false when the interval is 0). */
  readonly scheduled: boolean;
  stop(): void;
}

/**
 * Purges `storage` every `purgeIntervalHours`, like ZooKeeper's
 * DatadirCleanupManager (which also purges first one interval after start).
 * The timer does not keep the process alive.
 */
export function startAutoPurge(storage: Storage, options: AutoPurgeOptions = {}): AutoPurgeTask {
  const hours = options.purgeIntervalHours ?? 0;
  const retain = Math.max(options.snapRetainCount ?? MIN_SNAP_RETAIN_COUNT, MIN_SNAP_RETAIN_COUNT);
  if (!(hours > 0)) return { scheduled: false, stop: () => {} };
  const intervalMs = hours * 3_600_000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // Node fires timers longer than 2^31 - 1 ms at once, so long intervals are waited for in steps.
  const wait = (remainingMs: number): void => {
    if (stopped) return;
    const stepMs = Math.min(remainingMs, MAX_TIMER_MS);
    timer = setTimeout(() => (remainingMs > stepMs ? wait(remainingMs - stepMs) : void runPurge()), stepMs);
    timer.unref();
  };
  const runPurge = async (): Promise<void> => {
    try {
      // Not `onPurge?.(await …)`: optional-call arguments are not evaluated when the callee is missing.
      const result = await storage.purge(retain);
      options.onPurge?.(result);
    } catch (error) {
      options.onError?.(error);
    }
    wait(intervalMs);
  };
  wait(intervalMs);
  return {
    scheduled: true,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** Longest delay a Node timer honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;
