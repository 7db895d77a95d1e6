import { ErrorCode, ZkError } from '@zkts/protocol';
import type { KeeperStateName, WatchEventType, Watcher, WatcherTypeName } from './watched-event.js';

/** The five watch tables of ZooKeeper's `ZKWatchManager`. */
export type WatchKind = 'data' | 'exist' | 'child' | 'persistent' | 'persistentRecursive';

/** Removal notifications `removeWatcher` owes, keyed by the event type each set of watchers receives. */
export type RemovedWatchers = Map<'ChildWatchRemoved' | 'DataWatchRemoved' | 'PersistentWatchRemoved', Set<Watcher>>;

/** Client paths with watches of each kind, for re-registering them with setWatches after a reconnect. */
export interface WatchLists {
  readonly data: string[];
  readonly exist: string[];
  readonly child: string[];
  readonly persistent: string[];
  readonly persistentRecursive: string[];
}

/**
 * The client's watch registry, with the rules of ZooKeeper's `ZKWatchManager`: which
 * watchers a server event consumes (`materialize`), how `removeWatches` edits the tables,
 * and what setWatches re-registers. Paths are client paths (chroot already stripped).
 * A watcher is identified by its function: adding it twice to one path and kind keeps one.
 */
export class WatchManager {
  private readonly tables: Record<WatchKind, Map<string, Set<Watcher>>> = {
    data: new Map(),
    exist: new Map(),
    child: new Map(),
    persistent: new Map(),
    persistentRecursive: new Map(),
  };

  /** @param autoWatchReset - false mirrors `zookeeper.disableAutoWatchReset`: one-shot watches die with the connection. */
  constructor(private readonly autoWatchReset = true) {}

  /** Adds a watcher to one table. */
  add(kind: WatchKind, path: string, watcher: Watcher): void {
    const table = this.tables[kind];
    let watchers = table.get(path);
    if (watchers === undefined) {
      watchers = new Set();
      table.set(path, watchers);
    }
    watchers.add(watcher);
  }

  /** Paths with watches, per table. */
  lists(): WatchLists {
    return {
      data: [...this.tables.data.keys()],
      exist: [...this.tables.exist.keys()],
      child: [...this.tables.child.keys()],
      persistent: [...this.tables.persistent.keys()],
      persistentRecursive: [...this.tables.persistentRecursive.keys()],
    };
  }

  /** True when no watch of any kind is registered. */
  get isEmpty(): boolean {
    return Object.values(this.tables).every((table) => table.size === 0);
  }

  /**
   * The watchers an event goes to, removing the one-shot ones it consumes
   * (`ZKWatchManager.materialize`). Session events (`None`) reach every watcher and consume
   * none, unless auto watch reset is off and the session is not connected.
   */
  materialize(state: KeeperStateName, type: WatchEventType, clientPath: string | null): Set<Watcher> {
    const result = new Set<Watcher>();
    const { data, exist, child } = this.tables;
    switch (type) {
      case 'None': {
        const clear = !this.autoWatchReset && state !== 'SyncConnected';
        for (const table of Object.values(this.tables)) {
          for (const watchers of table.values()) for (const watcher of watchers) result.add(watcher);
        }
        if (clear) {
          data.clear();
          exist.clear();
          child.clear();
        }
        return result;
      }
      case 'NodeDataChanged':
      case 'NodeCreated':
        addAll(takeFrom(data, clientPath), result);
        addAll(takeFrom(exist, clientPath), result);
        break;
      case 'NodeChildrenChanged':
        addAll(takeFrom(child, clientPath), result);
        break;
      case 'NodeDeleted':
        addAll(takeFrom(data, clientPath), result);
        // ZooKeeper never sets an exist watch on a node that exists, but clears one just in case.
        addAll(takeFrom(exist, clientPath), result);
        addAll(takeFrom(child, clientPath), result);
        break;
      default:
        // Removal events are made up locally and never materialized from the server.
        return result;
    }
    if (clientPath !== null) this.addPersistent(clientPath, type, result);
    return result;
  }

  private addPersistent(clientPath: string, type: WatchEventType, result: Set<Watcher>): void {
    addAll(this.tables.persistent.get(clientPath), result);
    // Recursive watches promise no child events, yet the server sends them when a plain child
    // watch exists on a descendant, so they are filtered here as ZooKeeper does.
    if (type === 'NodeChildrenChanged') return;
    for (const path of selfAndAncestors(clientPath)) addAll(this.tables.persistentRecursive.get(path), result);
  }

  /**
   * Whether a watcher (or any watcher, when `watcher` is undefined) of the given type is set
   * on the path (`ZKWatchManager.containsWatcher`).
   */
  contains(path: string, watcher: Watcher | undefined, type: WatcherTypeName): boolean {
    return this.kindsOf(type).some((kind) => {
      const watchers = this.tables[kind].get(path);
      if (watchers === undefined) return false;
      return watcher === undefined ? watchers.size > 0 : watchers.has(watcher);
    });
  }

  /**
   * Removes watchers after a removeWatches/checkWatches reply with result `rc`
   * (`ZKWatchManager.removeWatcher`). With `local`, watchers are removed even when the
   * server failed (for example while disconnected).
   * @throws ZkError NO_WATCHER if no such watcher is set; the server's error if it failed and `local` is false.
   */
  remove(path: string, watcher: Watcher | undefined, type: WatcherTypeName, local: boolean, rc: number): RemovedWatchers {
    if (!this.contains(path, watcher, type)) throw new ZkError('NO_WATCHER', { path });
    if (!local && rc !== ErrorCode.OK) throw ZkError.fromErrno(rc, path);
    const removed: RemovedWatchers = new Map([
      ['ChildWatchRemoved', new Set<Watcher>()],
      ['DataWatchRemoved', new Set<Watcher>()],
      ['PersistentWatchRemoved', new Set<Watcher>()],
    ]);
    let any = false;
    for (const kind of this.kindsOf(type)) {
      const into = removed.get(removalEventOf(kind));
      if (into !== undefined && this.removeFrom(kind, path, watcher, into)) any = true;
    }
    if (!any) throw new ZkError('NO_WATCHER', { path });
    return removed;
  }

  private removeFrom(kind: WatchKind, path: string, watcher: Watcher | undefined, into: Set<Watcher>): boolean {
    const table = this.tables[kind];
    const watchers = table.get(path);
    if (watchers === undefined) return false;
    if (watcher === undefined) {
      table.delete(path);
      addAll(watchers, into);
      return true;
    }
    if (!watchers.delete(watcher)) return false;
    into.add(watcher);
    if (watchers.size === 0) table.delete(path);
    return true;
  }

  private kindsOf(type: WatcherTypeName): WatchKind[] {
    switch (type) {
      case 'Children': return ['child'];
      case 'Data': return ['data', 'exist'];
      case 'Persistent': return ['persistent'];
      case 'PersistentRecursive': return ['persistentRecursive'];
      case 'Any': return ['child', 'data', 'exist', 'persistent', 'persistentRecursive'];
    }
  }
}

function removalEventOf(kind: WatchKind): 'ChildWatchRemoved' | 'DataWatchRemoved' | 'PersistentWatchRemoved' {
  if (kind === 'child') return 'ChildWatchRemoved';
  if (kind === 'data' || kind === 'exist') return 'DataWatchRemoved';
  return 'PersistentWatchRemoved';
}

function takeFrom(table: Map<string, Set<Watcher>>, path: string | null): Set<Watcher> | undefined {
  if (path === null) return undefined;
  const watchers = table.get(path);
  table.delete(path);
  return watchers;
}

function addAll(from: Set<Watcher> | undefined, to: Set<Watcher>): void {
  if (from !== undefined) for (const watcher of from) to.add(watcher);
}

/** The path and each of its ancestors up to `/` (`PathParentIterator.forAll`). */
export function selfAndAncestors(path: string): string[] {
  const result = [path];
  let current = path;
  while (current !== '/' && current.length > 0) {
    const slash = current.lastIndexOf('/');
    current = slash <= 0 ? '/' : current.slice(0, slash);
    result.push(current);
  }
  return result;
}
