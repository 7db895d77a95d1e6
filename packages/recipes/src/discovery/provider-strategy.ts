/**
 * How a {@link ServiceProvider} picks one instance (Curator's ProviderStrategy and its
 * RandomStrategy, RoundRobinStrategy and StickyStrategy).
 * @module
 */
import type { ServiceInstance } from './service-instance.js';

/** Picks one of the live instances, or undefined if there is none. */
export interface ProviderStrategy<P = unknown> {
  getInstance(instances: readonly ServiceInstance<P>[]): ServiceInstance<P> | undefined;
}

/** Picks uniformly at random; pass `random` (returning [0, 1)) for reproducible picks. */
export function randomStrategy<P = unknown>(random: () => number = Math.random): ProviderStrategy<P> {
  return {
    getInstance(instances) {
      if (instances.length === 0) return undefined;
      return instances[Math.min(instances.length - 1, Math.floor(random() * instances.length))];
    },
  };
}

/** Cycles through the instances in order. */
export function roundRobinStrategy<P = unknown>(): ProviderStrategy<P> {
  let next = 0;
  return {
    getInstance(instances) {
      if (instances.length === 0) return undefined;
      const instance = instances[next % instances.length];
      next = (next + 1) % Number.MAX_SAFE_INTEGER;
      return instance;
    },
  };
}

/**
 * Keeps returning the same instance while it is live; when it goes away, asks `choose` for a
 * new one. Counts how many instances it has stuck to, like Curator's `getInstanceNumber`.
 */
export interface StickyStrategy<P = unknown> extends ProviderStrategy<P> {
  /** How many different instances have been chosen so far. */
  readonly instanceNumber: number;
}

/** Creates a {@link StickyStrategy} over `choose` (default: random). */
export function stickyStrategy<P = unknown>(choose: ProviderStrategy<P> = randomStrategy<P>()): StickyStrategy<P> {
  let current: ServiceInstance<P> | undefined;
  let instanceNumber = 0;
  return {
    get instanceNumber() {
      return instanceNumber;
    },
    getInstance(instances) {
      const stillLive = current === undefined ? undefined : instances.find((instance) => instance.id === current?.id);
      if (stillLive !== undefined) {
        current = stillLive;
        return stillLive;
      }
      current = choose.getInstance(instances);
      if (current !== undefined) instanceNumber++;
      return current;
    },
  };
}
