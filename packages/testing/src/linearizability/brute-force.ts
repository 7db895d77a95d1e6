import { assert } from './assert.js';
import type { UnansweredWrites } from './check-path.js';
import type { HistoryOperation, RegisterOp } from './history.js';

/** Operations per znode above which trying every order takes too long. */
export const BRUTE_FORCE_OPS_MAX = 10;

interface Znode {
  readonly exists: boolean;
  readonly value: string;
  readonly version: number;
}

/**
 * A reference checker for tiny histories: for each znode it tries every order of the
 * operations, straight from the definition in `check-history.ts` (pairwise precedence, every
 * subset of unanswered writes), with no memoization, greedy steps or shared code. It exists to
 * cross-check {@link checkHistory}'s search, so it deliberately restates the model instead of
 * importing it.
 */
export function checkHistoryBruteForce(history: readonly HistoryOperation[], unansweredWrites: UnansweredWrites = 'anytime'): boolean {
  const paths = new Set(history.filter((o) => o.op.type !== 'sync').map((o) => o.path));
  for (const path of paths) {
    const operations = history.filter((o) => (o.op.type === 'sync' || o.path === path) && isModelled(o));
    assert(operations.length <= BRUTE_FORCE_OPS_MAX, `brute force is for at most ${BRUTE_FORCE_OPS_MAX} operations per znode`);
    if (!hasOrder(operations, unansweredWrites === 'beforeSessionWrite')) return false;
  }
  return true;
}

function answered(o: HistoryOperation): boolean {
  return o.outcome.status !== 'indeterminate';
}

/** Drops what the model has no word for: unanswered reads and syncs, and failures outside each operation's vocabulary. */
function isModelled(o: HistoryOperation): boolean {
  if (o.outcome.status === 'indeterminate') return o.op.type !== 'getData' && o.op.type !== 'sync';
  if (o.outcome.status === 'ok') return true;
  const known: Record<RegisterOp['type'], string[]> = {
    getData: ['NO_NODE'],
    setData: ['NO_NODE', 'BAD_VERSION'],
    create: ['NODE_EXISTS'],
    delete: ['NO_NODE', 'BAD_VERSION'],
    sync: [],
  };
  return known[o.op.type].includes(o.outcome.code);
}

/** p must come before o: FIFO within an answered client's session, and real time into everything but reads. */
function precedes(p: HistoryOperation, pIndex: number, o: HistoryOperation, oIndex: number): boolean {
  if (!answered(p)) return false;
  if (p.clientId === o.clientId && (p.invokeMs < o.invokeMs || (p.invokeMs === o.invokeMs && pIndex < oIndex))) return true;
  return o.op.type !== 'getData' && p.responseMs < o.invokeMs;
}

/** What op does to znode, and what it answers, as a string to compare with a recorded outcome. */
function apply(znode: Znode, op: RegisterOp): { answer: string; after: Znode } {
  const absent: Znode = { exists: false, value: '', version: 0 };
  switch (op.type) {
    case 'getData':
      return { answer: znode.exists ? `ok ${znode.value} ${znode.version}` : 'NO_NODE', after: znode };
    case 'sync':
      return { answer: 'ok', after: znode };
    case 'create':
      return znode.exists ? { answer: 'NODE_EXISTS', after: znode } : { answer: 'ok', after: { exists: true, value: op.value, version: 0 } };
    case 'setData':
      if (!znode.exists) return { answer: 'NO_NODE', after: znode };
      if (op.expectedVersion >= 0 && op.expectedVersion !== znode.version) return { answer: 'BAD_VERSION', after: znode };
      return { answer: `ok ${znode.version + 1}`, after: { exists: true, value: op.value, version: znode.version + 1 } };
    case 'delete':
      if (!znode.exists) return { answer: 'NO_NODE', after: znode };
      if (op.expectedVersion >= 0 && op.expectedVersion !== znode.version) return { answer: 'BAD_VERSION', after: znode };
      return { answer: 'ok', after: absent };
  }
}

function recorded(o: HistoryOperation): string {
  const { outcome } = o;
  if (outcome.status === 'error') return outcome.code;
  if (outcome.status !== 'ok') return '?';
  if (o.op.type === 'getData') return `ok ${outcome.value} ${outcome.version}`;
  if (o.op.type === 'setData') return `ok ${outcome.version}`;
  return 'ok';
}

/** Whether answered write or sync `later` of the same session was issued after unanswered write `o` (and so may not be overtaken by it). */
function sessionWriteAfter(o: HistoryOperation, oIndex: number, later: HistoryOperation, laterIndex: number): boolean {
  return (
    answered(later) &&
    later.op.type !== 'getData' &&
    later.clientId === o.clientId &&
    (later.invokeMs > o.invokeMs || (later.invokeMs === o.invokeMs && laterIndex > oIndex))
  );
}

function hasOrder(operations: readonly HistoryOperation[], fifoUnanswered: boolean): boolean {
  const placed = new Array<boolean>(operations.length).fill(false);
  const answeredCount = operations.filter(answered).length;
  const search = (znode: Znode, answeredPlaced: number): boolean => {
    if (answeredPlaced === answeredCount) return true;
    for (let i = 0; i < operations.length; i++) {
      if (placed[i]) continue;
      const o = operations[i]!;
      if (operations.some((p, j) => !placed[j] && j !== i && precedes(p, j, o, i))) continue;
      if (fifoUnanswered && !answered(o) && operations.some((p, j) => placed[j] && sessionWriteAfter(o, i, p, j))) continue;
      const { answer, after } = apply(znode, o.op);
      if (answered(o) && answer !== recorded(o)) continue;
      placed[i] = true;
      const found = search(after, answeredPlaced + (answered(o) ? 1 : 0));
      placed[i] = false;
      if (found) return true;
    }
    return false;
  };
  return search({ exists: false, value: '', version: 0 }, 0);
}
