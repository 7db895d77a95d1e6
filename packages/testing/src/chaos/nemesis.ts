import { pause } from './poll.js';
import type { ProcessEnsemble } from './process-ensemble.js';
import type { SeededRandom } from './seeded-random.js';
import type { ServerProcess } from './server-process.js';

/** Faults injected during a chaos run, by kind. */
export interface FaultCounts {
  /** SIGKILL, the server stays down until a later step (or the final heal) restarts it. */
  kills: number;
  /** SIGKILL and an immediate restart: a crash with recovery from disk. */
  restarts: number;
  /** SIGSTOP, with SIGCONT after a random pause: a server that stalls and wakes up with stale views. */
  pauses: number;
}

/** Settings of the {@link Nemesis}. */
export interface NemesisOptions {
  /** Mean time between fault steps. */
  readonly intervalMs: number;
  /** Most members faulty (dead or paused) at once. */
  readonly maxFaulty: number;
  readonly log: (line: string) => void;
}

/** Shortest and longest SIGSTOP; long ones outlast syncLimit (2.5 s) so a paused leader is replaced. */
const PAUSE_MIN_MS = 500;
const PAUSE_MAX_MS = 4_000;

/**
 * The fault injector (Jepsen's "nemesis"): every few seconds it takes one seeded step —
 * kill, crash-restart or pause a member (the leader half the time), or bring back a faulty
 * one — keeping at most `maxFaulty` members faulty at once.
 */
export class Nemesis {
  readonly faults: FaultCounts = { kills: 0, restarts: 0, pauses: 0 };
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private readonly stopper = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    private readonly ensemble: ProcessEnsemble,
    private readonly random: SeededRandom,
    private readonly options: NemesisOptions,
  ) {}

  get total(): number {
    return this.faults.kills + this.faults.restarts + this.faults.pauses;
  }

  start(): void {
    this.running = this.loop();
  }

  /** Stops injecting and cancels pending resumes; the caller heals the ensemble. */
  async stop(): Promise<void> {
    this.stopper.abort();
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    await this.running;
  }

  private async loop(): Promise<void> {
    const signal = this.stopper.signal;
    while (!signal.aborted) {
      await pause(this.options.intervalMs * this.random.between(0.5, 1.5), signal);
      if (signal.aborted) return;
      await this.step();
    }
  }

  private async step(): Promise<void> {
    const servers = this.ensemble.servers;
    const faulty = servers.filter((server) => server.state !== 'running');
    const running = servers.filter((server) => server.state === 'running');
    if (faulty.length > 0 && (faulty.length >= this.options.maxFaulty || this.random.chance(0.4))) {
      const server = this.random.pick(faulty);
      this.options.log(`${server.state === 'dead' ? 'restart' : 'resume'} server ${server.id}`);
      if (server.state === 'dead') server.start();
      else server.resume();
      return;
    }
    if (running.length === 0) return;
    // The leader is the most interesting victim; asking costs an admin call per member.
    const leader = this.random.chance(0.5) ? await this.ensemble.leader() : undefined;
    const target = leader !== undefined && leader.state === 'running' ? leader : this.random.pick(running);
    const role = target === leader ? ' (leader)' : '';
    const roll = this.random.float();
    if (roll < 0.35) {
      this.options.log(`kill -9 server ${target.id}${role}`);
      this.faults.kills++;
      await target.kill();
    } else if (roll < 0.6) {
      this.options.log(`kill -9 and restart server ${target.id}${role}`);
      this.faults.restarts++;
      await target.kill();
      target.start();
    } else {
      const pauseMs = this.random.between(PAUSE_MIN_MS, PAUSE_MAX_MS);
      this.options.log(`SIGSTOP server ${target.id}${role} for ${pauseMs.toFixed(0)} ms`);
      this.faults.pauses++;
      target.pause();
      this.scheduleResume(target, pauseMs);
    }
  }

  private scheduleResume(server: ServerProcess, afterMs: number): void {
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      if (server.state !== 'paused') return;
      this.options.log(`SIGCONT server ${server.id}`);
      server.resume();
    }, afterMs);
    this.resumeTimers.add(timer);
  }
}
