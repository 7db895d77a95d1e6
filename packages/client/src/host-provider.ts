import { assert } from './util/assert.js';
import { type Random, shuffled } from './util/rng.js';
import type { Endpoint } from './transport/transport.js';

/** The next server to try, and whether the client has cycled through all of them since it last connected. */
export interface NextHost {
  readonly endpoint: Endpoint;
  /** True when every server has been tried without success: ZooKeeper then spins for a second before retrying. */
  readonly exhausted: boolean;
}

/**
 * The server list as ZooKeeper's `StaticHostProvider` keeps it: shuffled once, then walked
 * round-robin; after a full cycle without a connection the caller backs off.
 */
export class HostProvider {
  private readonly endpoints: readonly Endpoint[];
  private currentIndex = -1;
  private lastIndex = -1;

  constructor(endpoints: readonly Endpoint[], random: Random) {
    assert(endpoints.length > 0, 'a host provider needs at least one server');
    this.endpoints = shuffled(endpoints, random);
  }

  /** Number of servers. */
  get size(): number {
    return this.endpoints.length;
  }

  /** The shuffled order, for diagnostics and tests. */
  get order(): readonly Endpoint[] {
    return this.endpoints;
  }

  /** Advances to the next server. */
  next(): NextHost {
    this.currentIndex = (this.currentIndex + 1) % this.endpoints.length;
    const exhausted = this.currentIndex === this.lastIndex;
    if (this.lastIndex === -1) this.lastIndex = 0;
    const endpoint = this.endpoints[this.currentIndex];
    assert(endpoint !== undefined, 'host index in range');
    return { endpoint, exhausted };
  }

  /** Marks the current server as the one a session was established with. */
  onConnected(): void {
    this.lastIndex = this.currentIndex;
  }
}
