import { assert } from './assert.js';
import { type HistoryOperation, describeOperation } from './history.js';
import {
  type OperationRole,
  type RegisterState,
  describeState,
  operationRole,
  stateKey,
  stepIfEffective,
  stepIfMatches,
} from './register-model.js';

/** The verdict on one znode's sub-history. */
export type PathVerdict = { readonly ok: true } | { readonly ok: false; readonly timedOut: boolean; readonly explanation: string };

/** An operation the search orders, with the facts it needs precomputed. */
interface PreparedOp {
  readonly source: HistoryOperation;
  /** Position in the sub-history: breaks ties between a client's calls invoked at the same instant. */
  readonly seq: number;
  readonly role: Exclude<OperationRole, 'dropped'>;
  /** Dense client index. */
  readonly client: number;
  readonly invokeMs: number;
  /** +∞ for `maybe` operations: they never precede anything in real time. */
  readonly responseMs: number;
}

/** A pending `maybe` write and the client-order prefix that must precede it. */
interface MaybeOp {
  readonly op: PreparedOp;
  /** How many of its client's answered operations were invoked before it (FIFO order of a session). */
  readonly prefixNeeded: number;
}

/**
 * A point of the search: how many answered operations of each client are linearized (a
 * session's answered operations take effect in its order, so a count per client says which),
 * which unanswered writes took effect, and the znode's state.
 */
interface Config {
  readonly counts: Int32Array;
  readonly applied: Uint8Array;
  state: RegisterState;
}

/** A step the search may take from a config: an update at a client's head, or an unanswered write taking effect. */
interface Move {
  readonly client: number;
  /** Index into the maybe list, or -1 for the client's head. */
  readonly maybe: number;
  readonly next: RegisterState;
}

interface Frame {
  readonly config: Config;
  readonly moves: readonly Move[];
  nextMove: number;
  /** The operation whose linearization led here (for explanations). */
  readonly via: PreparedOp | undefined;
}

/** Checks the deadline once per this many search steps, as reading the clock costs more than a step. */
const DEADLINE_CHECK_INTERVAL = 256;

/**
 * Decides whether one znode's operations (sync operations of every client included) have a
 * linearization under the model documented in `check-history.ts`: a depth-first search in
 * the manner of Wing & Gong and Lowe, over configurations memoized by (linearized set, state),
 * where a configuration is also skipped when one already visited with the same answered
 * operations and state had a subset of the unanswered writes applied (it had every option
 * this one has). Reads, syncs and failed writes that fit the current state are linearized
 * greedily as soon as their predecessors are: they change nothing, so taking them early only
 * removes constraints.
 */
export function checkPath(path: string, operations: readonly HistoryOperation[], initial: RegisterState, deadlineMs: number): PathVerdict {
  return new PathSearch(path, operations, initial, deadlineMs).run();
}

class PathSearch {
  /** Answered operations of each client, in the order the client issued them. */
  private readonly byClient: PreparedOp[][] = [];
  /** suffixMinResponseMs[c][k]: the earliest answer among client c's operations from k on. */
  private readonly suffixMinResponseMs: Float64Array[] = [];
  private readonly maybes: MaybeOp[] = [];
  private readonly answeredTotal: number;
  /** Visited configs: key of (counts, state) → applied sets seen with it. */
  private readonly visited = new Map<string, Uint8Array[]>();
  private deepest: { config: Config; count: number; trail: PreparedOp[] };
  private steps = 0;

  constructor(
    private readonly path: string,
    operations: readonly HistoryOperation[],
    private readonly initial: RegisterState,
    private readonly deadlineMs: number,
  ) {
    const clientIndex = new Map<string | number, number>();
    const maybeOps: PreparedOp[] = [];
    for (const [seq, source] of operations.entries()) {
      const role = operationRole(source.op, source.outcome);
      if (role === 'dropped') continue;
      let client = clientIndex.get(source.clientId);
      if (client === undefined) {
        client = this.byClient.length;
        clientIndex.set(source.clientId, client);
        this.byClient.push([]);
      }
      const responseMs = role === 'maybe' ? Infinity : source.responseMs;
      assert(Number.isFinite(source.invokeMs), `invocation time of ${describeOperation(source)}`);
      assert(responseMs >= source.invokeMs, `answer before invocation: ${describeOperation(source)}`);
      const prepared: PreparedOp = { source, seq, role, client, invokeMs: source.invokeMs, responseMs };
      if (role === 'maybe') maybeOps.push(prepared);
      else this.byClient[client]!.push(prepared);
    }
    // A stable sort keeps the given order of operations a client invoked at the same instant.
    for (const ops of this.byClient) ops.sort((a, b) => a.invokeMs - b.invokeMs);
    for (const ops of this.byClient) {
      const suffix = new Float64Array(ops.length + 1);
      suffix[ops.length] = Infinity;
      for (let k = ops.length - 1; k >= 0; k--) suffix[k] = Math.min(ops[k]!.responseMs, suffix[k + 1]!);
      this.suffixMinResponseMs.push(suffix);
    }
    maybeOps.sort((a, b) => a.invokeMs - b.invokeMs);
    for (const op of maybeOps) {
      const own = this.byClient[op.client]!;
      let prefixNeeded = 0;
      while (prefixNeeded < own.length && issuedBefore(own[prefixNeeded]!, op)) prefixNeeded++;
      this.maybes.push({ op, prefixNeeded });
    }
    this.answeredTotal = this.byClient.reduce((sum, ops) => sum + ops.length, 0);
    const root: Config = { counts: new Int32Array(this.byClient.length), applied: new Uint8Array(this.maybes.length), state: initial };
    this.deepest = { config: root, count: 0, trail: [] };
  }

  run(): PathVerdict {
    const root = this.copy(this.deepest.config);
    this.close(root);
    if (this.linearizedCount(root) === this.answeredTotal) return { ok: true };
    this.visit(root);
    this.noteDepth(root, []);
    const stack: Frame[] = [{ config: root, moves: this.moves(root), nextMove: 0, via: undefined }];
    while (stack.length > 0) {
      if (++this.steps % DEADLINE_CHECK_INTERVAL === 0 && performance.now() > this.deadlineMs) {
        return { ok: false, timedOut: true, explanation: this.explain(true) };
      }
      const frame = stack[stack.length - 1]!;
      const move = frame.moves[frame.nextMove++];
      if (move === undefined) {
        stack.pop();
        continue;
      }
      const child = this.copy(frame.config);
      let via: PreparedOp;
      if (move.maybe < 0) {
        via = this.byClient[move.client]![child.counts[move.client]!]!;
        child.counts[move.client]!++;
      } else {
        via = this.maybes[move.maybe]!.op;
        child.applied[move.maybe] = 1;
      }
      child.state = move.next;
      this.close(child);
      if (this.linearizedCount(child) === this.answeredTotal) return { ok: true };
      if (!this.visit(child)) continue;
      const count = this.linearizedCount(child);
      if (count > this.deepest.count) this.noteDepth(child, [...stack.slice(1).map((f) => f.via!), via]);
      stack.push({ config: child, moves: this.moves(child), nextMove: 0, via });
    }
    return { ok: false, timedOut: false, explanation: this.explain(false) };
  }

  private copy(config: Config): Config {
    return { counts: config.counts.slice(), applied: config.applied.slice(), state: config.state };
  }

  private linearizedCount(config: Config): number {
    let count = 0;
    for (const n of config.counts) count += n;
    return count;
  }

  /** The earliest answer among operations not yet linearized: no write invoked strictly after it may be linearized yet. */
  private minPendingResponseMs(config: Config): number {
    let min = Infinity;
    for (let c = 0; c < this.byClient.length; c++) min = Math.min(min, this.suffixMinResponseMs[c]![config.counts[c]!]!);
    return min;
  }

  /** Whether every operation that must precede `op` in real time is linearized (session order is implied by being the head). */
  private realTimeReady(op: PreparedOp, minPendingResponseMs: number): boolean {
    // A read may see a state older than writes that finished before it started (ZooKeeper
    // serves reads from the local server); everything else is ordered after finished operations.
    return op.role === 'read' || op.invokeMs <= minPendingResponseMs;
  }

  /** Linearizes, in place, every client's head that changes nothing, is ready and fits the state, until none is left. */
  private close(config: Config): void {
    for (let progress = true; progress; ) {
      progress = false;
      const minPendingResponseMs = this.minPendingResponseMs(config);
      for (let c = 0; c < this.byClient.length; c++) {
        const ops = this.byClient[c]!;
        for (;;) {
          const head = ops[config.counts[c]!];
          if (head === undefined || head.role === 'update' || !this.realTimeReady(head, minPendingResponseMs)) break;
          if (stepIfMatches(config.state, head.source.op, head.source.outcome) === undefined) break;
          config.counts[c]!++;
          progress = true;
        }
      }
    }
  }

  private moves(config: Config): Move[] {
    const moves: Move[] = [];
    const minPendingResponseMs = this.minPendingResponseMs(config);
    for (let c = 0; c < this.byClient.length; c++) {
      const head = this.byClient[c]![config.counts[c]!];
      if (head === undefined || head.role !== 'update' || !this.realTimeReady(head, minPendingResponseMs)) continue;
      const next = stepIfMatches(config.state, head.source.op, head.source.outcome);
      if (next !== undefined) moves.push({ client: c, maybe: -1, next });
    }
    for (let m = 0; m < this.maybes.length; m++) {
      const { op, prefixNeeded } = this.maybes[m]!;
      if (op.invokeMs > minPendingResponseMs) break; // sorted by invocation: none later is ready either
      if (config.applied[m] === 1 || config.counts[op.client]! < prefixNeeded) continue;
      const next = stepIfEffective(config.state, op.source.op);
      if (next !== undefined) moves.push({ client: op.client, maybe: m, next });
    }
    return moves;
  }

  /** Records a config; false if it, or one with the same progress and state and fewer writes applied, was seen. */
  private visit(config: Config): boolean {
    const key = `${config.counts.join(',')}|${stateKey(config.state)}`;
    const seen = this.visited.get(key);
    if (seen === undefined) {
      this.visited.set(key, [config.applied]);
      return true;
    }
    if (seen.some((applied) => isSubset(applied, config.applied))) return false;
    seen.push(config.applied);
    return true;
  }

  private noteDepth(config: Config, trail: PreparedOp[]): void {
    this.deepest = { config, count: this.linearizedCount(config), trail };
  }

  private explain(timedOut: boolean): string {
    const { config, count, trail } = this.deepest;
    const lines: string[] = [];
    lines.push(
      timedOut
        ? `znode ${this.path}: gave up (time limit) after ${this.steps} search steps over ${this.answeredTotal} answered operations.`
        : `znode ${this.path}: no linearization of its ${this.answeredTotal} answered operations (and ${this.maybes.length} unanswered writes) exists.`,
    );
    lines.push(`The longest consistent order found places ${count} of them (starting from ${describeState(this.initial)}); after it the znode is ${describeState(config.state)}, and each client's next operation cannot follow:`);
    const minPendingResponseMs = this.minPendingResponseMs(config);
    for (let c = 0; c < this.byClient.length; c++) {
      const head = this.byClient[c]![config.counts[c]!];
      if (head === undefined) continue;
      lines.push(`  next ${describeOperation(head.source)}: ${this.whyNot(head, config, minPendingResponseMs)}`);
    }
    if (trail.length > 0) {
      lines.push('Last state changes of that order:');
      for (const op of trail.slice(-5)) lines.push(`  ${describeOperation(op.source)}`);
    }
    return lines.join('\n');
  }

  private whyNot(head: PreparedOp, config: Config, minPendingResponseMs: number): string {
    if (!this.realTimeReady(head, minPendingResponseMs)) {
      const blocker = this.byClient
        .map((ops, c) => ops[config.counts[c]!])
        .filter((op): op is PreparedOp => op !== undefined && op !== head && op.responseMs < head.invokeMs)
        .sort((a, b) => a.responseMs - b.responseMs)[0];
      return blocker === undefined ? 'waits for an earlier operation' : `must come after ${describeOperation(blocker.source)}`;
    }
    return 'its answer does not fit that state';
  }
}

/** Whether a client issued `a` before `b`. */
function issuedBefore(a: PreparedOp, b: PreparedOp): boolean {
  return a.invokeMs < b.invokeMs || (a.invokeMs === b.invokeMs && a.seq < b.seq);
}

/** True if every member of `a` is in `b` (sets as 0/1 arrays of equal length). */
function isSubset(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] === 1 && b[i] !== 1) return false;
  return true;
}
