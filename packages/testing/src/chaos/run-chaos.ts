import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '@zkts/client';
import { ZkError } from '@zkts/protocol';
import { checkHistory } from '../linearizability/check-history.js';
import type { UnansweredWrites } from '../linearizability/check-path.js';
import type { HistoryOperation } from '../linearizability/history.js';
import { HistoryRecorder } from '../linearizability/history-recorder.js';
import type { ChaosSummary } from './chaos-summary.js';
import { type FinalZnode, lostRegisterWrites, lostSetMembers } from './lost-writes.js';
import { type FaultCounts, Nemesis } from './nemesis.js';
import { pause } from './poll.js';
import { type Convergence, ProcessEnsemble } from './process-ensemble.js';
import { SeededRandom } from './seeded-random.js';
import { type SetWorkloadResult, Workload } from './workload.js';

/** Options of {@link runChaos}. */
export interface ChaosOptions {
  /** How long the workload runs under faults. */
  readonly durationMs: number;
  /** Ensemble size. Default 3. */
  readonly servers?: number;
  /** Seed of the choices of operations and faults. Default: drawn at random (and reported). */
  readonly seed?: number;
  /** Concurrent client sessions. Default 5. */
  readonly clients?: number;
  /** Register znodes the clients contend on. Default 3. */
  readonly keys?: number;
  /** Mean time between fault steps. Default 3 000. */
  readonly faultIntervalMs?: number;
  /** Most members faulty at once. Default: a minority, so a quorum can always form. */
  readonly maxFaulty?: number;
  /** Session timeout the clients ask for. Default 8 000 (the servers allow up to 10 000). */
  readonly sessionTimeoutMs?: number;
  /** When unanswered writes may take effect, for the check. Default `beforeSessionWrite`, as ZooKeeper's FIFO client order promises. */
  readonly unansweredWrites?: UnansweredWrites;
  /** Time limit of the linearizability check. Default 300 000. */
  readonly checkTimeoutMs?: number;
  /** The built `zk-server` CLI. Default: `packages/cli/dist/zk-server.js` of this repository. */
  readonly zkServerBin?: string;
  /** Write the recorded history here (JSON, one operation per line), e.g. to re-check it or study a violation. */
  readonly historyFile?: string;
  /** Keep the data dirs and server logs instead of deleting them. Default false. */
  readonly keepDataDir?: boolean;
  /** Aborting stops the run early: faults and workload stop, processes and files are cleaned up, nothing is checked. */
  readonly signal?: AbortSignal;
  /** Progress lines (faults, phases). Default: none. */
  readonly log?: (line: string) => void;
}

const DEFAULT_ZK_SERVER_BIN = fileURLToPath(new URL('../../../cli/dist/zk-server.js', import.meta.url));
/** How long members get to (re)form a quorum, and to agree on one tree after the last fault. */
const SERVING_TIMEOUT_MS = 60_000;
/** Register znodes live under this parent; the set workload under the other. */
const REGISTER_PARENT = '/chaos';
const SET_PARENT = '/chaos-set';

/**
 * Runs a real-process chaos test: starts an ensemble of `zk-server` processes on loopback,
 * runs a {@link HistoryRecorder}-recorded register workload from several sessions while a
 * seeded nemesis kills (SIGKILL), crash-restarts and pauses (SIGSTOP/SIGCONT) members, then
 * heals everything, reads the final state through every member after a sync, and compares the
 * members' tree digests. Once the processes are gone and their files removed (also when the
 * process exits early), it checks the history with {@link checkHistory} and counts
 * acknowledged writes the final state lost.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosSummary> {
  const startedMs = performance.now();
  const seed = options.seed ?? Math.floor(Math.random() * 0x7fff_ffff);
  const serverCount = options.servers ?? 3;
  const log = options.log ?? (() => {});
  const observed = await observe(options, seed, serverCount, log);
  if (observed.aborted) {
    return { ...abortedSummary(seed, serverCount, startedMs), workloadMs: observed.workloadMs, ...countOutcomes(observed.history), faults: observed.faults };
  }
  const { history, problems } = observed;
  if (options.historyFile !== undefined) writeFileSync(options.historyFile, history.map((o) => JSON.stringify(o)).join('\n') + '\n');
  log(`checking ${history.length} operations`);
  const checkStartMs = performance.now();
  const check = checkHistory(history, { timeoutMs: options.checkTimeoutMs ?? 300_000, unansweredWrites: options.unansweredWrites ?? 'beforeSessionWrite' });
  const checkMs = performance.now() - checkStartMs;
  const violations = check.ok ? [] : check.violations.filter((v) => !v.timedOut);
  if (!check.ok && check.violations.some((v) => v.timedOut)) problems.push('the linearizability check timed out on some znodes');
  const { set } = observed;
  const lostWriteDetails = [...lostRegisterWrites(history, observed.finals.znodes), ...lostSetMembers(set.acknowledged, observed.finals.setChildren, SET_PARENT)];
  const digestsEqual = observed.convergence !== undefined;
  return {
    seed,
    servers: serverCount,
    workloadMs: observed.workloadMs,
    elapsedMs: performance.now() - startedMs,
    ...countOutcomes(history),
    setCreates: { acknowledged: set.acknowledged.length, unacknowledged: set.unacknowledged },
    faults: observed.faults,
    violations: violations.length,
    violationExplanation: check.ok ? undefined : check.explanation,
    checkMs,
    lostWrites: lostWriteDetails.length,
    lostWriteDetails,
    digestsEqual,
    digests: observed.digests,
    problems,
    aborted: false,
    ok: check.ok && lostWriteDetails.length === 0 && digestsEqual && problems.length === 0,
  };
}

/** What the run saw, for the checks that follow once the servers are gone. */
type Observation =
  | { readonly aborted: true; readonly workloadMs: number; readonly history: readonly HistoryOperation[]; readonly faults: FaultCounts }
  | {
      readonly aborted: false;
      readonly workloadMs: number;
      readonly history: readonly HistoryOperation[];
      readonly faults: FaultCounts;
      readonly set: SetWorkloadResult;
      readonly finals: FinalState;
      readonly convergence: Convergence | undefined;
      readonly digests: readonly string[];
      readonly problems: string[];
    };

/** Starts the ensemble, runs workload and faults, heals, reads the final state; always stops the servers and removes their files. */
async function observe(options: ChaosOptions, seed: number, serverCount: number, log: (line: string) => void): Promise<Observation> {
  const signal = options.signal;
  const sessionTimeoutMs = options.sessionTimeoutMs ?? 8_000;
  const zkServerBin = options.zkServerBin ?? DEFAULT_ZK_SERVER_BIN;
  if (!existsSync(zkServerBin)) throw new Error(`${zkServerBin} does not exist: build the workspace first (npx tsc -b)`);
  const random = new SeededRandom(seed);
  const root = mkdtempSync(join(tmpdir(), 'zkts-chaos-'));
  const ensemble = await ProcessEnsemble.create(root, serverCount, zkServerBin);
  const removeFiles = (): void => {
    if (options.keepDataDir === true) log(`data dirs and server logs kept in ${root}`);
    else rmSync(root, { recursive: true, force: true });
  };
  // An exit mid-run (an uncaught error, a second Ctrl-C) must not leave servers behind.
  const onExit = (): void => {
    ensemble.killAllNow();
    if (options.keepDataDir !== true) rmSync(root, { recursive: true, force: true });
  };
  process.on('exit', onExit);
  try {
    log(`seed ${seed}: starting ${serverCount} servers in ${root}`);
    ensemble.startAll();
    if (!(await ensemble.waitAllServing(SERVING_TIMEOUT_MS, signal))) {
      if (signal?.aborted === true) return { aborted: true, workloadMs: 0, history: [], faults: { kills: 0, restarts: 0, pauses: 0 } };
      throw new Error(`the ensemble did not start serving (run with keepDataDir / --keep to read the server logs)`);
    }
    const keys = Array.from({ length: options.keys ?? 3 }, (_, i) => `${REGISTER_PARENT}/r${i}`);
    await createParents(ensemble.connectString, sessionTimeoutMs);

    const recorder = new HistoryRecorder();
    const clients = options.clients ?? 5;
    const workload = new Workload(recorder, random.fork(), {
      connectString: ensemble.connectString,
      clients,
      keys,
      setParent: SET_PARENT,
      sessionTimeoutMs,
      thinkTimeMaxMs: 10,
      callTimeoutMs: 2 * sessionTimeoutMs,
      log,
    });
    const nemesis = new Nemesis(ensemble, random.fork(), {
      intervalMs: options.faultIntervalMs ?? 3_000,
      maxFaulty: options.maxFaulty ?? Math.floor((serverCount - 1) / 2),
      log,
    });
    log(`workload: ${clients} clients on ${keys.join(', ')} for ${(options.durationMs / 1000).toFixed(0)} s`);
    const workloadStartMs = performance.now();
    workload.start();
    nemesis.start();
    await pause(options.durationMs, signal);
    await nemesis.stop();
    await workload.stop(2 * sessionTimeoutMs + 5_000);
    const workloadMs = performance.now() - workloadStartMs;
    const faults = { ...nemesis.faults };
    if (signal?.aborted === true) return { aborted: true, workloadMs, history: recorder.history(), faults };

    log('healing: resuming and restarting every server');
    const problems: string[] = [];
    ensemble.heal();
    if (!(await ensemble.waitAllServing(SERVING_TIMEOUT_MS, signal))) problems.push('not every server was serving after the heal');
    const finals = await finalReads(ensemble, recorder, keys, sessionTimeoutMs, problems);
    log('waiting for identical digests');
    const convergence = await ensemble.waitConverged(SERVING_TIMEOUT_MS, signal);
    const digests = await ensemble.digests();
    if (convergence === undefined) problems.push('the servers did not converge to one zxid and digest');
    return { aborted: false, workloadMs, history: recorder.history(), faults, set: workload.setResult, finals, convergence, digests, problems };
  } finally {
    await ensemble.killAll();
    process.off('exit', onExit);
    removeFiles();
  }
}

async function createParents(connectString: string, sessionTimeoutMs: number): Promise<void> {
  const client = await connect(connectString, { sessionTimeoutMs });
  try {
    for (const parent of [REGISTER_PARENT, SET_PARENT]) {
      await client.create(parent, '').catch((error: unknown) => {
        if (!(error instanceof ZkError && error.code === 'NODE_EXISTS')) throw error;
      });
    }
  } finally {
    await client.close();
  }
}

interface FinalState {
  readonly znodes: Map<string, FinalZnode>;
  readonly setChildren: Set<string>;
}

/**
 * Reads every register znode through each member after a sync (recorded, so the check covers
 * them), and the set workload's children through the first member that answers.
 */
async function finalReads(ensemble: ProcessEnsemble, recorder: HistoryRecorder, keys: readonly string[], sessionTimeoutMs: number, problems: string[]): Promise<FinalState> {
  const znodes = new Map<string, FinalZnode>();
  let setChildren: Set<string> | undefined;
  for (const server of ensemble.servers) {
    let zk;
    try {
      zk = await connect(server.address, { sessionTimeoutMs });
    } catch (error) {
      problems.push(`final read: cannot connect to server ${server.id}: ${String(error)}`);
      continue;
    }
    const client = recorder.wrap(zk, `final-${server.id}`);
    try {
      await client.sync('/');
      for (const key of keys) {
        let final: FinalZnode;
        try {
          const { stat } = await client.getData(key);
          final = { exists: true, czxid: Number(stat.czxid), version: stat.version };
        } catch (error) {
          if (!(error instanceof ZkError && error.code === 'NO_NODE')) throw error;
          final = { exists: false };
        }
        if (!znodes.has(key)) znodes.set(key, final);
      }
      setChildren ??= new Set(await zk.getChildren(SET_PARENT));
    } catch (error) {
      problems.push(`final read through server ${server.id} failed: ${String(error)}`);
    } finally {
      await zk.close();
    }
  }
  if (setChildren === undefined) problems.push('the set workload could not be read back');
  return { znodes, setChildren: setChildren ?? new Set() };
}

function countOutcomes(history: readonly HistoryOperation[]): Pick<ChaosSummary, 'operations' | 'acknowledged' | 'acknowledgedWrites' | 'failed' | 'indeterminate'> {
  let acknowledged = 0;
  let acknowledgedWrites = 0;
  let failed = 0;
  let indeterminate = 0;
  for (const { op, outcome } of history) {
    if (outcome.status === 'ok') {
      acknowledged++;
      if (op.type === 'create' || op.type === 'setData' || op.type === 'delete') acknowledgedWrites++;
    } else if (outcome.status === 'error') failed++;
    else indeterminate++;
  }
  return { operations: history.length, acknowledged, acknowledgedWrites, failed, indeterminate };
}

function abortedSummary(seed: number, servers: number, startedMs: number): ChaosSummary {
  return {
    seed,
    servers,
    workloadMs: 0,
    elapsedMs: performance.now() - startedMs,
    operations: 0,
    acknowledged: 0,
    acknowledgedWrites: 0,
    failed: 0,
    indeterminate: 0,
    setCreates: { acknowledged: 0, unacknowledged: 0 },
    faults: { kills: 0, restarts: 0, pauses: 0 },
    violations: 0,
    violationExplanation: undefined,
    checkMs: 0,
    lostWrites: 0,
    lostWriteDetails: [],
    digestsEqual: false,
    digests: [],
    problems: [],
    aborted: true,
    ok: false,
  };
}
