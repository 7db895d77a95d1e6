/**
 * Randomized self-test of the checker: histories generated from a real execution under the
 * model must be accepted; histories with one answer changed must be judged exactly as a
 * brute-force reference (every order, from the definition) judges them.
 */
import { describe, expect, test } from 'vitest';
import type { ErrorCodeName } from '@zkts/protocol';
import { type HistoryOperation, type OpOutcome, type RegisterOp, checkHistory } from '../src/index.js';
import { SeededRandom } from '../src/chaos/seeded-random.js';
import { BRUTE_FORCE_OPS_MAX, checkHistoryBruteForce } from '../src/linearizability/brute-force.js';

interface Znode {
  readonly exists: boolean;
  readonly value: string;
  readonly version: number;
}
const ABSENT: Znode = { exists: false, value: '', version: 0 };

/** The ground truth the generator executes against (ZooKeeper's rules, restated once more). */
function execute(znode: Znode, op: RegisterOp): { outcome: OpOutcome; after: Znode } {
  const fail = (code: ErrorCodeName) => ({ outcome: { status: 'error', code } as const, after: znode });
  switch (op.type) {
    case 'getData':
      return znode.exists ? { outcome: { status: 'ok', value: znode.value, version: znode.version }, after: znode } : fail('NO_NODE');
    case 'sync':
      return { outcome: { status: 'ok' }, after: znode };
    case 'create':
      return znode.exists ? fail('NODE_EXISTS') : { outcome: { status: 'ok' }, after: { exists: true, value: op.value, version: 0 } };
    case 'setData':
      if (!znode.exists) return fail('NO_NODE');
      if (op.expectedVersion !== -1 && op.expectedVersion !== znode.version) return fail('BAD_VERSION');
      return { outcome: { status: 'ok', version: znode.version + 1 }, after: { exists: true, value: op.value, version: znode.version + 1 } };
    case 'delete':
      if (!znode.exists) return fail('NO_NODE');
      if (op.expectedVersion !== -1 && op.expectedVersion !== znode.version) return fail('BAD_VERSION');
      return { outcome: { status: 'ok' }, after: ABSENT };
  }
}

interface GeneratorOptions {
  readonly clients: number;
  readonly paths: readonly string[];
  readonly operations: number;
  /** At most one call in flight in the whole system, and reads always fresh. */
  readonly sequential?: boolean;
  /** Chance that a write's answer is lost (it then takes effect before, later, or never). */
  readonly lossRate?: number;
  /** A write whose answer was lost takes effect, if at all, before its session's next write or sync (ZooKeeper's FIFO order). */
  readonly fifoLost?: boolean;
}

interface Call {
  readonly clientId: string;
  readonly path: string;
  readonly op: RegisterOp;
  readonly invokeMs: number;
  outcome?: OpOutcome;
  executed: boolean;
}

/**
 * Simulates clients against a ZooKeeper-like system: writes and syncs take effect in one
 * global log at a point between invocation and answer; a read is served from any log prefix
 * at least as long as the client has seen (a lagging server), never longer than the log at
 * the time; a lost answer leaves a write that takes effect at once, later, or never.
 */
function generate(random: SeededRandom, options: GeneratorOptions): HistoryOperation[] {
  const { clients, paths, operations } = options;
  const lossRate = options.lossRate ?? 0;
  /** States per path after each log position that changed it: [logLength, state]. */
  const timeline = new Map<string, [number, Znode][]>(paths.map((p) => [p, [[0, ABSENT]]]));
  let logLength = 0;
  const stateAt = (path: string, position: number): Znode => {
    const entries = timeline.get(path)!;
    let state = ABSENT;
    for (const [at, znode] of entries) if (at <= position) state = znode;
    return state;
  };
  const current = (path: string): Znode => stateAt(path, logLength);
  const views = new Array<number>(clients).fill(0);
  const inFlight: (Call | undefined)[] = new Array(clients).fill(undefined);
  const floating: Call[] = [];
  /** Before a session's write or sync takes effect, its lost writes do or never will. */
  const settleFloating = (clientId: string): void => {
    for (let i = floating.length - 1; i >= 0; i--) {
      if (floating[i]!.clientId !== clientId) continue;
      const [call] = floating.splice(i, 1);
      if (random.chance(0.5)) apply(call!, undefined);
    }
  };
  const history: HistoryOperation[] = [];
  let now = 0;
  let issued = 0;
  let values = 0;

  const newOp = (path: string): RegisterOp => {
    const znode = current(path);
    const roll = random.float();
    const version = (): number => random.pick([-1, znode.version, znode.version, znode.version + 1, 0]);
    if (roll < 0.3) return { type: 'getData' };
    if (roll < 0.4) return { type: 'sync' };
    if (roll < 0.7) return { type: 'setData', value: `v${++values}`, expectedVersion: version() };
    if (roll < 0.85) return { type: 'create', value: `v${++values}` };
    return { type: 'delete', expectedVersion: version() };
  };
  const apply = (call: Call, client: number | undefined): OpOutcome => {
    if (call.op.type === 'getData') {
      const view = client === undefined ? logLength : views[client]!;
      const position = options.sequential === true ? logLength : view + random.int(logLength - view + 1);
      if (client !== undefined) views[client] = position;
      return execute(stateAt(call.path, position), call.op).outcome;
    }
    const { outcome, after } = execute(current(call.path), call.op);
    logLength++;
    if (after !== current(call.path)) timeline.get(call.path)!.push([logLength, after]);
    if (client !== undefined) views[client] = logLength;
    return outcome;
  };
  const record = (call: Call, outcome: OpOutcome, responseMs: number): void => {
    history.push({ clientId: call.clientId, path: call.path, op: call.op, outcome, invokeMs: call.invokeMs, responseMs });
  };

  while (issued < operations || inFlight.some((c) => c !== undefined)) {
    now++;
    // Unanswered writes may still take effect, at any later time.
    if (floating.length > 0 && random.chance(0.05)) {
      const call = floating.splice(random.int(floating.length), 1)[0]!;
      apply(call, undefined);
    }
    const c = random.int(clients);
    if (options.sequential === true && inFlight.some((call, i) => call !== undefined && i !== c)) continue;
    const call = inFlight[c];
    if (call === undefined) {
      if (issued >= operations) continue;
      issued++;
      const path = random.pick(paths);
      inFlight[c] = { clientId: `c${c}`, path, op: newOp(path), invokeMs: now, executed: false };
      continue;
    }
    const isWrite = call.op.type !== 'getData' && call.op.type !== 'sync';
    if (!call.executed) {
      if (isWrite && random.chance(lossRate)) {
        // Lost before taking effect: it may still, later (or never).
        inFlight[c] = undefined;
        if (random.chance(0.5)) floating.push(call);
        record(call, { status: 'indeterminate' }, Infinity);
        continue;
      }
      if (options.fifoLost === true && call.op.type !== 'getData') settleFloating(call.clientId);
      call.outcome = apply(call, c);
      call.executed = true;
      continue;
    }
    inFlight[c] = undefined;
    if (isWrite && random.chance(lossRate)) record(call, { status: 'indeterminate' }, Infinity);
    else record(call, call.outcome!, now);
  }
  return history;
}

/** Changes one answer into a different, well-formed one. */
function mutate(random: SeededRandom, history: HistoryOperation[]): HistoryOperation[] | undefined {
  const answered = history.map((o, i) => [o, i] as const).filter(([o]) => o.outcome.status !== 'indeterminate' && o.op.type !== 'sync');
  if (answered.length === 0) return undefined;
  const [target, index] = random.pick(answered);
  const values = history.flatMap((o) => ('value' in o.op ? [o.op.value] : []));
  let outcome: OpOutcome;
  const { op } = target;
  const version = target.outcome.status === 'ok' ? (target.outcome.version ?? 0) : random.int(3);
  switch (op.type) {
    case 'getData':
      outcome = random.pick<OpOutcome>([
        { status: 'error', code: 'NO_NODE' },
        { status: 'ok', value: values.length > 0 ? random.pick(values) : 'nothing', version },
        { status: 'ok', value: target.outcome.status === 'ok' ? target.outcome.value! : 'nothing', version: version + random.pick([-1, 1]) },
      ]);
      break;
    case 'setData':
      outcome = random.pick<OpOutcome>([
        { status: 'error', code: 'NO_NODE' },
        { status: 'error', code: 'BAD_VERSION' },
        { status: 'ok', version: Math.max(1, version + random.pick([-1, 1])) },
      ]);
      break;
    case 'create':
      outcome = target.outcome.status === 'ok' ? { status: 'error', code: 'NODE_EXISTS' } : { status: 'ok' };
      break;
    case 'delete':
      outcome = target.outcome.status === 'ok' ? random.pick<OpOutcome>([{ status: 'error', code: 'NO_NODE' }, { status: 'error', code: 'BAD_VERSION' }]) : { status: 'ok' };
      break;
    case 'sync':
      return undefined;
  }
  if (JSON.stringify(outcome) === JSON.stringify(target.outcome)) return undefined;
  const mutated = history.slice();
  mutated[index] = { ...target, outcome };
  return mutated;
}

describe('randomized self-test', () => {
  test('random sequential histories are accepted', () => {
    const random = new SeededRandom(1);
    for (let i = 0; i < 200; i++) {
      const history = generate(random, { clients: 1 + random.int(4), paths: ['/a', '/b'], operations: 20 + random.int(60), sequential: true });
      const result = checkHistory(history);
      expect(result.ok, `seed 1, history ${i}: ${result.ok ? '' : result.explanation}`).toBe(true);
    }
  });

  test('random concurrent histories from a real execution, with stale reads and lost answers, are accepted', () => {
    const random = new SeededRandom(2);
    let indeterminate = 0;
    for (let i = 0; i < 300; i++) {
      const fifoLost = i % 2 === 0;
      const history = generate(random, { clients: 2 + random.int(5), paths: ['/a', '/b', '/c'], operations: 20 + random.int(150), lossRate: 0.05, fifoLost });
      indeterminate += history.filter((o) => o.outcome.status === 'indeterminate').length;
      for (const unansweredWrites of fifoLost ? (['anytime', 'beforeSessionWrite'] as const) : (['anytime'] as const)) {
        const result = checkHistory(history, { unansweredWrites });
        expect(result.ok, `seed 2, history ${i}, ${unansweredWrites}: ${result.ok ? '' : result.explanation}`).toBe(true);
      }
    }
    expect(indeterminate).toBeGreaterThan(100);
  });

  test('a long concurrent history with many lost answers is checked quickly', () => {
    const random = new SeededRandom(3);
    const history = generate(random, { clients: 8, paths: ['/a', '/b', '/c', '/d'], operations: 20_000, lossRate: 0.02 });
    const started = performance.now();
    // Hundreds of unanswered writes per znode, each free to take effect at any later point.
    const result = checkHistory(history, { timeoutMs: 20_000 });
    const elapsedMs = performance.now() - started;
    expect(result.ok, result.ok ? '' : result.explanation).toBe(true);
    console.log(`checked ${history.length} operations (${history.filter((o) => o.outcome.status === 'indeterminate').length} indeterminate) in ${elapsedMs.toFixed(0)} ms`);
    expect(elapsedMs).toBeLessThan(10_000);
  });

  test('with one answer changed, the checker agrees with the brute-force reference', () => {
    const random = new SeededRandom(4);
    let compared = 0;
    let rejected = 0;
    for (let i = 0; compared < 1500; i++) {
      const unansweredWrites = i % 2 === 0 ? 'anytime' : 'beforeSessionWrite';
      const history = generate(random, { clients: 2 + random.int(2), paths: ['/a'], operations: 4 + random.int(BRUTE_FORCE_OPS_MAX - 4), lossRate: 0.1, fifoLost: true });
      expect(checkHistoryBruteForce(history, unansweredWrites), `original ${i}`).toBe(true);
      expect(checkHistory(history, { unansweredWrites }).ok, `original ${i}`).toBe(true);
      const mutated = mutate(random, history);
      if (mutated === undefined) continue;
      compared++;
      const reference = checkHistoryBruteForce(mutated, unansweredWrites);
      const result = checkHistory(mutated, { unansweredWrites });
      expect(result.ok, `mutated ${i} (${unansweredWrites}): ${JSON.stringify(mutated)}`).toBe(reference);
      if (!reference) rejected++;
    }
    // Most single changes break some history; a fair share must be rejected for the comparison to mean anything.
    expect(rejected).toBeGreaterThan(compared * 0.4);
    console.log(`cross-checked ${compared} mutated histories, ${rejected} rejected by both`);
  });

  test('on arbitrary small histories (random answers, times, pipelined calls, two znodes, both modes) the checker agrees with the brute-force reference', () => {
    const random = new SeededRandom(5);
    const errors: Record<RegisterOp['type'], ErrorCodeName[]> = {
      getData: ['NO_NODE'],
      setData: ['NO_NODE', 'BAD_VERSION'],
      create: ['NODE_EXISTS'],
      delete: ['NO_NODE', 'BAD_VERSION', 'NOT_EMPTY'],
      sync: [],
    };
    let compared = 0;
    let accepted = 0;
    while (compared < 20_000) {
      const paths = random.chance(0.3) ? ['/a', '/b'] : ['/a'];
      // With more values than reads, some data is never read back (the checker merges such states).
      const values = random.chance(0.5) ? ['x', 'y'] : ['x', 'y', 'z', 'w'];
      const history: HistoryOperation[] = [];
      for (let k = 2 + random.int(8); k > 0; k--) {
        // Calls of one client may overlap and share instants: session order then follows the history's order.
        const invokeMs = random.int(12);
        const op = random.pick<RegisterOp>([
          { type: 'getData' },
          { type: 'getData' },
          { type: 'sync' },
          { type: 'create', value: random.pick(values) },
          { type: 'setData', value: random.pick(values), expectedVersion: random.int(3) - 1 },
          { type: 'delete', expectedVersion: random.int(3) - 1 },
        ]);
        const roll = random.float();
        const outcome: OpOutcome =
          roll < 0.2
            ? { status: 'indeterminate' }
            : roll < 0.45 && errors[op.type].length > 0
              ? { status: 'error', code: random.pick(errors[op.type]) }
              : op.type === 'getData'
                ? { status: 'ok', value: random.pick(values), version: random.int(3) }
                : op.type === 'setData'
                  ? { status: 'ok', version: 1 + random.int(3) }
                  : { status: 'ok' };
        const responseMs = outcome.status === 'indeterminate' ? Infinity : invokeMs + random.int(6);
        history.push({ clientId: `c${random.int(3)}`, path: random.pick(paths), op, outcome, invokeMs, responseMs });
      }
      if (paths.some((path) => history.filter((o) => o.path === path || o.op.type === 'sync').length > BRUTE_FORCE_OPS_MAX)) continue;
      compared++;
      const unansweredWrites = compared % 2 === 0 ? 'anytime' : 'beforeSessionWrite';
      const reference = checkHistoryBruteForce(history, unansweredWrites);
      expect(checkHistory(history, { unansweredWrites }).ok, `history ${compared} (${unansweredWrites}): ${JSON.stringify(history)}`).toBe(reference);
      if (reference) accepted++;
    }
    // Both verdicts must be well represented for the agreement to mean something.
    expect(accepted).toBeGreaterThan(1_000);
    expect(accepted).toBeLessThan(19_000);
  });
});
