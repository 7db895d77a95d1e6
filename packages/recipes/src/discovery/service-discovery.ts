/**
 * Service registration and discovery (Curator's ServiceDiscovery): each instance is a node
 * `<basePath>/<name>/<id>` holding its JSON description — ephemeral for `DYNAMIC` instances, so
 * an instance whose process dies disappears once its session expires. Registrations made
 * through a {@link ManagedClient} are re-created in the new session after an expiry, and
 * checked after every reconnect.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import type { ZkClient } from '@zkts/client';
import type { ConnectionState } from '../session/connection-state.js';
import { type ClientSource, type ManagedClient, managedClientOf } from '../session/managed-client.js';
import { retrying } from '../session/retrying.js';
import { hasCode } from '../util/codes.js';
import { checkBasePath, joinPath } from '../util/paths.js';
import { SerialQueue } from '../util/serial-queue.js';
import { type ProviderStrategy, roundRobinStrategy } from './provider-strategy.js';
import { ServiceCache } from './service-cache.js';
import {
  type ServiceInstance,
  type ServiceInstanceInit,
  buildServiceInstance,
  deserializeServiceInstance,
  serializeServiceInstance,
} from './service-instance.js';
import { ServiceProvider } from './service-provider.js';

/** Curator's default base path is chosen by the user; ours defaults to `/services`. */
export const DEFAULT_SERVICES_PATH = '/services';

/** Options of {@link ServiceDiscovery}. */
export interface ServiceDiscoveryOptions {
  /** Parent of the service nodes. Default `/services`. */
  readonly basePath?: string;
}

/** Events of a {@link ServiceDiscovery}. */
export interface ServiceDiscoveryEvents {
  /** Registrations were re-created after a new session began. */
  reRegistered: (instances: ServiceInstance<unknown>[]) => void;
  /** Re-registering failed; it is tried again after the next reconnect. */
  error: (error: unknown) => void;
}

/** Registers, updates and finds service instances; see the module description. */
export class ServiceDiscovery<P = unknown> extends EventEmitter<ServiceDiscoveryEvents> {
  /** Parent of the service nodes. */
  readonly basePath: string;
  private readonly session: ManagedClient;
  private readonly queue = new SerialQueue((error) => this.emit('error', error));
  private readonly registered = new Map<string, ServiceInstance<P>>();
  private readonly closeables = new Set<{ close(): Promise<void> }>();
  #closed = false;
  readonly #onState = (state: ConnectionState): void => {
    if (state === 'RECONNECTED') void this.queue.run(() => this.reRegisterAll());
  };

  constructor(source: ClientSource, options: ServiceDiscoveryOptions = {}) {
    super();
    this.session = managedClientOf(source);
    this.basePath = checkBasePath(options.basePath ?? DEFAULT_SERVICES_PATH);
    this.session.on('stateChanged', this.#onState);
  }

  /**
   * Registers an instance of service `name` and resolves with it (id and registration time
   * filled in). Registering an id again replaces the earlier registration.
   */
  async register(name: string, init: ServiceInstanceInit<P> = {}): Promise<ServiceInstance<P>> {
    this.assertOpen();
    const instance = buildServiceInstance<P>(name, init);
    let failure: unknown;
    await this.queue.run(async () => {
      try {
        await retrying(this.session, (client) => this.write(client, instance));
        this.registered.set(this.pathOf(instance), instance);
      } catch (error) {
        failure = error;
      }
    });
    if (failure !== undefined) throw failure;
    return instance;
  }

  /** Replaces a registered instance's data (same name and id). */
  async update(instance: ServiceInstance<P>): Promise<void> {
    this.assertOpen();
    const path = this.pathOf(instance);
    if (!this.registered.has(path)) throw new Error(`Instance is not registered here: ${path}`);
    let failure: unknown;
    await this.queue.run(async () => {
      try {
        await retrying(this.session, (client) => client.setData(path, serializeServiceInstance(instance)));
        this.registered.set(path, instance);
      } catch (error) {
        failure = error;
      }
    });
    if (failure !== undefined) throw failure;
  }

  /** Removes an instance's registration; removing an absent one is fine. */
  async unregister(instance: Pick<ServiceInstance<P>, 'name' | 'id'>): Promise<void> {
    const path = this.pathOf(instance);
    let failure: unknown;
    await this.queue.run(async () => {
      this.registered.delete(path);
      try {
        await retrying(this.session, async (client) => {
          try {
            await client.delete(path);
          } catch (error) {
            if (!hasCode(error, 'NO_NODE')) throw error;
          }
        });
      } catch (error) {
        failure = error;
      }
    });
    if (failure !== undefined) throw failure;
  }

  /** Names of all services with a node under the base path. */
  async queryForNames(): Promise<string[]> {
    return (await this.childrenOf(this.basePath)).sort();
  }

  /** Every instance of a service, ordered by id (one read; see {@link serviceCache} for a live list). */
  async queryForInstances(name: string): Promise<ServiceInstance<P>[]> {
    const instances: ServiceInstance<P>[] = [];
    for (const id of (await this.childrenOf(this.servicePath(name))).sort()) {
      const instance = await this.queryForInstance(name, id);
      if (instance !== undefined) instances.push(instance);
    }
    return instances;
  }

  /** One instance, or undefined if it is not registered. */
  async queryForInstance(name: string, id: string): Promise<ServiceInstance<P> | undefined> {
    const path = joinPath(this.servicePath(name), id);
    try {
      const { data } = await retrying(this.session, (client) => client.getData(path));
      return deserializeServiceInstance<P>(data, path);
    } catch (error) {
      if (hasCode(error, 'NO_NODE')) return undefined;
      throw error;
    }
  }

  /** A live list of a service's instances (closed with this discovery); call `start()` on it. */
  serviceCache(name: string): ServiceCache<P> {
    this.assertOpen();
    const cache = new ServiceCache<P>(this.session, this.servicePath(name));
    this.closeables.add(cache);
    return cache;
  }

  /** A provider over a new live list of `name` (round-robin by default); call `start()` on it. */
  serviceProvider(name: string, strategy: ProviderStrategy<P> = roundRobinStrategy<P>()): ServiceProvider<P> {
    const provider = new ServiceProvider<P>(this.serviceCache(name), strategy, true);
    this.closeables.add(provider);
    return provider;
  }

  /** Closes caches and providers made here and unregisters every instance registered here. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.session.off('stateChanged', this.#onState);
    for (const closeable of this.closeables) await closeable.close();
    for (const instance of [...this.registered.values()]) {
      await this.unregister(instance).catch((error: unknown) => this.emit('error', error));
    }
  }

  /** The node of service `name`. */
  servicePath(name: string): string {
    return joinPath(this.basePath, name);
  }

  private pathOf(instance: Pick<ServiceInstance<unknown>, 'name' | 'id'>): string {
    return joinPath(this.servicePath(instance.name), instance.id);
  }

  private async childrenOf(path: string): Promise<string[]> {
    try {
      return await retrying(this.session, (client) => client.getChildren(path));
    } catch (error) {
      if (hasCode(error, 'NO_NODE')) return [];
      throw error;
    }
  }

  /**
   * Makes the instance's node hold `instance`, owned by this session if it is ephemeral. A node
   * left by an earlier session (not yet expired on the server) is replaced, as Curator does.
   */
  private async write(client: ZkClient, instance: ServiceInstance<P>): Promise<void> {
    const path = this.pathOf(instance);
    const data = serializeServiceInstance(instance);
    const ephemeral = instance.serviceType === 'DYNAMIC';
    for (;;) {
      try {
        await client.createWithParents(path, data, { mode: ephemeral ? 'EPHEMERAL' : 'PERSISTENT', parentMode: 'CONTAINER' });
        return;
      } catch (error) {
        if (!hasCode(error, 'NODE_EXISTS')) throw error;
      }
      const stat = await client.exists(path);
      if (stat === null) continue;
      if (!ephemeral || stat.ephemeralOwner === client.sessionId) {
        await client.setData(path, data);
        return;
      }
      try {
        await client.delete(path, stat.version);
      } catch (error) {
        if (!hasCode(error, 'NO_NODE', 'BAD_VERSION')) throw error;
      }
    }
  }

  private async reRegisterAll(): Promise<void> {
    if (this.#closed || this.registered.size === 0) return;
    const instances = [...this.registered.values()];
    let renewed = false;
    for (const instance of instances) {
      await retrying(this.session, async (client) => {
        const stat = await client.exists(this.pathOf(instance));
        const ours = stat !== null && (instance.serviceType !== 'DYNAMIC' || stat.ephemeralOwner === client.sessionId);
        if (ours) return;
        renewed = true;
        await this.write(client, instance);
      });
    }
    if (renewed) this.emit('reRegistered', instances);
  }

  private assertOpen(): void {
    if (this.#closed) throw new Error('ServiceDiscovery is closed');
  }
}

/** Creates a {@link ServiceDiscovery}. */
export function serviceDiscovery<P = unknown>(source: ClientSource, options?: ServiceDiscoveryOptions): ServiceDiscovery<P> {
  return new ServiceDiscovery<P>(source, options);
}
