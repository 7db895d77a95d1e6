import { assert } from './assert.js';
import { type HistoryOperation, type RegisterOp, describeOperation } from './history.js';
import {
  type OperationRole,
  type RegisterState,
  UNREAD,
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
  /** The operation as the search applies it: data no read returns is replaced by {@link UNREAD}. */
  readonly op: RegisterOp;
  /** Position in the sub-history: breaks ties between a client's calls invoked at the same instant. */
  readonly seq: number;
  readonly role: Exclude<OperationRole, 'dropped'>;
  /** Dense client index. */
  readonly client: number;
  readonly invokeMs: number;
  /** +∞ for `maybe` operations: they never precede anything in real time. */
  readonly responseMs: number;
}

/** A pending `maybe` write and the window of its client's progress in which it may take effect. */
interface MaybeOp {
  readonly op: PreparedOp;
  /** How many of its client's answered operations were invoked before it (FIFO order of a session). */
  readonly prefixNeeded: number;
  /** It may take effect only while at most this many of its client's answered operations are linearized. */
  readonly lastChanceCount: number;
  /** Maybes with equal keys and no last chance are interchangeable: only the first available one is tried. */
  readonly effectKey: string | undefined;
}

/**
 * When an unanswered write may take effect, if at all:
 * - `anytime` after its invocation, as Jepsen and Porcupine assume of an operation whose
 *   client crashed;
 * - `beforeSessionWrite`: also before its session's next answered write or sync. ZooKeeper
 *   applies a session's updates in the order they were sent, and once the session has moved
 *   to another server, requests still in flight from the old connection are refused with
 *   SESSION_MOVED, so a lost write cannot overtake the session's later ones.
 */
export type UnansweredWrites = 'anytime' | 'beforeSessionWrite';

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
  /** The operation whose linearization led here, and the frame it was taken from (for explanations). */
  readonly via: PreparedOp | undefined;
  readonly parent: Frame | undefined;
  /** How many unanswered writes took effect since the last answered operation was linearized. */
  readonly chain: number;
}

/** The search frame with the most operations linearized so far. */
interface Deepest {
  readonly count: number;
  readonly frame: Frame;
}

/** Longest runs of unanswered writes in a row the successive search passes allow. */
const CHAIN_LIMITS = [1, 3, Infinity];

/** Checks the deadline once per this many search steps, as reading the clock costs more than a step. */
const DEADLINE_CHECK_INTERVAL = 256;

/**
 * Decides whether one znode's operations (sync operations of every client included) have a
 * linearization under the model documented in `check-history.ts`: a depth-first search in
 * the manner of Wing & Gong and Lowe, over configurations memoized by (linearized set, state),
 * where a configuration is also skipped when one already visited with the same answered
 * operations and state had a superset of the unanswered writes still available (it had every
 * option this one has). Reads, syncs and failed writes that fit the current state are
 * linearized greedily as soon as their predecessors are: they change nothing, so taking them
 * early only removes constraints — except a write or sync that ends the chance of its
 * session's unanswered writes (`beforeSessionWrite`), which is a branch like any update.
 * Data no read returns is merged into one placeholder ({@link UNREAD}), and of several
 * interchangeable unanswered writes only the first is tried.
 */
export function checkPath(
  path: string,
  operations: readonly HistoryOperation[],
  initial: RegisterState,
  unansweredWrites: UnansweredWrites,
  deadlineMs: number,
): PathVerdict {
  return new PathSearch(path, operations, initial, unansweredWrites, deadlineMs).run();
}

class PathSearch {
  /** Answered operations of each client, in the order the client issued them. */
  private readonly byClient: PreparedOp[][] = [];
  /** suffixMinResponseMs[c][k]: the earliest answer among client c's operations from k on. */
  private readonly suffixMinResponseMs: Float64Array[] = [];
  private readonly maybes: MaybeOp[] = [];
  /** expiring[c][k]: the maybes that can no longer take effect once client c's k-th answered operation is linearized. */
  private readonly expiring: (number[] | undefined)[][] = [];
  private readonly answeredTotal: number;
  /** Visited configs: key of (counts, state) → the sets of maybes no longer available seen with it. */
  private readonly visited = new Map<string, Uint8Array[]>();
  private steps = 0;

  constructor(
    private readonly path: string,
    operations: readonly HistoryOperation[],
    private readonly initial: RegisterState,
    unansweredWrites: UnansweredWrites,
    private readonly deadlineMs: number,
  ) {
    const clientIndex = new Map<string | number, number>();
    const maybeOps: PreparedOp[] = [];
    const read = new Set<string>();
    for (const { op, outcome } of operations) if (op.type === 'getData' && outcome.status === 'ok' && outcome.value !== undefined) read.add(outcome.value);
    assert(!read.has(UNREAD), 'a read returned the placeholder for unread data');
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
      const op = 'value' in source.op && !read.has(source.op.value) ? { ...source.op, value: UNREAD } : source.op;
      const prepared: PreparedOp = { source, op, seq, role, client, invokeMs: source.invokeMs, responseMs };
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
    for (const ops of this.byClient) this.expiring.push(new Array<number[] | undefined>(ops.length));
    for (const op of maybeOps) {
      const own = this.byClient[op.client]!;
      let prefixNeeded = 0;
      while (prefixNeeded < own.length && issuedBefore(own[prefixNeeded]!, op)) prefixNeeded++;
      let lastChanceCount = Infinity;
      if (unansweredWrites === 'beforeSessionWrite') {
        // The session's next write or sync reaches the leader after it, if it ever does.
        const next = own.findIndex((later, k) => k >= prefixNeeded && later.role !== 'read');
        if (next >= 0) {
          lastChanceCount = next;
          (this.expiring[op.client]![next] ??= []).push(this.maybes.length);
        }
      }
      const effectKey = lastChanceCount === Infinity ? JSON.stringify(op.op) : undefined;
      this.maybes.push({ op, prefixNeeded, lastChanceCount, effectKey });
    }
    this.answeredTotal = this.byClient.reduce((sum, ops) => sum + ops.length, 0);
  }

  /**
   * Searches in passes that allow ever longer runs of unanswered writes between two answered
   * operations, the last pass without limit. A search free to apply any pending unanswered
   * write can wander deep into orders that patch an early wrong choice with a chain of them
   * before it backtracks; valid histories rarely need more than one or two in a row, so the
   * short passes find their order fast, and only the last pass has to be exhaustive.
   */
  run(): PathVerdict {
    let verdict: PathVerdict = { ok: true };
    for (const chainMax of this.maybes.length === 0 ? [Infinity] : CHAIN_LIMITS) {
      this.visited.clear();
      verdict = this.search(chainMax);
      if (verdict.ok || verdict.timedOut) return verdict;
    }
    return verdict;
  }

  /** One depth-first pass, applying at most `chainMax` unanswered writes in a row. */
  private search(chainMax: number): PathVerdict {
    const root: Config = { counts: new Int32Array(this.byClient.length), applied: new Uint8Array(this.maybes.length), state: this.initial };
    this.close(root);
    if (this.linearizedCount(root) === this.answeredTotal) return { ok: true };
    this.visit(root);
    const rootFrame: Frame = { config: root, moves: this.moves(root, true), nextMove: 0, via: undefined, parent: undefined, chain: 0 };
    const stack: Frame[] = [rootFrame];
    // The frame with the most operations linearized, to explain a failure.
    let deepest: Deepest = { count: this.linearizedCount(root), frame: rootFrame };
    while (stack.length > 0) {
      if (++this.steps % DEADLINE_CHECK_INTERVAL === 0 && performance.now() > this.deadlineMs) {
        return { ok: false, timedOut: true, explanation: this.explain(deepest, true) };
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
      const count = this.linearizedCount(child);
      if (count === this.answeredTotal) return { ok: true };
      if (!this.visit(child)) continue;
      // The run of unanswered writes ends with any answered operation, a move or one the closure took.
      const chain = count > this.linearizedCount(frame.config) ? 0 : frame.chain + 1;
      const childFrame: Frame = { config: child, moves: this.moves(child, chain < chainMax), nextMove: 0, via, parent: frame, chain };
      if (count > deepest.count) deepest = { count, frame: childFrame };
      stack.push(childFrame);
    }
    return { ok: false, timedOut: false, explanation: this.explain(deepest, false) };
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
          // Taking it would end the chance of its session's pending unanswered writes: that is a choice, not a free step.
          if (this.expiresMaybes(config, c)) break;
          if (stepIfMatches(config.state, head.op, head.source.outcome) === undefined) break;
          config.counts[c]!++;
          progress = true;
        }
      }
    }
  }

  private moves(config: Config, withMaybes: boolean): Move[] {
    const moves: Move[] = [];
    const minPendingResponseMs = this.minPendingResponseMs(config);
    for (let c = 0; c < this.byClient.length; c++) {
      const head = this.byClient[c]![config.counts[c]!];
      if (head === undefined || head.role === 'read' || !this.realTimeReady(head, minPendingResponseMs)) continue;
      if (head.role === 'check' && !this.expiresMaybes(config, c)) continue; // the closure takes it
      const next = stepIfMatches(config.state, head.op, head.source.outcome);
      if (next !== undefined) moves.push({ client: c, maybe: -1, next });
    }
    const tried = new Set<string>();
    for (let m = 0; withMaybes && m < this.maybes.length; m++) {
      const { op, prefixNeeded, effectKey } = this.maybes[m]!;
      if (op.invokeMs > minPendingResponseMs) break; // sorted by invocation: none later is ready either
      if (!this.available(config, m) || config.counts[op.client]! < prefixNeeded) continue;
      // Once ready and without a last chance a maybe stays ready, so trying the first of equals suffices.
      if (effectKey !== undefined) {
        if (tried.has(effectKey)) continue;
        tried.add(effectKey);
      }
      const next = stepIfEffective(config.state, op.op);
      if (next !== undefined) moves.push({ client: op.client, maybe: m, next });
    }
    return moves;
  }

  /** Whether maybe m may still take effect: not yet applied, and its session has not moved past it. */
  private available(config: Config, m: number): boolean {
    const maybe = this.maybes[m]!;
    return config.applied[m] === 0 && config.counts[maybe.op.client]! <= maybe.lastChanceCount;
  }

  /** Whether linearizing client c's head ends the chance of one of its session's available maybes. */
  private expiresMaybes(config: Config, c: number): boolean {
    return this.expiring[c]![config.counts[c]!]?.some((m) => config.applied[m] === 0) === true;
  }

  /**
   * Records a config; false if it, or one with the same progress and state and a superset of
   * its maybes still available, was seen (that one had every option this one has).
   */
  private visit(config: Config): boolean {
    const key = `${config.counts.join(',')}|${stateKey(config.state)}`;
    const unavailable = config.applied.map((applied, m) => (applied === 1 || !this.available(config, m) ? 1 : 0));
    const seen = this.visited.get(key);
    if (seen === undefined) {
      this.visited.set(key, [unavailable]);
      return true;
    }
    if (seen.some((other) => isSubset(other, unavailable))) return false;
    seen.push(unavailable);
    return true;
  }

  private explain(deepest: Deepest, timedOut: boolean): string {
    const { count } = deepest;
    const { config } = deepest.frame;
    const trail: PreparedOp[] = [];
    for (let frame: Frame | undefined = deepest.frame; frame?.via !== undefined && trail.length < 5; frame = frame.parent) trail.unshift(frame.via);
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
      for (const op of trail) lines.push(`  ${describeOperation(op.source)}`);
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
