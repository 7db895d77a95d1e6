/**
 * A linearizability checker for ZooKeeper histories of znodes used as registers.
 *
 * ## The consistency model: what ZooKeeper promises, and nothing more
 *
 * Each znode is a register with compare-and-set: `getData` reads data and data version;
 * `setData(value, expectedVersion | -1)` answers ok with the new version, BAD_VERSION or NO_NODE;
 * `create(value)` answers ok or NODE_EXISTS; `delete(expectedVersion | -1)` answers ok, BAD_VERSION
 * or NO_NODE. A history is accepted if there is one total order of its operations in which
 * each answer is what ZooKeeper's sequential semantics give, subject to:
 *
 * 1. **Writes are linearizable.** Every create, setData, delete (answered ok *or* with an error:
 *    ZooKeeper's error transactions go through the leader too) and every `sync` is ordered after
 *    every operation (read or write, any client) that was answered before it was invoked.
 * 2. **Sessions are FIFO.** A client's answered operations take effect in the order it issued
 *    them (ZooKeeper applies one session's requests in order, and a server holds a session's
 *    read behind its pending writes).
 * 3. **Reads are sequentially consistent.** A `getData` is *not* ordered after operations of
 *    other clients that finished before it started: it is served by the client's server, which
 *    may lag. It is ordered only by its own session (so a client never reads older state than
 *    it has seen or written: reads never go back in time) and before every write invoked after
 *    it was answered (a server cannot show a write that has not been made yet).
 * 4. **`sync` then read is linearizable.** A sync is ordered like a write (rule 1) and a later
 *    read of the same client after it (rule 2), so that read reflects every write answered
 *    before the sync was invoked.
 * 5. **Unanswered writes** (CONNECTION_LOSS, timeouts, expiry: outcome `indeterminate`) are
 *    treated as Jepsen and Porcupine do: their answer time is +∞, so they precede nothing, and
 *    they take effect at most once, at any point after their invocation, or never (so not
 *    necessarily before their client's later operations). Unanswered reads and syncs tell
 *    nothing and are dropped. Option `unansweredWrites: 'beforeSessionWrite'` adds what
 *    ZooKeeper's FIFO client order promises on top: such a write takes effect, if at all,
 *    before its session's next answered write or sync. Besides being stricter, it keeps long
 *    histories tractable: a write that may take effect anywhere stays a choice at every later
 *    step of the search, and many of them multiply.
 *
 * ## How it is checked
 *
 * Operations on different znodes commute, so the history is split per znode and each
 * sub-history is checked alone (P-compositionality, as in Porcupine). A `sync` is copied into
 * every znode's sub-history, since it orders its client against all of them. The split is exact
 * for rules 1, 2, 4 and 5 on each znode, but it cannot see orderings that run *across* znodes
 * through rule 3 (client A reads znode x written after znode y's write, then reads a stale y):
 * a per-znode check never rejects a valid history, and it catches every violation that involves
 * only one znode.
 *
 * Each sub-history is searched in the manner of Wing & Gong with Lowe's memoization of
 * configurations (which operations are linearized, and the znode's state); see `check-path.ts`.
 *
 * @module
 */
import { assert } from './assert.js';
import { type UnansweredWrites, checkPath } from './check-path.js';
import type { HistoryOperation } from './history.js';
import { ABSENT, type RegisterState } from './register-model.js';

/** Options of {@link checkHistory}. */
export interface CheckOptions {
  /** Give up after this long; the result then says `timedOut`. Default: no limit. */
  readonly timeoutMs?: number;
  /** The state of znodes before the history, by path. Default: every znode absent. */
  readonly initialStates?: ReadonlyMap<string, RegisterState>;
  /** When an unanswered write may take effect (rule 5 of the model). Default `anytime`. */
  readonly unansweredWrites?: UnansweredWrites;
}

/** A znode whose sub-history has no linearization, or could not be checked in time. */
export interface PathViolation {
  readonly path: string;
  /** True if the search ran out of time: the sub-history is unverified rather than wrong. */
  readonly timedOut: boolean;
  /** The longest consistent order found and why each client's next operation does not fit. */
  readonly explanation: string;
}

/**
 * What {@link checkHistory} found. On failure `path` and `explanation` describe the first
 * failing znode; `violations` lists every one.
 */
export type CheckResult =
  | { readonly ok: true; readonly pathsChecked: number }
  | {
      readonly ok: false;
      readonly path: string;
      readonly explanation: string;
      readonly timedOut: boolean;
      readonly violations: readonly PathViolation[];
      readonly pathsChecked: number;
    };

/**
 * Checks a history of znode operations against ZooKeeper's consistency model (see the module
 * comment): linearizable writes and syncs, FIFO sessions, sequentially consistent reads.
 */
export function checkHistory(history: readonly HistoryOperation[], options: CheckOptions = {}): CheckResult {
  const deadlineMs = options.timeoutMs === undefined ? Infinity : performance.now() + options.timeoutMs;
  const byPath = splitByPath(history);
  const violations: PathViolation[] = [];
  for (const [path, operations] of byPath) {
    const verdict = checkPath(path, operations, options.initialStates?.get(path) ?? ABSENT, options.unansweredWrites ?? 'anytime', deadlineMs);
    if (!verdict.ok) violations.push({ path, timedOut: verdict.timedOut, explanation: verdict.explanation });
  }
  const first = violations.find((v) => !v.timedOut) ?? violations[0];
  if (first === undefined) return { ok: true, pathsChecked: byPath.size };
  return { ok: false, path: first.path, explanation: first.explanation, timedOut: first.timedOut, violations, pathsChecked: byPath.size };
}

/** Each znode's operations, with every sync copied into each, in the history's order (which breaks ties of a client's invocation times). */
export function splitByPath(history: readonly HistoryOperation[]): Map<string, HistoryOperation[]> {
  const byPath = new Map<string, HistoryOperation[]>();
  for (const operation of history) {
    assert(operation.invokeMs <= operation.responseMs || operation.outcome.status === 'indeterminate', 'an operation answered before it was invoked');
    if (operation.op.type !== 'sync' && !byPath.has(operation.path)) byPath.set(operation.path, []);
  }
  for (const operation of history) {
    if (operation.op.type === 'sync') for (const operations of byPath.values()) operations.push(operation);
    else byPath.get(operation.path)!.push(operation);
  }
  return byPath;
}
