/**
 * `@zkts/recipes`: Apache Curator's recipes for TypeScript, on the public API of
 * `@zkts/client` — locks (reentrant or not, read/write, semaphores), leader election, barriers,
 * shared counters, caches, and service registration and discovery.
 *
 * Every recipe takes a client source: a plain `ZkClient`, or a {@link ManagedClient}, which opens
 * a new session when the old one expires so that long-lived recipes (a service registration,
 * a leader latch, a cache) carry on in it.
 *
 * ```ts
 * import { connect } from '@zkts/client';
 * import { lock } from '@zkts/recipes';
 * const client = await connect('127.0.0.1:2181');
 * await using held = await lock(client, '/locks/report').acquire({ timeoutMs: 5_000 });
 * ```
 * @module
 */

export { type ConnectionState, isConnectedState, isErrorState } from './session/connection-state.js';
export {
  ManagedClient,
  type ClientSource,
  type ManagedClientEvents,
  type ManagedClientOptions,
  connectManaged,
  createManagedClient,
  managedClientOf,
} from './session/managed-client.js';
export { PROTECTED_PREFIX, type ProtectedNode, createProtected, withoutProtection } from './session/protected-create.js';
export { deleteGuaranteed } from './session/guaranteed-delete.js';
export type { WaitOptions } from './util/waiting.js';

export { DistributedLock, LOCK_NAME, LockHandle, type LockOptions, lock } from './locks/distributed-lock.js';
export type { FencingToken, LockEvents } from './locks/held-lock.js';
export { type LockDriver, type LockPredicate, standardDriver } from './locks/lock-driver.js';
export { Mutex, MutexHandle, type MutexInternals, type MutexOptions, mutex } from './locks/mutex.js';
export { type OwnerContext, instanceOwner } from './locks/owner.js';
export { READ_LOCK_NAME, ReadWriteLock, type ReadWriteLockOptions, WRITE_LOCK_NAME, readWriteLock } from './locks/read-write-lock.js';
export { LEASE_NAME, Lease, Semaphore, type SemaphoreOptions, semaphore } from './locks/semaphore.js';

export { LATCH_NAME, LeaderLatch, type LeaderLatchCloseMode, type LeaderLatchEvents, type LeaderLatchOptions, type LeaderLatchState, leaderLatch } from './leader/leader-latch.js';
export { LeaderSelector, type LeaderSelectorEvents, type LeaderSelectorListener, type LeaderSelectorOptions, leaderSelector } from './leader/leader-selector.js';
export type { Participant } from './leader/participants.js';

export { DistributedBarrier, barrier } from './barriers/distributed-barrier.js';
export { DoubleBarrier, READY_NODE, doubleBarrier } from './barriers/double-barrier.js';

export { SharedCount, type SharedCountEvents, type VersionedValue, sharedCount } from './shared/shared-count.js';

export type { CacheWatchMode, ChildData } from './cache/watch-mode.js';
export { NodeCache, type NodeCacheEvents, type NodeCacheOptions, nodeCache } from './cache/node-cache.js';
export { TreeCache, type TreeCacheEvents, type TreeCacheOptions, treeCache } from './cache/tree-cache.js';

export {
  type ServiceInstance,
  type ServiceInstanceInit,
  type ServiceType,
  buildServiceInstance,
  deserializeServiceInstance,
  serializeServiceInstance,
} from './discovery/service-instance.js';
export { DEFAULT_SERVICES_PATH, ServiceDiscovery, type ServiceDiscoveryEvents, type ServiceDiscoveryOptions, serviceDiscovery } from './discovery/service-discovery.js';
export { ServiceCache, type ServiceCacheEvents } from './discovery/service-cache.js';
export { ServiceProvider } from './discovery/service-provider.js';
export { type ProviderStrategy, type StickyStrategy, randomStrategy, roundRobinStrategy, stickyStrategy } from './discovery/provider-strategy.js';
