/**
 * A local copy of one node's data and Stat that follows every change (Curator's NodeCache).
 * With persistent watches (`addWatch` PERSISTENT) each change is seen without re-arming;
 * elsewhere a re-armed `exists`/`getData` watch is used, and each firing re-reads the node.
 * After a reconnect the node is re-read, and a new session gets a new watch.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import type { WatchedEvent, ZkClient } from '@zkts/client';
import type { ConnectionState } from '../session/connection-state.js';
import { type ClientSource, type ManagedClient, managedClientOf } from '../session/managed-client.js';
import { retrying } from '../session/retrying.js';
import { hasCode } from '../util/codes.js';
import { checkBasePath } from '../util/paths.js';
import { SerialQueue } from '../util/serial-queue.js';
import { type CacheWatchMode, type ChildData, sameData, tryAddPersistentWatch } from './watch-mode.js';

/** Events of a {@link NodeCache}. */
export interface NodeCacheEvents {
  /** The node was created, changed or deleted; `current` is undefined when it does not exist. */
  nodeChanged: (current: ChildData | undefined) => void;
  /** A background read failed; the cache re-reads after the next reconnect. */
  error: (error: unknown) => void;
}

/** Options of {@link NodeCache}. */
export interface NodeCacheOptions {
  /** Default `auto`: persistent watches where supported. */
  readonly watchMode?: CacheWatchMode;
}

/** A cache of one node; see the module description. */
export class NodeCache extends EventEmitter<NodeCacheEvents> {
  private readonly session: ManagedClient;
  private readonly queue = new SerialQueue((error) => this.emit('error', error));
  #current: ChildData | undefined;
  #state: 'LATENT' | 'STARTED' | 'CLOSED' = 'LATENT';
  #persistent = false;
  #watchClient: ZkClient | undefined;
  readonly #watchMode: CacheWatchMode;
  readonly #watcher = (event: WatchedEvent): void => {
    if (event.type !== 'None' && event.type !== 'NodeChildrenChanged' && this.#state === 'STARTED') void this.queue.run(() => this.refresh());
  };
  readonly #onState = (state: ConnectionState): void => {
    if (state === 'RECONNECTED') void this.queue.run(() => this.refresh());
  };

  constructor(source: ClientSource, readonly path: string, options: NodeCacheOptions = {}) {
    super();
    this.session = managedClientOf(source);
    checkBasePath(path);
    this.#watchMode = options.watchMode ?? 'auto';
  }

  /** The cached node, or undefined if it does not exist. */
  get current(): ChildData | undefined {
    return this.#current;
  }

  /** True when the cache is fed by a persistent watch (known after {@link start}). */
  get usesPersistentWatch(): boolean {
    return this.#persistent;
  }

  /** Reads the node and starts following it. */
  async start(): Promise<void> {
    if (this.#state !== 'LATENT') throw new Error('Cannot be started more than once');
    this.#state = 'STARTED';
    this.session.on('stateChanged', this.#onState);
    let failure: unknown;
    await this.queue.run(async () => {
      try {
        await this.refresh();
      } catch (error) {
        failure = error;
      }
    });
    if (failure !== undefined) throw failure;
  }

  /** Stops following the node and removes the persistent watch. */
  async close(): Promise<void> {
    if (this.#state !== 'STARTED') return;
    this.#state = 'CLOSED';
    this.session.off('stateChanged', this.#onState);
    await this.queue.idle();
    const client = this.#watchClient;
    if (client !== undefined) {
      await client.removeWatches(this.path, this.#watcher, 'Any', true).catch(() => {});
    }
  }

  private async refresh(): Promise<void> {
    if (this.#state !== 'STARTED') return;
    await retrying(this.session, async (client) => {
      if (this.#watchClient !== client) {
        // First read, or a new session: its watches start empty.
        this.#persistent = await tryAddPersistentWatch(client, this.path, this.#watcher, 'PERSISTENT', this.#watchMode);
        this.#watchClient = client;
      }
      const watcher = this.#persistent ? undefined : this.#watcher;
      const stat = await client.exists(this.path, watcher);
      if (stat === null) {
        this.set(undefined);
        return;
      }
      try {
        const { data, stat: dataStat } = await client.getData(this.path, watcher);
        this.set({ path: this.path, stat: dataStat, data });
      } catch (error) {
        // Deleted between the two reads: the exists watch reports a re-creation.
        if (!hasCode(error, 'NO_NODE')) throw error;
        this.set(undefined);
      }
    });
  }

  private set(next: ChildData | undefined): void {
    const previous = this.#current;
    if (previous === undefined && next === undefined) return;
    if (previous !== undefined && next !== undefined && sameData(previous.stat, next.stat)) return;
    this.#current = next;
    this.emit('nodeChanged', next);
  }
}

/** Creates a {@link NodeCache} (not yet started). */
export function nodeCache(source: ClientSource, path: string, options?: NodeCacheOptions): NodeCache {
  return new NodeCache(source, path, options);
}
