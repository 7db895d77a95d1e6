import { type ZkClient, createClient } from '@zkts/client';
import type { HistoryRecorder, RecordingClient } from '../linearizability/history-recorder.js';
import { pause } from './poll.js';
import type { SeededRandom } from './seeded-random.js';

/** Settings of a {@link Workload}. */
export interface WorkloadOptions {
  readonly connectString: string;
  /** Concurrent workers, each with its own session. */
  readonly clients: number;
  /** The register znodes, all contended by every worker. */
  readonly keys: readonly string[];
  /** Parent of the set workload's znodes (unique creates, never deleted). */
  readonly setParent: string;
  readonly sessionTimeoutMs: number;
  /** Think time between a worker's operations is uniform in [0, this). */
  readonly thinkTimeMaxMs: number;
  /** Give up waiting for an answer after this long; the call then counts as indeterminate. */
  readonly callTimeoutMs: number;
  readonly log: (line: string) => void;
}

/** What the set workload did: acknowledged creates must all be in the final tree. */
export interface SetWorkloadResult {
  readonly acknowledged: readonly string[];
  /** Creates that failed or got no answer; they may or may not be in the tree. */
  readonly unacknowledged: number;
}

/**
 * Several workers, each a sequential process on its own session, running a seeded mix of
 * register operations over a few contended znodes through a {@link HistoryRecorder}: reads,
 * sync-then-read, compare-and-set with the last version the worker saw, blind sets, creates,
 * deletes. Every written value is unique (`w<worker>.<session>-<n>`), so a read names the
 * write it saw. A share of operations creates unique children of `setParent`, Jepsen's set
 * workload: the cheapest exact test for lost acknowledged creates.
 */
export class Workload {
  private stopping = false;
  private readonly workers: Promise<void>[] = [];
  private readonly clients = new Set<ZkClient>();
  private readonly setAcknowledged: string[] = [];
  private setUnacknowledged = 0;

  constructor(
    private readonly recorder: HistoryRecorder,
    private readonly random: SeededRandom,
    private readonly options: WorkloadOptions,
  ) {}

  start(): void {
    for (let w = 1; w <= this.options.clients; w++) this.workers.push(this.runWorker(w, this.random.fork()));
  }

  /** Lets each worker finish its current call (waiting at most `timeoutMs`), then closes every session. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(this.workers), timeout]);
    clearTimeout(timer);
    await Promise.all([...this.clients].map((client) => client.close().catch(() => undefined)));
  }

  get setResult(): SetWorkloadResult {
    return { acknowledged: [...this.setAcknowledged], unacknowledged: this.setUnacknowledged };
  }

  private async runWorker(worker: number, random: SeededRandom): Promise<void> {
    /** The last data version this worker saw per znode, for its compare-and-sets. */
    const versions = new Map<string, number>();
    let writes = 0;
    for (let session = 1; !this.stopping; session++) {
      const zk = createClient(this.options.connectString, {
        sessionTimeoutMs: this.options.sessionTimeoutMs,
        randomSeed: random.int(0x7fff_ffff),
        reconnectDelayMaxMs: 100,
        spinDelayMs: 100,
      });
      this.clients.add(zk);
      const client = this.recorder.wrap(zk, `w${worker}.${session}`);
      while (!this.stopping && !isTerminal(zk)) {
        const value = `${client.clientId}-${++writes}`;
        await this.step(client, random, versions, value).catch(() => undefined);
        await pause(random.float() * this.options.thinkTimeMaxMs);
      }
      if (isTerminal(zk)) this.options.log(`worker ${worker}: session ${client.clientId} ended (${zk.state}); opening a new one`);
      this.clients.delete(zk);
      await zk.close().catch(() => undefined);
    }
  }

  /** One seeded operation; errors are in the history already, so callers ignore them. */
  private async step(client: RecordingClient, random: SeededRandom, versions: Map<string, number>, value: string): Promise<void> {
    const path = random.pick(this.options.keys);
    const signal = AbortSignal.timeout(this.options.callTimeoutMs);
    const seen = (version: number): void => void versions.set(path, version);
    const knownVersion = (): number => (random.chance(0.8) ? (versions.get(path) ?? -1) : random.int(4));
    const roll = random.float();
    if (roll < 0.28) {
      seen((await client.getData(path, { signal })).stat.version);
    } else if (roll < 0.4) {
      await client.sync(path, { signal });
      seen((await client.getData(path, { signal: AbortSignal.timeout(this.options.callTimeoutMs) })).stat.version);
    } else if (roll < 0.62) {
      seen((await client.setData(path, value, knownVersion(), { signal })).version);
    } else if (roll < 0.7) {
      seen((await client.setData(path, value, -1, { signal })).version);
    } else if (roll < 0.82) {
      await client.create(path, value, { signal });
      seen(0);
    } else if (roll < 0.9) {
      await client.delete(path, random.chance(0.7) ? knownVersion() : -1, { signal });
      versions.delete(path);
    } else {
      await this.setCreate(client.client, `${this.options.setParent}/${value}`, signal);
    }
  }

  private async setCreate(zk: ZkClient, path: string, signal: AbortSignal): Promise<void> {
    try {
      await zk.create(path, '', { signal });
      this.setAcknowledged.push(path);
    } catch (error) {
      this.setUnacknowledged++;
      throw error;
    }
  }
}

function isTerminal(zk: ZkClient): boolean {
  return zk.state === 'CLOSED' || zk.state === 'EXPIRED' || zk.state === 'AUTH_FAILED';
}
