/**
 * Picks an instance of a service for each call (Curator's ServiceProvider) from a live
 * {@link ServiceCache}, with a {@link ProviderStrategy}. Disabled instances are skipped.
 * @module
 */
import type { ProviderStrategy } from './provider-strategy.js';
import type { ServiceCache } from './service-cache.js';
import type { ServiceInstance } from './service-instance.js';

/** A provider of instances of one service. */
export class ServiceProvider<P = unknown> {
  constructor(
    private readonly cache: ServiceCache<P>,
    private readonly strategy: ProviderStrategy<P>,
    private readonly ownsCache: boolean,
  ) {}

  /** Starts the underlying cache (if the provider made it). */
  async start(): Promise<void> {
    if (this.ownsCache) await this.cache.start();
  }

  /** One instance chosen by the strategy, or undefined if none is live. */
  getInstance(): ServiceInstance<P> | undefined {
    return this.strategy.getInstance(this.getAllInstances());
  }

  /** Every live, enabled instance. */
  getAllInstances(): ServiceInstance<P>[] {
    return this.cache.instances.filter((instance) => instance.enabled);
  }

  /** Closes the underlying cache (if the provider made it). */
  async close(): Promise<void> {
    if (this.ownsCache) await this.cache.close();
  }
}
