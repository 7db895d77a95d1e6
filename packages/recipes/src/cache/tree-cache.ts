/**
 * A local copy of a whole subtree that follows every change (Curator's TreeCache, and
 * CuratorCache's use of persistent recursive watches). With one `addWatch` PERSISTENT_RECURSIVE
 * on the root, the server reports every creation, data change and deletion below it, and the
 * cache re-reads each node named. Where the server lacks persistent watches, every node gets a
 * re-armed data watch and child watch instead, and a child list that changed is re-read and
 * diffed. After a reconnect the whole tree is re-read and diffed, so nothing missed while
 * disconnected (or in an earlier session) is left out.
 *
 * Events are applied strictly in arrival order: the server sends replies and notifications
 * on one ordered stream, so a read issued after an event never returns older data than it.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import type { WatchedEvent, Watcher, ZkClient } from '@zkts/client';
import type { ConnectionState } from '../session/connection-state.js';
import { type ClientSource, type ManagedClient, managedClientOf } from '../session/managed-client.js';
import { retrying } from '../session/retrying.js';
import { hasCode } from '../util/codes.js';
import { checkBasePath, joinPath } from '../util/paths.js';
import { SerialQueue } from '../util/serial-queue.js';
import { type CacheWatchMode, type ChildData, sameData, tryAddPersistentWatch } from './watch-mode.js';

/** Events of a {@link TreeCache}. */
export interface TreeCacheEvents {
  /** A node appeared (during the initial load too). */
  nodeAdded: (node: ChildData) => void;
  /** A node's data or Stat changed. */
  nodeUpdated: (node: ChildData, previous: ChildData) => void;
  /** A node was deleted (descendants are reported before their parent). */
  nodeRemoved: (node: ChildData) => void;
  /** The initial load is complete. */
  initialized: () => void;
  /** A background read failed; the cache re-reads after the next reconnect. */
  error: (error: unknown) => void;
}

/** Options of {@link TreeCache}. */
export interface TreeCacheOptions {
  /** Default `auto`: a persistent recursive watch where supported. */
  readonly watchMode?: CacheWatchMode;
}

/** A cache of a subtree; see the module description. */
export class TreeCache extends EventEmitter<TreeCacheEvents> {
  private readonly session: ManagedClient;
  private readonly queue = new SerialQueue((error) => this.emit('error', error));
  private readonly nodes = new Map<string, ChildData>();
  #state: 'LATENT' | 'STARTED' | 'CLOSED' = 'LATENT';
  #persistent = false;
  #watchClient: ZkClient | undefined;
  readonly #watchMode: CacheWatchMode;
  readonly #watcher: Watcher = (event: WatchedEvent): void => {
    if (event.type === 'None' || event.path === null || this.#state !== 'STARTED') return;
    const { type, path } = event;
    void this.queue.run(() => this.onNodeEvent(type, path));
  };
  readonly #onState = (state: ConnectionState): void => {
    if (state === 'RECONNECTED') void this.queue.run(() => this.refreshAll());
  };

  constructor(source: ClientSource, readonly root: string, options: TreeCacheOptions = {}) {
    super();
    this.session = managedClientOf(source);
    checkBasePath(root);
    this.#watchMode = options.watchMode ?? 'auto';
  }

  /** True when the cache is fed by a persistent recursive watch (known after {@link start}). */
  get usesPersistentWatch(): boolean {
    return this.#persistent;
  }

  /** The cached node at `path`, if any. */
  get(path: string): ChildData | undefined {
    return this.nodes.get(path);
  }

  /** Names of the cached children of `path`, sorted; undefined if `path` is not cached. */
  children(path: string): string[] | undefined {
    if (!this.nodes.has(path)) return undefined;
    const prefix = path === '/' ? '/' : `${path}/`;
    const names: string[] = [];
    for (const other of this.nodes.keys()) {
      if (other !== path && other.startsWith(prefix) && !other.slice(prefix.length).includes('/')) names.push(other.slice(prefix.length));
    }
    return names.sort();
  }

  /** Every cached node by path. */
  entries(): ReadonlyMap<string, ChildData> {
    return this.nodes;
  }

  /** Loads the subtree, emits `initialized`, and follows it. */
  async start(): Promise<void> {
    if (this.#state !== 'LATENT') throw new Error('Cannot be started more than once');
    this.#state = 'STARTED';
    this.session.on('stateChanged', this.#onState);
    let failure: unknown;
    await this.queue.run(async () => {
      try {
        await this.refreshAll();
      } catch (error) {
        failure = error;
      }
    });
    if (failure !== undefined) throw failure;
    this.emit('initialized');
  }

  /** Stops following the subtree and removes the persistent watch. */
  async close(): Promise<void> {
    if (this.#state !== 'STARTED') return;
    this.#state = 'CLOSED';
    this.session.off('stateChanged', this.#onState);
    await this.queue.idle();
    const client = this.#watchClient;
    if (client === undefined) return;
    if (this.#persistent) {
      await client.removeWatches(this.root, this.#watcher, 'Any', true).catch(() => {});
      return;
    }
    await Promise.all([...this.nodes.keys()].map((path) => client.removeWatches(path, this.#watcher, 'Any', true).catch(() => {})));
  }

  /** Re-reads the whole subtree (start, reconnect) and reports the differences. */
  private async refreshAll(): Promise<void> {
    if (this.#state !== 'STARTED') return;
    const fresh = await retrying(this.session, async (client) => {
      if (this.#watchClient !== client) {
        this.#persistent = await tryAddPersistentWatch(client, this.root, this.#watcher, 'PERSISTENT_RECURSIVE', this.#watchMode);
        this.#watchClient = client;
      }
      const loaded = new Map<string, ChildData>();
      await this.load(client, this.root, loaded);
      return loaded;
    });
    for (const path of [...this.nodes.keys()].reverse()) {
      if (!fresh.has(path)) this.remove(path);
    }
    for (const node of fresh.values()) this.put(node);
  }

  /** Reads `path` and its descendants into `into`, parents before children. */
  private async load(client: ZkClient, path: string, into: Map<string, ChildData>): Promise<void> {
    const watcher = this.#persistent ? undefined : this.#watcher;
    let node: ChildData;
    let children: string[];
    try {
      if (path === this.root && watcher !== undefined) await client.exists(path, watcher); // to hear of its creation
      const { data, stat } = await client.getData(path, watcher);
      node = { path, stat, data };
      children = await client.getChildren(path, watcher);
    } catch (error) {
      if (hasCode(error, 'NO_NODE')) return;
      throw error;
    }
    into.set(path, node);
    for (const child of children.sort()) await this.load(client, joinPath(path, child), into);
  }

  private async onNodeEvent(type: WatchedEvent['type'], path: string): Promise<void> {
    if (this.#state !== 'STARTED') return;
    const client = this.#watchClient;
    if (client === undefined || client !== this.session.client) return; // a stale session's event; the reconnect refresh covers it
    await retrying(this.session, async (current) => {
      if (current !== client) return;
      switch (type) {
        case 'NodeDeleted':
          this.removeSubtree(path);
          return;
        case 'NodeCreated':
        case 'NodeDataChanged':
          if (this.#persistent) await this.reread(client, path);
          else if (type === 'NodeCreated') await this.loadSubtree(client, path);
          else await this.reread(client, path);
          return;
        case 'NodeChildrenChanged':
          await this.rereadChildren(client, path);
          return;
        default:
          return;
      }
    });
  }

  /** Persistent mode: every created or changed node is named by its own event. */
  private async reread(client: ZkClient, path: string): Promise<void> {
    const watcher = this.#persistent ? undefined : this.#watcher;
    try {
      const { data, stat } = await client.getData(path, watcher);
      this.put({ path, stat, data });
    } catch (error) {
      if (!hasCode(error, 'NO_NODE')) throw error;
      this.removeSubtree(path);
    }
  }

  /** One-shot mode: diff a changed child list, loading new children and dropping gone ones. */
  private async rereadChildren(client: ZkClient, path: string): Promise<void> {
    let children: string[];
    try {
      children = await client.getChildren(path, this.#watcher);
    } catch (error) {
      if (!hasCode(error, 'NO_NODE')) throw error;
      this.removeSubtree(path);
      return;
    }
    const now = new Set(children);
    for (const known of this.children(path) ?? []) {
      if (!now.has(known)) this.removeSubtree(joinPath(path, known));
    }
    for (const child of [...now].sort()) {
      const childPath = joinPath(path, child);
      if (!this.nodes.has(childPath)) await this.loadSubtree(client, childPath);
    }
  }

  private async loadSubtree(client: ZkClient, path: string): Promise<void> {
    const loaded = new Map<string, ChildData>();
    await this.load(client, path, loaded);
    for (const node of loaded.values()) this.put(node);
  }

  private removeSubtree(path: string): void {
    const prefix = `${path}/`;
    const doomed = [...this.nodes.keys()].filter((other) => other === path || other.startsWith(prefix));
    // Deepest first, so children are reported before their parents.
    doomed.sort((a, b) => b.length - a.length);
    for (const other of doomed) this.remove(other);
  }

  private put(node: ChildData): void {
    const previous = this.nodes.get(node.path);
    if (previous === undefined) {
      if (!this.isUnderRoot(node.path)) return;
      this.nodes.set(node.path, node);
      this.emit('nodeAdded', node);
    } else {
      this.nodes.set(node.path, node);
      if (!sameData(previous.stat, node.stat)) this.emit('nodeUpdated', node, previous);
    }
  }

  private remove(path: string): void {
    const previous = this.nodes.get(path);
    if (previous === undefined) return;
    this.nodes.delete(path);
    this.emit('nodeRemoved', previous);
  }

  private isUnderRoot(path: string): boolean {
    return path === this.root || this.root === '/' || path.startsWith(`${this.root}/`);
  }
}

/** Creates a {@link TreeCache} (not yet started). */
export function treeCache(source: ClientSource, root: string, options?: TreeCacheOptions): TreeCache {
  return new TreeCache(source, root, options);
}
