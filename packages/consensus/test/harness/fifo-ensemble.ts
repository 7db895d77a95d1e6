/**
 * A cluster on a perfect network: one global FIFO queue, zero delay, and cuts that drop
 * messages on chosen links (optionally only some message types). Used by the scripted
 * scenarios and by the unit tests that drive precise situations.
 */
import type { PeerMessage } from '../../src/index.js';
import { Cluster, type ClusterListener, type SimNetwork } from './cluster.js';
import type { DurableState, EnsembleSettings, SimNode } from './sim-node.js';

/** Cap on deliveries per settle so that a livelock fails the test instead of hanging. */
const DELIVERIES_MAX = 200_000;

/** A rule that drops messages from `from` to `to` (only of `types`, when given). */
export interface Cut {
  readonly from: number;
  readonly to: number;
  readonly types?: ReadonlySet<string>;
}

/** What happened to one message. */
export type Fate = 'delivered' | 'dropped' | 'server down';

class FifoNetwork implements SimNetwork {
  readonly queue: { from: number; to: number; msg: PeerMessage }[] = [];
  send(from: number, to: number, msg: PeerMessage): void {
    this.queue.push({ from, to, msg });
  }
}

export const DEFAULT_SETTINGS: Omit<EnsembleSettings, 'voters' | 'observers'> = {
  initLimit: 10,
  syncLimit: 5,
  finalizeWaitTicks: 1,
  electionResendTicks: 2,
  maxLogEntriesForDiff: 100,
};

export class FifoEnsemble {
  readonly cluster: Cluster;
  cuts: Cut[] = [];
  /** Observer of every message taken off the queue. */
  onMessage: ((from: number, to: number, msg: PeerMessage, fate: Fate) => void) | undefined;
  private readonly net = new FifoNetwork();
  private writes = 0;

  constructor(settings: Partial<EnsembleSettings> & Pick<EnsembleSettings, 'voters'>, listener: ClusterListener = {}) {
    this.cluster = new Cluster(
      { ...DEFAULT_SETTINGS, observers: [], ...settings },
      this.net,
      { checkQuorumPersisted: true },
      listener,
      1,
    );
  }

  node(id: number): SimNode {
    return this.cluster.node(id);
  }

  /** First start (with an optional preloaded disk) or restart from the node's disk; then settle. */
  start(ids: readonly number[], disk?: () => DurableState): void {
    for (const id of ids) this.cluster.start(id, disk?.());
    this.settle();
  }

  crash(ids: readonly number[]): void {
    for (const id of ids) this.cluster.crash(id);
  }

  /** `n` rounds of: tick every running server, then deliver until quiet. */
  tick(n = 1): void {
    for (let i = 0; i < n; i++) {
      this.cluster.tickAll();
      this.settle();
    }
  }

  /** Delivers queued messages (and the ones they cause) until none are left. */
  settle(): void {
    let count = 0;
    for (let item = this.net.queue.shift(); item !== undefined; item = this.net.queue.shift()) {
      if (++count > DELIVERIES_MAX) throw new Error('messages never settle (livelock?)');
      const { from, to, msg } = item;
      const cut = this.cuts.some((c) => c.from === from && c.to === to && (c.types === undefined || c.types.has(msg.type)));
      const fate: Fate = cut ? 'dropped' : this.cluster.isRunning(to) ? 'delivered' : 'server down';
      this.onMessage?.(from, to, msg, fate);
      if (fate === 'delivered') this.cluster.deliver(from, to, msg);
    }
  }

  /** Drops everything between `a` and `b`, both ways. */
  cut(a: number, b: number): void {
    this.cuts.push({ from: a, to: b }, { from: b, to: a });
  }

  /** Drops everything between `id` and every other server. */
  isolate(id: number): void {
    for (const other of this.cluster.allIds) if (other !== id) this.cut(id, other);
  }

  heal(): void {
    this.cuts = [];
  }

  /** Proposes `n` client writes at server `id` (must be a serving leader); returns their zxids (undefined when refused). */
  propose(id: number, n = 1): (number | undefined)[] {
    const node = this.node(id);
    const zxids: (number | undefined)[] = [];
    for (let i = 0; i < n; i++) {
      zxids.push(node.propose(new TextEncoder().encode(`w${++this.writes}`)));
      node.drain();
    }
    this.settle();
    return zxids;
  }

  /** The serving leader, if any. */
  leader(): SimNode | undefined {
    return this.cluster.servingLeader();
  }

  /** Ticks until `done` holds (at most `maxTicks`); returns the ticks it took. */
  tickUntil(done: () => boolean, maxTicks = 200): number {
    for (let t = 0; t < maxTicks; t++) {
      if (done()) return t;
      this.tick();
    }
    if (done()) return maxTicks;
    throw new Error(`condition not reached within ${maxTicks} ticks`);
  }
}
