/**
 * The randomized fault test: one seed drives an ensemble of real QuorumPeers over a simulated
 * network that drops, delays, duplicates and reorders messages and partitions servers (also
 * one way), while servers crash (possibly between fsync and send) and restart from what they
 * persisted, and clients write and sync. Safety invariants are checked on every step; at the
 * end the faults heal and the ensemble must converge with no acknowledged write lost.
 */
import {
  createRng,
  decodePeerMessage,
  encodePeerMessage,
  epochOf,
  formatZxid,
  type PeerMessage,
  type Ready,
  type Rng,
  type UnsafeOptions,
} from '../../src/index.js';
import { Cluster, type SimNetwork } from './cluster.js';
import { summarize } from './scenario.js';
import type { EnsembleSettings, SimNode } from './sim-node.js';

/** Network time advances in sub-steps; servers tick once every this many. */
const SUBSTEPS_PER_TICK = 4;
/** Ticks of chaos before the faults heal. */
const CHAOS_TICKS_DEFAULT = 160;
/** Ticks the healed ensemble gets to elect, sync and commit a final write everywhere. */
const CONVERGE_TICKS_MAX = 400;
/** Events kept for the failure report. */
const TRACE_EVENTS_MAX = Number(process.env["FAULT_TRACE_EVENTS"] ?? 80);

export interface FaultSimOptions {
  readonly seed: number;
  readonly chaosTicks?: number;
  readonly unsafe?: UnsafeOptions;
  /** See InvariantOptions.checkQuorumPersisted (default true). */
  readonly checkQuorumPersisted?: boolean;
}

export interface FaultSimStats {
  readonly voters: number;
  readonly observers: number;
  readonly committed: number;
  readonly acked: number;
  readonly snapshots: number;
  readonly epochs: number;
  readonly crashes: number;
  readonly delivered: number;
}

export type FaultSimResult =
  | { readonly ok: true; readonly stats: FaultSimStats }
  | { readonly ok: false; readonly seed: number; readonly error: string; readonly trace: readonly string[] };

class Random {
  constructor(private readonly rng: Rng) {}
  float(): number {
    return this.rng.nextUint32() / 2 ** 32;
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }
}

interface InFlight {
  readonly from: number;
  readonly to: number;
  readonly msg: PeerMessage;
}

/** Per-seed fault levels; each storm draws new ones, calm periods zero them. */
interface Weather {
  drop: number;
  duplicate: number;
  /** Probability that a message is delayed beyond the next sub-step (which reorders it). */
  delay: number;
  delayMaxSubsteps: number;
}

const CALM: Weather = { drop: 0, duplicate: 0, delay: 0, delayMaxSubsteps: 1 };

class FaultNetwork implements SimNetwork {
  /** Messages by the sub-step they arrive in. */
  readonly slots = new Map<number, InFlight[]>();
  readonly blocked = new Set<string>();
  weather: Weather = CALM;
  now = 0;
  delivered = 0;

  constructor(
    private readonly random: Random,
    private readonly viaCodec: boolean,
  ) {}

  send(from: number, to: number, msg: PeerMessage): void {
    const { weather, random } = this;
    if (random.chance(weather.drop)) return;
    const copies = random.chance(weather.duplicate) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const delay = random.chance(weather.delay) ? random.int(1, weather.delayMaxSubsteps) : 1;
      const at = this.now + delay;
      const wire = this.viaCodec ? decodePeerMessage(encodePeerMessage(msg)) : msg;
      const slot = this.slots.get(at);
      if (slot === undefined) this.slots.set(at, [{ from, to, msg: wire }]);
      else slot.push({ from, to, msg: wire });
    }
  }

  /** Takes this sub-step's arrivals in a random order. */
  takeDue(): InFlight[] {
    const due = this.slots.get(this.now) ?? [];
    this.slots.delete(this.now);
    for (let i = due.length - 1; i > 0; i--) {
      const j = this.random.int(0, i);
      [due[i], due[j]] = [due[j] as InFlight, due[i] as InFlight];
    }
    return due;
  }

  isBlocked(from: number, to: number): boolean {
    return this.blocked.has(`${from}>${to}`);
  }
}

/** Runs one seed. Never throws: a violation or a stuck ensemble comes back with the seed and a trace. */
export function runFaultSim(options: FaultSimOptions): FaultSimResult {
  const { seed } = options;
  const random = new Random(createRng(seed ^ 0x5eed));
  const trace: string[] = [];
  const note = (line: string): void => {
    trace.push(line);
    if (trace.length > TRACE_EVENTS_MAX) trace.shift();
  };
  let tick = 0;
  const voterCount = random.pick([3, 3, 4, 5]);
  const voters = Array.from({ length: voterCount }, (_, i) => i + 1);
  const observers = random.chance(0.3) ? [voterCount + 1] : [];
  const settings: EnsembleSettings = {
    voters,
    observers,
    initLimit: 10,
    syncLimit: 5,
    finalizeWaitTicks: 1,
    electionResendTicks: 2,
    maxLogEntriesForDiff: random.int(2, 30),
    outstandingProposalsMax: random.int(5, 50),
    ...(options.unsafe !== undefined ? { unsafe: options.unsafe } : {}),
  };
  const net = new FaultNetwork(random, random.chance(0.2));
  /** Servers set to crash in the middle of their next Ready that persists something. */
  const pendingCrashes = new Map<number, 'before persist' | 'after persist'>();
  const syncIssued = new Map<number, { node: number; epoch: number; acked: Map<number, string> }>();
  const lastState = new Map<number, string>();
  let nextToken = 1;
  let writes = 0;
  let crashes = 0;

  const cluster = new Cluster(
    settings,
    net,
    { checkQuorumPersisted: options.checkQuorumPersisted ?? true },
    {
      readyDone: (node, rd) => {
        const key = `${rd.state}/${rd.phase}/${rd.leaderId ?? '-'}/${rd.epoch}`;
        if (lastState.get(node.id) !== key) {
          lastState.set(node.id, key);
          const why = rd.state === 'LOOKING' ? ` (${node.peer.lookingReason})` : '';
          note(`t${tick} ${node.id}: ${rd.state} ${rd.phase} leader=${rd.leaderId ?? '-'} epoch=${rd.epoch}${why}`);
        }
      },
      crashBeforePersist: (node, rd) => crashMidReady(node, rd, 'before persist'),
      crashAfterPersist: (node, rd) => crashMidReady(node, rd, 'after persist'),
      syncDone: (node, token) => checkSync(node, token),
      syncFailed: (_node, token) => {
        if (!syncIssued.delete(token)) throw new Error(`sync ${token} failed twice or after completing`);
      },
    },
    seed,
  );

  function crashMidReady(node: SimNode, rd: Ready, point: 'before persist' | 'after persist'): boolean {
    const p = rd.persist;
    const persists =
      p.entries.length > 0 ||
      p.snapshot !== undefined ||
      p.truncateAfterZxid !== undefined ||
      p.currentEpoch !== undefined ||
      p.acceptedEpoch !== undefined;
    if (!persists || pendingCrashes.get(node.id) !== point) return false;
    pendingCrashes.delete(node.id);
    note(`t${tick} ${node.id}: crashed ${point === 'before persist' ? 'before its fsync (the Ready is lost)' : 'after its fsync, before sending'}`);
    return true;
  }

  function checkSync(node: SimNode, token: number): void {
    const issued = syncIssued.get(token);
    if (issued === undefined) throw new Error(`sync ${token} completed twice or after failing`);
    syncIssued.delete(token);
    if (issued.node !== node.id) throw new Error(`sync ${token} completed on the wrong node`);
    const have = new Set(node.applied.map((e) => e.zxid));
    for (const zxid of issued.acked.keys()) {
      if (epochOf(zxid) === issued.epoch && !have.has(zxid)) {
        throw new Error(`sync ${token} at node ${node.id} completed without write ${formatZxid(zxid)} acked before it`);
      }
    }
  }

  function deliverSubstep(): void {
    for (const { from, to, msg } of net.takeDue()) {
      if (net.isBlocked(from, to) || !cluster.isRunning(to)) continue;
      net.delivered++;
      if (msg.type !== 'PING') note(`t${tick} ${from}->${to} ${summarize(msg)}`);
      cluster.deliver(from, to, msg);
    }
  }

  function runTick(): void {
    for (let s = 0; s < SUBSTEPS_PER_TICK; s++) {
      net.now++;
      deliverSubstep();
    }
    tick++;
    cluster.tickAll();
  }

  function clientWrite(): void {
    const candidates = cluster.running().filter((n) => n.peer.phase === 'BROADCAST');
    if (candidates.length === 0) return;
    const node = random.pick(candidates);
    const data = new TextEncoder().encode(`w${++writes}`);
    if (node.peer.state === 'LEADING') {
      const zxid = node.propose(data);
      if (zxid !== undefined) note(`t${tick} ${node.id}: client write w${writes} proposed as ${formatZxid(zxid)}`);
    } else if (node.peer.forward(data)) {
      note(`t${tick} ${node.id}: client write w${writes} forwarded`);
    }
    node.drain();
  }

  function clientSync(): void {
    const candidates = cluster.running().filter((n) => n.peer.phase === 'BROADCAST');
    if (candidates.length === 0) return;
    const node = random.pick(candidates);
    const token = nextToken++;
    const issued = { node: node.id, epoch: node.peer.epoch, acked: new Map(cluster.invariants.acked) };
    syncIssued.set(token, issued);
    if (!node.peer.sync(token)) syncIssued.delete(token);
    node.drain();
  }

  function partition(): void {
    net.blocked.clear();
    const ids = cluster.allIds;
    if (random.chance(0.5)) {
      const side = new Set(ids.filter(() => random.chance(0.5)));
      for (const a of ids) for (const b of ids) if (side.has(a) !== side.has(b)) net.blocked.add(`${a}>${b}`);
      note(`t${tick} partition {${[...side].join(',')}} | rest`);
    } else {
      const cuts = random.int(1, ids.length);
      for (let i = 0; i < cuts; i++) {
        const a = random.pick(ids);
        const b = random.pick(ids);
        if (a !== b) net.blocked.add(`${a}>${b}`);
      }
      note(`t${tick} one-way cuts ${[...net.blocked].join(' ')}`);
    }
  }

  try {
    // Servers start at random moments in the first ticks.
    const pendingStarts = [...cluster.allIds];
    const chaosTicks = options.chaosTicks ?? CHAOS_TICKS_DEFAULT;
    let storm = false;
    for (let t = 0; t < chaosTicks; t++) {
      for (const id of [...pendingStarts]) {
        if (random.chance(0.3)) {
          pendingStarts.splice(pendingStarts.indexOf(id), 1);
          cluster.start(id);
        }
      }
      if (random.chance(storm ? 0.08 : 0.04)) {
        storm = !storm;
        net.weather = storm
          ? {
              drop: random.pick([0, 0.005, 0.02, 0.05]),
              duplicate: random.pick([0, 0.01, 0.05]),
              delay: random.pick([0, 0.02, 0.1]),
              delayMaxSubsteps: random.int(2, 12),
            }
          : CALM;
        note(`t${tick} weather ${JSON.stringify(net.weather)}`);
      }
      if (random.chance(0.02)) partition();
      if (net.blocked.size > 0 && random.chance(0.06)) {
        net.blocked.clear();
        note(`t${tick} network healed`);
      }
      if (random.chance(0.025)) {
        const victims = cluster.running();
        if (victims.length > 0) {
          const victim = random.pick(victims);
          crashes++;
          const mode = random.int(0, 2);
          if (mode === 0) pendingCrashes.set(victim.id, 'before persist');
          else if (mode === 1) pendingCrashes.set(victim.id, 'after persist');
          else {
            cluster.crash(victim.id);
            note(`t${tick} ${victim.id}: crashed`);
          }
        }
      }
      for (const id of cluster.allIds) {
        if (cluster.nodes.has(id) && !cluster.isRunning(id) && random.chance(0.08)) {
          pendingCrashes.delete(id);
          note(`t${tick} ${id}: restarted`);
          cluster.start(id);
        }
      }
      if (random.chance(0.6)) clientWrite();
      if (random.chance(0.05)) clientSync();
      runTick();
    }

    // Heal everything and require convergence.
    net.weather = CALM;
    net.blocked.clear();
    pendingCrashes.clear();
    note(`t${tick} all faults healed`);
    for (const id of cluster.allIds) if (!cluster.isRunning(id)) cluster.start(id);
    let finalWrite: { leader: number; zxid: number } | undefined;
    for (let t = 0; ; t++) {
      if (t >= CONVERGE_TICKS_MAX) throw new Error(`no convergence within ${CONVERGE_TICKS_MAX} ticks after healing`);
      runTick();
      const leader = cluster.servingLeader();
      if (leader === undefined) continue;
      if (finalWrite === undefined || finalWrite.leader !== leader.id || leader.peer.state !== 'LEADING') {
        const zxid = leader.propose(new TextEncoder().encode('final'));
        leader.drain();
        if (zxid !== undefined) finalWrite = { leader: leader.id, zxid };
        continue;
      }
      // Converged: everyone serves under this leader and applied what it applied, final write included.
      const target = leader.lastAppliedZxid;
      const done =
        target >= finalWrite.zxid &&
        cluster.running().every((n) => n.peer.phase === 'BROADCAST' && n.peer.leaderId === leader.id && n.lastAppliedZxid === target);
      if (done) break;
    }
    const nodes = cluster.running();
    const reference = (cluster.node(finalWrite.leader) as SimNode).applied;
    for (const node of nodes) {
      if (node.applied.length !== reference.length) {
        throw new Error(`node ${node.id} applied ${node.applied.length} entries, the leader ${reference.length}`);
      }
    }
    cluster.invariants.checkNoAckedWriteLost(nodes);
    const stats = cluster.invariants.stats;
    return {
      ok: true,
      stats: {
        voters: voters.length,
        observers: observers.length,
        committed: stats.committed,
        acked: stats.acked,
        snapshots: stats.snapshots,
        epochs: cluster.invariants.leaderOfEpoch.size,
        crashes,
        delivered: net.delivered,
      },
    };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, seed, error: message, trace };
  }
}

/** Formats a failed run for the test output: the seed to replay and the last events. */
export function describeFailure(result: Extract<FaultSimResult, { ok: false }>): string {
  return [
    `fault test failed for seed ${result.seed}: ${result.error}`,
    `replay: runFaultSim({ seed: ${result.seed} })`,
    'last events:',
    ...result.trace.map((line) => `  ${line}`),
  ].join('\n');
}
