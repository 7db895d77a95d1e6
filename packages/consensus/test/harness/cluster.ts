/**
 * A simulated ensemble: nodes that crash and restart from their durable state, a pluggable
 * network, and the invariant checker wired into every node's Ready loop.
 */
import type { LogEntry, PeerMessage, Ready } from '../../src/index.js';
import { Invariants, type InvariantOptions } from './invariants.js';
import { SimNode, emptyDurable, type DurableState, type EnsembleSettings, type NodeHooks } from './sim-node.js';

/** Where nodes put outgoing messages. */
export interface SimNetwork {
  send(from: number, to: number, msg: PeerMessage): void;
}

/** Optional observers of node activity (traces, client bookkeeping, fault injection). */
export interface ClusterListener {
  persisted?(node: SimNode, rd: Ready): void;
  readyDone?(node: SimNode, rd: Ready): void;
  applied?(node: SimNode, entry: LogEntry): void;
  installedSnapshot?(node: SimNode): void;
  syncDone?(node: SimNode, token: number): void;
  syncFailed?(node: SimNode, token: number): void;
  crashBeforePersist?(node: SimNode, rd: Ready): boolean;
  crashAfterPersist?(node: SimNode, rd: Ready): boolean;
}

export class Cluster {
  readonly nodes = new Map<number, SimNode>();
  readonly durable = new Map<number, DurableState>();
  readonly invariants: Invariants;
  private readonly incarnations = new Map<number, number>();
  private readonly hooks: NodeHooks;

  constructor(
    readonly settings: EnsembleSettings,
    private readonly network: SimNetwork,
    invariantOptions: InvariantOptions,
    private readonly listener: ClusterListener = {},
    private readonly seed = 0,
  ) {
    this.invariants = new Invariants(settings.voters, (id) => this.durable.get(id), invariantOptions);
    this.hooks = {
      send: (from, to, msg) => {
        this.invariants.sent(this.node(from), msg);
        this.network.send(from, to, msg);
      },
      applied: (node, entry, index) => {
        this.invariants.applied(node, entry, index);
        this.listener.applied?.(node, entry);
      },
      installedSnapshot: (node, entries) => {
        this.invariants.installedSnapshot(node, entries);
        this.listener.installedSnapshot?.(node);
      },
      persisted: (node, rd) => this.listener.persisted?.(node, rd),
      readyDone: (node, rd) => {
        this.invariants.readyDone(node, rd);
        this.listener.readyDone?.(node, rd);
      },
      syncDone: (node, token) => this.listener.syncDone?.(node, token),
      syncFailed: (node, token) => this.listener.syncFailed?.(node, token),
      crashBeforePersist: (node, rd) => this.listener.crashBeforePersist?.(node, rd) ?? false,
      crashAfterPersist: (node, rd) => this.listener.crashAfterPersist?.(node, rd) ?? false,
    };
  }

  get allIds(): number[] {
    return [...this.settings.voters, ...this.settings.observers];
  }

  /** Running nodes, by id order. */
  running(): SimNode[] {
    return [...this.nodes.values()].filter((n) => !n.crashed).sort((a, b) => a.id - b.id);
  }

  isRunning(id: number): boolean {
    const node = this.nodes.get(id);
    return node !== undefined && !node.crashed;
  }

  node(id: number): SimNode {
    const node = this.nodes.get(id);
    if (node === undefined) throw new Error(`node ${id} was never started`);
    return node;
  }

  /** Starts (or restarts) a server from its durable state (`initial` for a first start). */
  start(id: number, initial?: DurableState): SimNode {
    if (this.isRunning(id)) throw new Error(`node ${id} is already running`);
    if (!this.durable.has(id)) this.durable.set(id, initial ?? emptyDurable());
    const incarnation = (this.incarnations.get(id) ?? 0) + 1;
    this.incarnations.set(id, incarnation);
    const durable = this.durable.get(id) as DurableState;
    const node = new SimNode(id, this.settings, durable, this.seed * 7919 + id * 104729 + incarnation, this.hooks);
    this.nodes.set(id, node);
    node.drain();
    return node;
  }

  /** Crashes a server: it keeps only what it persisted. */
  crash(id: number): void {
    const node = this.nodes.get(id);
    if (node !== undefined) node.crashed = true;
  }

  deliver(from: number, to: number, msg: PeerMessage): void {
    const node = this.nodes.get(to);
    if (node !== undefined && !node.crashed) node.deliver(from, msg);
  }

  tickAll(): void {
    for (const node of this.running()) node.tick();
  }

  /** The node that leads in BROADCAST, if exactly one does (several only transiently, in older epochs). */
  servingLeader(): SimNode | undefined {
    let best: SimNode | undefined;
    for (const node of this.running()) {
      if (node.peer.state === 'LEADING' && node.peer.phase === 'BROADCAST') {
        if (best === undefined || node.peer.epoch > best.peer.epoch) best = node;
      }
    }
    return best;
  }
}
