/**
 * Persistent watches where the server has them. ZooKeeper 3.6 added `addWatch`; a watch that
 * is not consumed by firing lets a cache see every change without re-arming, so no change can
 * slip between a watch firing and the next one being set. Older servers answer UNIMPLEMENTED,
 * and caches fall back to one-shot watches there.
 * @module
 */
import type { AddWatchModeName, Stat, Watcher, ZkClient } from '@zkts/client';
import { hasCode } from '../util/codes.js';

/** How a cache watches: persistent watches when the server supports them (default `auto`), or always one-shot. */
export type CacheWatchMode = 'auto' | 'persistent' | 'one-shot';

/** The data of one cached node (Curator's `ChildData`). */
export interface ChildData {
  readonly path: string;
  readonly stat: Stat;
  readonly data: Uint8Array | null;
}

/**
 * Adds a persistent watch and resolves true, or resolves false if the server does not support
 * persistent watches (only when `mode` is `auto`; with `persistent` the error is passed on).
 * Connection errors are passed on: they say nothing about support.
 */
export async function tryAddPersistentWatch(client: ZkClient, path: string, watcher: Watcher, addMode: AddWatchModeName, mode: CacheWatchMode): Promise<boolean> {
  if (mode === 'one-shot') return false;
  try {
    await client.addWatch(path, watcher, addMode);
    return true;
  } catch (error) {
    // UNIMPLEMENTED from servers before 3.6; the others from servers that misread the request.
    if (mode === 'auto' && hasCode(error, 'UNIMPLEMENTED', 'MARSHALLING_ERROR', 'BAD_ARGUMENTS', 'API_ERROR', 'SYSTEM_ERROR')) return false;
    throw error;
  }
}

/**
 * True if two Stats describe the same data of the same node (same creation, same last data
 * change). Child-list counters are left out: persistent recursive watches do not report a
 * parent whose children changed, so caches only report data changes in every mode.
 */
export function sameData(a: Stat, b: Stat): boolean {
  return a.mzxid === b.mzxid && a.czxid === b.czxid;
}
