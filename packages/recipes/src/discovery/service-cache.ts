/**
 * A live list of one service's instances (Curator's ServiceCache). It watches the service's
 * node with one-shot child watches: every time the watch fires the children are read again —
 * which also re-arms the watch — and diffed against the known list, so an instance that came or
 * went between two watches is still reported. A data watch on each instance reports updates.
 * After a reconnect (and in a new session) the list is read and diffed again.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import type { WatchedEvent, ZkClient } from '@zkts/client';
import type { ConnectionState } from '../session/connection-state.js';
import { type ClientSource, type ManagedClient, managedClientOf } from '../session/managed-client.js';
import { retrying } from '../session/retrying.js';
import { hasCode } from '../util/codes.js';
import { joinPath, nodeName } from '../util/paths.js';
import { SerialQueue } from '../util/serial-queue.js';
import { type ServiceInstance, deserializeServiceInstance, sameInstance } from './service-instance.js';

/** Events of a {@link ServiceCache}. */
export interface ServiceCacheEvents<P> {
  /** An instance registered (also emitted for the instances found by {@link ServiceCache.start}). */
  up: (instance: ServiceInstance<P>) => void;
  /** An instance went away (unregistered, or its session ended). */
  down: (instance: ServiceInstance<P>) => void;
  /** An instance's registration changed. */
  change: (instance: ServiceInstance<P>, previous: ServiceInstance<P>) => void;
  /** A background read failed; the cache reads again after the next reconnect. */
  error: (error: unknown) => void;
}

/** A live list of a service's instances; see the module description. */
export class ServiceCache<P = unknown> extends EventEmitter<ServiceCacheEvents<P>> {
  private readonly session: ManagedClient;
  private readonly queue = new SerialQueue((error) => this.emit('error', error));
  private readonly known = new Map<string, ServiceInstance<P>>();
  #state: 'LATENT' | 'STARTED' | 'CLOSED' = 'LATENT';
  readonly #childWatcher = (event: WatchedEvent): void => {
    if (event.type !== 'None' && this.#state === 'STARTED') void this.queue.run(() => this.refresh(false));
  };
  readonly #dataWatcher = (event: WatchedEvent): void => {
    if (event.type === 'NodeDataChanged' && event.path !== null && this.#state === 'STARTED') {
      const id = nodeName(event.path);
      void this.queue.run(() => this.rereadInstance(id));
    }
  };
  readonly #onState = (state: ConnectionState): void => {
    if (state === 'RECONNECTED' && this.#state === 'STARTED') void this.queue.run(() => this.refresh(true));
  };

  /** @param servicePath - the node whose children are the instances (`<basePath>/<name>`). */
  constructor(source: ClientSource, readonly servicePath: string) {
    super();
    this.session = managedClientOf(source);
  }

  /** The live instances, ordered by id. */
  get instances(): ServiceInstance<P>[] {
    return [...this.known.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Reads the instances (emitting `up` for each) and starts following them. */
  async start(): Promise<void> {
    if (this.#state !== 'LATENT') throw new Error('Cannot be started more than once');
    this.#state = 'STARTED';
    this.session.on('stateChanged', this.#onState);
    let failure: unknown;
    await this.queue.run(async () => {
      try {
        await this.refresh(true);
      } catch (error) {
        failure = error;
      }
    });
    if (failure !== undefined) throw failure;
  }

  /** Stops following the service. */
  async close(): Promise<void> {
    if (this.#state !== 'STARTED') return;
    this.#state = 'CLOSED';
    this.session.off('stateChanged', this.#onState);
    await this.queue.idle();
  }

  /**
   * Re-reads the child list (re-arming the watch) and reports the difference. New instances
   * are read; with `all` (start, reconnect) known ones are read again too, re-arming their data
   * watches, which a new session does not have.
   */
  private async refresh(all: boolean): Promise<void> {
    if (this.#state !== 'STARTED') return;
    await retrying(this.session, async (client) => {
      const ids = await this.readIds(client);
      for (const [id, instance] of this.known) {
        if (!ids.has(id)) {
          this.known.delete(id);
          this.emit('down', instance);
        }
      }
      for (const id of [...ids].sort()) {
        if (all || !this.known.has(id)) await this.readInstance(client, id);
      }
    });
  }

  private async readIds(client: ZkClient): Promise<Set<string>> {
    for (;;) {
      try {
        return new Set(await client.getChildren(this.servicePath, this.#childWatcher));
      } catch (error) {
        if (!hasCode(error, 'NO_NODE')) throw error;
      }
      // No service node yet: an exists watch fires when it is created.
      if ((await client.exists(this.servicePath, this.#childWatcher)) === null) return new Set();
    }
  }

  private async rereadInstance(id: string): Promise<void> {
    if (this.#state !== 'STARTED') return;
    await retrying(this.session, (client) => this.readInstance(client, id));
  }

  /** Reads one instance (re-arming its data watch) and reports it as up, changed or down. */
  private async readInstance(client: ZkClient, id: string): Promise<void> {
    const previous = this.known.get(id);
    let instance: ServiceInstance<P>;
    try {
      const path = joinPath(this.servicePath, id);
      const { data } = await client.getData(path, this.#dataWatcher);
      instance = deserializeServiceInstance<P>(data, path);
    } catch (error) {
      if (!hasCode(error, 'NO_NODE', 'MARSHALLING_ERROR')) throw error;
      if (previous !== undefined) {
        this.known.delete(id);
        this.emit('down', previous);
      }
      return;
    }
    this.known.set(id, instance);
    if (previous === undefined) this.emit('up', instance);
    else if (!sameInstance(previous, instance)) this.emit('change', instance, previous);
  }
}
