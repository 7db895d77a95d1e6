import type { WatchLists } from './watch-manager.js';

/**
 * How many characters of watch paths go into one setWatches request (ClientCnxn's
 * `SET_WATCHES_MAX_LENGTH`, 128 KiB), so that re-registering many watches stays well under
 * the server's 1 MiB `jute.maxbuffer`.
 */
export const SET_WATCHES_MAX_LENGTH = 128 * 1024;

/** One setWatches (or setWatches2, when persistent watches are in the batch) request body, in server paths. */
export interface SetWatchesBatch {
  /** `setWatches` keeps compatibility with servers before 3.6; `setWatches2` adds persistent watches. */
  readonly op: 'setWatches' | 'setWatches2';
  readonly relativeZxid: bigint;
  readonly dataWatches: string[];
  readonly existWatches: string[];
  readonly childWatches: string[];
  readonly persistentWatches: string[];
  readonly persistentRecursiveWatches: string[];
}

/**
 * Splits the watches to re-register into requests the way `ClientCnxn.primeConnection`
 * does: tables drained in order data, exist, child, persistent, recursive; a batch closes
 * once its client paths reach {@link SET_WATCHES_MAX_LENGTH} characters (the last path may
 * overshoot); each path gets the chroot prepended.
 *
 * @param relativeZxid - the last zxid the client saw, so the server fires watches for changes it missed.
 */
export function batchSetWatches(
  lists: WatchLists,
  relativeZxid: bigint,
  toServerPath: (clientPath: string) => string,
  maxLength = SET_WATCHES_MAX_LENGTH,
): SetWatchesBatch[] {
  const queues: [keyof WatchLists, string[]][] = [
    ['data', lists.data],
    ['exist', lists.exist],
    ['child', lists.child],
    ['persistent', lists.persistent],
    ['persistentRecursive', lists.persistentRecursive],
  ];
  const cursors = new Map<keyof WatchLists, number>(queues.map(([kind]) => [kind, 0]));
  const remaining = (): boolean => queues.some(([kind, paths]) => (cursors.get(kind) ?? 0) < paths.length);
  const batches: SetWatchesBatch[] = [];
  while (remaining()) {
    const batch: Record<keyof WatchLists, string[]> = { data: [], exist: [], child: [], persistent: [], persistentRecursive: [] };
    let length = 0;
    while (length < maxLength) {
      const next = queues.find(([kind, paths]) => (cursors.get(kind) ?? 0) < paths.length);
      if (next === undefined) break;
      const [kind, paths] = next;
      const cursor = cursors.get(kind) ?? 0;
      const path = paths[cursor] as string;
      cursors.set(kind, cursor + 1);
      batch[kind].push(path);
      length += path.length;
    }
    const persistentInBatch = batch.persistent.length > 0 || batch.persistentRecursive.length > 0;
    batches.push({
      op: persistentInBatch ? 'setWatches2' : 'setWatches',
      relativeZxid,
      dataWatches: batch.data.map(toServerPath),
      existWatches: batch.exist.map(toServerPath),
      childWatches: batch.child.map(toServerPath),
      persistentWatches: batch.persistent.map(toServerPath),
      persistentRecursiveWatches: batch.persistentRecursive.map(toServerPath),
    });
  }
  return batches;
}
