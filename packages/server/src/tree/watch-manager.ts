/**
 * One table of watches (ZooKeeper's WatchManager): the tree keeps one for data
 * watches and one for child watches. A watcher may hold several modes on one
 * path at once (standard, persistent, persistent-recursive), as ZooKeeper does
 * since ZOOKEEPER-4466; 3.8.0 kept only the last mode registered.
 *
 * Watchers are opaque keys (a connection, a session object…). Where ZooKeeper
 * iterates a HashSet of watchers in identity-hash order, this table uses
 * registration order, so triggers are deterministic.
 * @module
 */

import type { ACL, EventType } from '@zkts/protocol';
import type { WatchDelivery } from './tree-types.js';

/** Watch modes as bits, so one (watcher, path) entry can hold several. */
export const WatchMode = {
  /** One-shot: removed when it fires (getData, exists, getChildren). */
  STANDARD: 1,
  /** Stays after firing; fires for its own path only (addWatch PERSISTENT). */
  PERSISTENT: 2,
  /** Stays after firing; fires for its path and every descendant (addWatch PERSISTENT_RECURSIVE). */
  PERSISTENT_RECURSIVE: 4,
} as const;
/** One watch mode bit. */
export type WatchMode = (typeof WatchMode)[keyof typeof WatchMode];

/** Counts for the `wchs` four-letter word (WatchesSummary). */
export interface WatchSummary {
  /** Distinct watchers (ZooKeeper: connections). */
  watchers: number;
  /** Distinct watched paths. */
  paths: number;
  /** (watcher, path) pairs. */
  watches: number;
}

/** Yields `path`, then its parent, up to and including `/` (PathParentIterator.forAll). */
function* pathAndAncestors(path: string): Generator<string> {
  let p = path;
  for (;;) {
    yield p;
    if (p === '/' || p === '') return;
    const slash = p.lastIndexOf('/');
    p = slash <= 0 ? '/' : p.slice(0, slash);
  }
}

/** A table of watches keyed by path and by watcher. */
export class WatchManager<W> {
  private readonly watchTable = new Map<string, Map<W, number>>();
  private readonly watch2Paths = new Map<W, Set<string>>();
  private recursiveCount = 0;

  /** Registers `watcher` on `path` in `mode`; returns false if it already had that mode there. */
  add(path: string, watcher: W, mode: WatchMode = WatchMode.STANDARD): boolean {
    let watchers = this.watchTable.get(path);
    if (watchers === undefined) {
      watchers = new Map();
      this.watchTable.set(path, watchers);
    }
    const old = watchers.get(watcher) ?? 0;
    if ((old & mode) !== 0) return false;
    watchers.set(watcher, old | mode);
    let paths = this.watch2Paths.get(watcher);
    if (paths === undefined) {
      paths = new Set();
      this.watch2Paths.set(watcher, paths);
    }
    paths.add(path);
    if (mode === WatchMode.PERSISTENT_RECURSIVE) this.recursiveCount++;
    return true;
  }

  /**
   * Fires the watches an event on `path` reaches: every watch on the path
   * itself (standard ones are consumed) and recursive watches on its
   * ancestors. Each watcher is notified once; watchers in `suppress` are
   * consumed but not notified (a delete's child watches skip watchers its data
   * watches already told). Returns every watcher reached, suppressed or not.
   */
  trigger(
    path: string,
    type: EventType,
    acl: readonly ACL[] | null,
    out: WatchDelivery<W>[],
    suppress?: ReadonlySet<W>,
  ): Set<W> {
    const reached = new Set<W>();
    const levels = this.recursiveCount === 0 ? [path] : pathAndAncestors(path);
    let atPath = true;
    for (const localPath of levels) {
      const watchers = this.watchTable.get(localPath);
      if (watchers !== undefined) {
        for (const [watcher, modes] of watchers) {
          if (atPath) {
            reached.add(watcher);
            if ((modes & WatchMode.STANDARD) !== 0) this.clearModes(localPath, watcher, WatchMode.STANDARD);
          } else if ((modes & WatchMode.PERSISTENT_RECURSIVE) !== 0) {
            reached.add(watcher);
          }
        }
      }
      atPath = false;
    }
    for (const watcher of reached) {
      if (suppress?.has(watcher) !== true) out.push({ watcher, event: { type, path }, acl });
    }
    return reached;
  }

  /** Drops every watch of `watcher` (its connection closed). */
  removeWatcher(watcher: W): void {
    const paths = this.watch2Paths.get(watcher);
    if (paths === undefined) return;
    for (const path of [...paths]) this.clearModes(path, watcher, 0b111);
  }

  /**
   * Removes `watcher`'s watch on `path` in `mode`, or in every mode when `mode`
   * is undefined; returns whether anything was removed.
   */
  remove(path: string, watcher: W, mode: WatchMode | undefined): boolean {
    const modes = this.watchTable.get(path)?.get(watcher) ?? 0;
    const clearing = mode ?? 0b111;
    if ((modes & clearing) === 0) return false;
    this.clearModes(path, watcher, clearing);
    return true;
  }

  /** Whether `watcher` watches `path` in `mode` (any mode when undefined). */
  contains(path: string, watcher: W, mode: WatchMode | undefined): boolean {
    const modes = this.watchTable.get(path)?.get(watcher) ?? 0;
    return (modes & (mode ?? 0b111)) !== 0;
  }

  private clearModes(path: string, watcher: W, clearing: number): void {
    const watchers = this.watchTable.get(path);
    const modes = watchers?.get(watcher);
    if (watchers === undefined || modes === undefined) return;
    if ((modes & clearing & WatchMode.PERSISTENT_RECURSIVE) !== 0) this.recursiveCount--;
    const left = modes & ~clearing;
    if (left !== 0) {
      watchers.set(watcher, left);
      return;
    }
    watchers.delete(watcher);
    if (watchers.size === 0) this.watchTable.delete(path);
    const paths = this.watch2Paths.get(watcher);
    paths?.delete(path);
    if (paths?.size === 0) this.watch2Paths.delete(watcher);
  }

  /** Number of (path, watcher) entries (WatchManager.size). */
  get size(): number {
    let n = 0;
    for (const watchers of this.watchTable.values()) n += watchers.size;
    return n;
  }

  /** Counts for `wchs`. */
  summary(): WatchSummary {
    let watches = 0;
    for (const paths of this.watch2Paths.values()) watches += paths.size;
    return { watchers: this.watch2Paths.size, paths: this.watchTable.size, watches };
  }

  /** Watched paths per watcher (`wchc`). */
  byWatcher(): Map<W, string[]> {
    const out = new Map<W, string[]>();
    for (const [watcher, paths] of this.watch2Paths) out.set(watcher, [...paths]);
    return out;
  }

  /** Watchers per path (`wchp`). */
  byPath(): Map<string, W[]> {
    const out = new Map<string, W[]>();
    for (const [path, watchers] of this.watchTable) out.set(path, [...watchers.keys()]);
    return out;
  }
}
