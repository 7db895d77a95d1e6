/**
 * Runs one sequence on two targets in lockstep: op i is issued on both, both results and the
 * events it caused are awaited, and the two step records must be equal before op i+1.
 * @module
 */
import { type Difference, firstDifference } from './compare.js';
import { type DiffOp, describeOp } from './diff-op.js';
import type { DiffTarget, StepRecord } from './diff-target.js';
import { maskKnown } from './known-differences.js';

/** The first step at which two targets disagreed. */
export interface SequenceDifference {
  readonly seed: number;
  /** Index of the op; `ops.length` for the final tree comparison. */
  readonly index: number;
  readonly op: DiffOp | undefined;
  readonly difference: Difference;
  readonly left: StepRecord | unknown;
  readonly right: StepRecord | unknown;
}

/** Counts how often each op type met each outcome, to show what a run exercised. */
export class OutcomeTally {
  private readonly counts = new Map<string, number>();
  private events = 0;

  /** Counts one step's outcome: OK or its error code; a partition's ops count one by one. */
  count(op: DiffOp, result: unknown): void {
    if (op.type === 'partition' && typeof result === 'object' && result !== null && 'during' in result && Array.isArray(result.during)) {
      op.during.forEach((sub, i) => this.count(sub, (result.during as unknown[])[i]));
    }
    const code = typeof result === 'object' && result !== null && 'error' in result ? String(result.error) : 'OK';
    const key = `${op.type}:${code}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Counts delivered watch events. */
  countEvents(record: StepRecord): void {
    for (const events of Object.values(record.events)) this.events += events.length;
  }

  /** One line per op type, most frequent outcomes first. */
  summary(): string {
    const byType = new Map<string, [string, number][]>();
    for (const [key, count] of this.counts) {
      const [type = '', code = ''] = key.split(':');
      byType.set(type, [...(byType.get(type) ?? []), [code, count]]);
    }
    const lines = [...byType].map(([type, codes]) => `  ${type}: ${codes.sort((a, b) => b[1] - a[1]).map(([code, count]) => `${code} ${count}`).join(', ')}`);
    return [...lines.sort(), `  watch events delivered: ${this.events}`].join('\n');
  }
}

/** How long one step may take on a target before the run fails (a server that never answers). */
const STEP_TIMEOUT_MS = 10_000;

/** `ZKTS_DIFF_TRACE=1` prints every step's record, to see what a sequence exercises. */
const trace = process.env.ZKTS_DIFF_TRACE === '1';

/** The root of a sequence: fresh per seed, so one pair of servers can run many sequences. */
export function sequenceRoot(seed: number): string {
  return `/diff-${seed}`;
}

/**
 * Runs `ops` on both targets and resolves with the first difference, or undefined if every
 * step and the final tree agree. The targets' sessions are always closed afterwards.
 */
export async function runSequence(
  seed: number,
  ops: readonly DiffOp[],
  left: DiffTarget,
  right: DiffTarget,
  outcomes?: OutcomeTally,
): Promise<SequenceDifference | undefined> {
  const both = <T>(what: string, run: (target: DiffTarget) => Promise<T>): Promise<[T, T]> =>
    Promise.all([withTimeout(run(left), `${left.name}: ${what}`), withTimeout(run(right), `${right.name}: ${what}`)]);
  let completed = false;
  try {
    await both(`seed ${seed} setup`, (target) => target.begin(sequenceRoot(seed)));
    for (const [index, op] of ops.entries()) {
      const [rawLeft, rawRight] = await both(`seed ${seed} op ${index} ${describeOp(op)}`, (target) => target.step(op, index));
      const l = maskKnown(rawLeft);
      const r = maskKnown(rawRight);
      outcomes?.count(op, l.result);
      outcomes?.countEvents(l);
      if (trace) console.log(`#${index} ${describeOp(op)} -> ${JSON.stringify(l)}`);
      const difference = firstDifference(l, r);
      if (difference !== undefined) return { seed, index, op, difference, left: l, right: r };
    }
    const [l, r] = await both(`seed ${seed} final tree`, (target) => target.snapshot());
    const difference = firstDifference(l, r);
    if (difference !== undefined) return { seed, index: ops.length, op: undefined, difference, left: l, right: r };
    completed = true;
    return undefined;
  } finally {
    // A diverged pair is restarted by the caller; only a clean run needs its tree removed.
    if (completed) await both(`seed ${seed} cleanup`, (target) => target.end());
    else await Promise.allSettled([left.closeAll(), right.closeAll()]);
  }
}

/** A multi-line report of a difference, with the ops leading up to it. */
export function formatDifference(found: SequenceDifference, ops: readonly DiffOp[], leftName: string, rightName: string): string {
  const json = (value: unknown): string => JSON.stringify(value);
  const context = ops
    .slice(Math.max(0, found.index - 8), found.index)
    .map((op, i) => `    #${found.index - Math.min(found.index, 8) + i} ${describeOp(op)}`)
    .join('\n');
  return [
    `seed ${found.seed}, op #${found.index}: ${found.op === undefined ? 'final tree comparison' : describeOp(found.op)}`,
    `  first difference at ${found.difference.at}: ${leftName}=${json(found.difference.left)} ${rightName}=${json(found.difference.right)}`,
    `  ${leftName}: ${json(found.left)}`,
    `  ${rightName}: ${json(found.right)}`,
    `  preceding ops:\n${context}`,
    `  rerun: ZKTS_DIFF_SEED=${found.seed} npx vitest run packages/client/test/differential.test.ts`,
  ].join('\n');
}

async function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } catch (error) {
    if (error instanceof Error && !error.message.startsWith(what)) throw new Error(`${what}: ${error.message}`, { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
