import { describe, expect, test } from 'vitest';
import { type ErrorCodeName } from '@zkts/protocol';
import { type HistoryOperation, type RegisterOp, checkHistory, historyFromEvents } from '../src/index.js';
import { checkHistoryBruteForce } from '../src/linearizability/brute-force.js';

// Shorthands: `client@[invoke,response]` operations on a znode. Times are plain numbers.
const P = '/k';

function op(clientId: string, invokeMs: number, responseMs: number, registerOp: RegisterOp, outcome: HistoryOperation['outcome'], path = P): HistoryOperation {
  return { clientId, path, op: registerOp, outcome, invokeMs, responseMs };
}
const read = (c: string, i: number, r: number, value: string, version: number, path = P) =>
  op(c, i, r, { type: 'getData' }, { status: 'ok', value, version }, path);
const readAbsent = (c: string, i: number, r: number, path = P) => op(c, i, r, { type: 'getData' }, { status: 'error', code: 'NO_NODE' }, path);
const create = (c: string, i: number, r: number, value: string, path = P) => op(c, i, r, { type: 'create', value }, { status: 'ok' }, path);
const createFails = (c: string, i: number, r: number, value: string) => op(c, i, r, { type: 'create', value }, { status: 'error', code: 'NODE_EXISTS' });
const set = (c: string, i: number, r: number, value: string, expectedVersion: number, version: number, path = P) =>
  op(c, i, r, { type: 'setData', value, expectedVersion }, { status: 'ok', version }, path);
const setFails = (c: string, i: number, r: number, value: string, expectedVersion: number, code: ErrorCodeName) =>
  op(c, i, r, { type: 'setData', value, expectedVersion }, { status: 'error', code });
const del = (c: string, i: number, r: number, expectedVersion: number) => op(c, i, r, { type: 'delete', expectedVersion }, { status: 'ok' });
const delFails = (c: string, i: number, r: number, expectedVersion: number, code: ErrorCodeName) =>
  op(c, i, r, { type: 'delete', expectedVersion }, { status: 'error', code });
const sync = (c: string, i: number, r: number) => op(c, i, r, { type: 'sync' }, { status: 'ok' }, '/');
const unanswered = (c: string, i: number, registerOp: RegisterOp, path = P) =>
  op(c, i, Infinity, registerOp, { status: 'indeterminate', reason: 'CONNECTION_LOSS' }, path);

/** Checks with the real checker, and (for small histories) that the brute-force reference agrees. */
function accepts(history: HistoryOperation[]): boolean {
  const result = checkHistory(history);
  if (history.length <= 9) expect(checkHistoryBruteForce(history), 'brute force agrees').toBe(result.ok);
  if (!result.ok) expect(result.timedOut).toBe(false);
  return result.ok;
}

describe('accepted histories', () => {
  test('concurrent overlapping writes linearize in either order', () => {
    const base = [create('a', 0, 1, 'v0')];
    // x answered v1 and y v2: x took effect first, although y was invoked later and answered earlier.
    expect(accepts([...base, set('a', 2, 10, 'x', -1, 1), set('b', 3, 9, 'y', -1, 2), sync('c', 11, 12), read('c', 13, 14, 'y', 2)])).toBe(true);
    // The other order.
    expect(accepts([...base, set('a', 2, 10, 'x', -1, 2), set('b', 3, 9, 'y', -1, 1), sync('c', 11, 12), read('c', 13, 14, 'x', 2)])).toBe(true);
    // But no order has x at version 2 if x answered version 1.
    expect(accepts([...base, set('a', 2, 10, 'x', -1, 1), set('b', 3, 9, 'y', -1, 2), sync('c', 11, 12), read('c', 13, 14, 'x', 2)])).toBe(false);
  });

  test('a read concurrent with a write may see it or not', () => {
    const base = [create('a', 0, 1, 'v0'), set('a', 2, 10, 'x', 0, 1)];
    expect(accepts([...base, read('b', 3, 9, 'v0', 0)])).toBe(true);
    expect(accepts([...base, read('b', 3, 9, 'x', 1)])).toBe(true);
  });

  test('an unanswered write that took effect', () => {
    expect(accepts([create('a', 0, 1, 'v0'), unanswered('a', 2, { type: 'setData', value: 'x', expectedVersion: -1 }), sync('b', 5, 6), read('b', 7, 8, 'x', 1)])).toBe(true);
  });

  test('an unanswered write that did not take effect, or took effect late', () => {
    const base = [create('a', 0, 1, 'v0'), unanswered('a', 2, { type: 'setData', value: 'x', expectedVersion: -1 })];
    expect(accepts([...base, sync('b', 5, 6), read('b', 7, 8, 'v0', 0)])).toBe(true);
    // Not yet at 7–8, then applied: its client's later operations need not precede it.
    expect(accepts([...base, createFails('a', 3, 4, 'dup'), sync('b', 5, 6), read('b', 7, 8, 'v0', 0), read('b', 9, 10, 'x', 1)])).toBe(true);
    // But once seen, it cannot be unseen.
    expect(accepts([...base, sync('b', 5, 6), read('b', 7, 8, 'x', 1), read('b', 9, 10, 'v0', 0)])).toBe(false);
  });

  test('an unanswered create, delete and compare-and-set each take effect at most once', () => {
    const history = [
      unanswered('a', 0, { type: 'create', value: 'c' }),
      read('b', 1, 2, 'c', 0),
      unanswered('a', 3, { type: 'delete', expectedVersion: 0 }),
      readAbsent('b', 4, 5),
      unanswered('a', 6, { type: 'setData', value: 's', expectedVersion: 0 }),
      create('b', 7, 8, 'd'),
      read('b', 9, 10, 's', 1),
    ];
    expect(accepts(history)).toBe(true);
    // The one setData cannot also make version 2.
    expect(accepts([...history, read('b', 11, 12, 's', 2)])).toBe(false);
  });

  test('a plain read may be stale: reads are only sequentially consistent', () => {
    expect(accepts([create('a', 0, 1, 'v0'), set('a', 2, 3, 'x', -1, 1), read('b', 4, 5, 'v0', 0)])).toBe(true);
    expect(accepts([create('a', 0, 1, 'v0'), set('a', 2, 3, 'x', -1, 1), readAbsent('b', 4, 5)])).toBe(true);
  });

  test('failed writes are ordered like writes', () => {
    expect(accepts([create('a', 0, 1, 'v0'), createFails('b', 2, 3, 'again'), setFails('b', 4, 5, 'x', 7, 'BAD_VERSION'), del('a', 6, 7, 0), delFails('b', 8, 9, -1, 'NO_NODE')])).toBe(true);
    // NODE_EXISTS before anything was created is impossible.
    expect(accepts([createFails('b', 0, 1, 'again'), create('a', 2, 3, 'v0')])).toBe(false);
    // As is a create that succeeds while the znode exists.
    expect(accepts([create('a', 0, 1, 'v0'), create('b', 2, 3, 'v1')])).toBe(false);
    // NOT_EMPTY is outside the register model and ignored.
    expect(accepts([create('a', 0, 1, 'v0'), delFails('b', 2, 3, -1, 'NOT_EMPTY'), read('b', 4, 5, 'v0', 0)])).toBe(true);
  });
});

describe('rejected histories', () => {
  test('a stale read after a sync', () => {
    const base = [create('a', 0, 1, 'v0'), set('a', 2, 3, 'x', -1, 1)];
    expect(accepts([...base, sync('b', 4, 5), read('b', 6, 7, 'v0', 0)])).toBe(false);
    // A sync concurrent with the write does not promise to see it.
    expect(accepts([create('a', 0, 1, 'v0'), set('a', 2, 5, 'x', -1, 1), sync('b', 4, 6), read('b', 7, 8, 'v0', 0)])).toBe(true);
  });

  test('a lost write: acknowledged, then never visible while later reads see older state', () => {
    const base = [create('a', 0, 1, 'v0'), set('a', 2, 3, 'x', -1, 1)];
    // The writer itself reads the older state.
    expect(accepts([...base, read('a', 4, 5, 'v0', 0)])).toBe(false);
    // Another client reads it after a sync.
    expect(accepts([...base, read('b', 4, 5, 'v0', 0), sync('c', 6, 7), read('c', 8, 9, 'v0', 0)])).toBe(false);
    // A compare-and-set against the lost version succeeds.
    expect(accepts([...base, set('b', 4, 5, 'y', 0, 1)])).toBe(false);
  });

  test('a reordered compare-and-set: two CAS on the same version both succeed', () => {
    const base = [create('a', 0, 1, 'v0')];
    expect(accepts([...base, set('a', 2, 5, 'x', 0, 1), set('b', 3, 6, 'y', 0, 1)])).toBe(false);
    expect(accepts([...base, set('a', 2, 5, 'x', 0, 1), set('b', 3, 6, 'y', 0, 2)])).toBe(false);
    // One of them must fail.
    expect(accepts([...base, set('a', 2, 5, 'x', 0, 1), setFails('b', 3, 6, 'y', 0, 'BAD_VERSION')])).toBe(true);
    expect(accepts([...base, setFails('a', 2, 5, 'x', 0, 'BAD_VERSION'), set('b', 3, 6, 'y', 0, 1)])).toBe(true);
  });

  test('a read going back in time for one client', () => {
    const base = [create('a', 0, 1, 'v0'), set('a', 2, 3, 'x', -1, 1)];
    expect(accepts([...base, read('b', 4, 5, 'x', 1), read('b', 6, 7, 'v0', 0)])).toBe(false);
    expect(accepts([...base, read('b', 4, 5, 'v0', 0), read('b', 6, 7, 'x', 1)])).toBe(true);
    // Nor before the client's own write.
    expect(accepts([...base, set('b', 4, 5, 'y', -1, 2), read('b', 6, 7, 'x', 1)])).toBe(false);
  });

  test('a read from the future: a write invoked after the read was answered', () => {
    expect(accepts([create('a', 0, 1, 'v0'), read('b', 2, 3, 'x', 1), set('a', 4, 5, 'x', -1, 1)])).toBe(false);
  });

  test('a write that precedes another in real time cannot be ordered after it', () => {
    // x answered before y was invoked, yet y claims the earlier version.
    expect(accepts([create('a', 0, 1, 'v0'), set('a', 2, 3, 'x', -1, 2), set('b', 4, 5, 'y', -1, 1)])).toBe(false);
  });
});

describe('checkHistory', () => {
  test('splits by znode, copies syncs into each, and names the failing znode with an explanation', () => {
    const history = [
      create('a', 0, 1, 'x0', '/x'),
      create('a', 2, 3, 'y0', '/y'),
      set('a', 4, 5, 'x1', -1, 1, '/x'),
      set('a', 6, 7, 'y1', -1, 1, '/y'),
      read('b', 8, 9, 'x0', 0, '/x'), // stale but no sync yet: fine
      sync('b', 10, 11),
      read('b', 12, 13, 'y0', 0, '/y'), // stale after the sync: a violation on /y only
    ];
    const result = checkHistory(history);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.path).toBe('/y');
    expect(result.pathsChecked).toBe(2);
    expect(result.violations.map((v) => v.path)).toEqual(['/y']);
    expect(result.explanation).toContain('znode /y');
    expect(result.explanation).toContain('next client b: getData(/y) → "y0" v0');
    expect(checkHistoryBruteForce(history)).toBe(false);
  });

  test('reads cannot be ordered across znodes, so a cross-znode anomaly passes (documented limit of the split)', () => {
    // b sees /x's new value, then a stale /y whose write finished before /x's started: globally
    // impossible, but each znode alone has a valid order.
    const history = [
      create('a', 0, 1, 'y0', '/y'),
      set('a', 2, 3, 'y1', -1, 1, '/y'),
      create('a', 4, 5, 'x0', '/x'),
      read('b', 6, 7, 'x0', 0, '/x'),
      read('b', 8, 9, 'y0', 0, '/y'),
    ];
    expect(checkHistory(history).ok).toBe(true);
  });

  test('initial states', () => {
    const history = [read('a', 0, 1, 'init', 3)];
    expect(checkHistory(history).ok).toBe(false);
    expect(checkHistory(history, { initialStates: new Map([[P, { exists: true, value: 'init', version: 3 }]]) }).ok).toBe(true);
  });

  test('session FIFO: a client pipelining calls has them take effect in invocation order', () => {
    // a's two calls overlap; a's read was invoked after its write, so it must see it.
    expect(accepts([create('a', 0, 1, 'v0'), set('a', 2, 10, 'x', -1, 1), read('a', 3, 11, 'v0', 0)])).toBe(false);
    expect(accepts([create('a', 0, 1, 'v0'), set('a', 2, 10, 'x', -1, 1), read('a', 3, 11, 'x', 1)])).toBe(true);
  });

  test('gives up at the time limit on a hard history, saying so', () => {
    // Many distinct unanswered writes whose data some read returns, and reads no order can
    // satisfy: the search has to try subsets of the writes in every order.
    const history: HistoryOperation[] = [create('a', 0, 1, 'v0')];
    for (let i = 0; i < 40; i++) history.push(unanswered(`c${i}`, 2 + i, { type: 'setData', value: `x${i}`, expectedVersion: -1 }));
    for (let i = 0; i < 40; i++) history.push(read('r', 100 + 2 * i, 101 + 2 * i, `x${i}`, 99));
    const started = performance.now();
    const result = checkHistory(history, { timeoutMs: 100 });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.timedOut).toBe(true);
      expect(result.violations).toEqual([expect.objectContaining({ path: P, timedOut: true })]);
      expect(result.explanation).toContain('gave up');
    }
  });
});

describe('unanswered writes and session order', () => {
  const lost = unanswered('a', 2, { type: 'setData', value: 'lost', expectedVersion: -1 });
  const both = (history: HistoryOperation[]) =>
    [checkHistory(history).ok, checkHistory(history, { unansweredWrites: 'beforeSessionWrite' }).ok, checkHistoryBruteForce(history), checkHistoryBruteForce(history, 'beforeSessionWrite')];

  test("by default an unanswered write may take effect after its session's later writes; beforeSessionWrite forbids it", () => {
    // a's lost write shows up after a's own later write: possible only if it overtook it.
    const history = [create('a', 0, 1, 'v0'), lost, set('a', 5, 6, 'next', -1, 1), sync('b', 7, 8), read('b', 9, 10, 'lost', 2)];
    expect(both(history)).toEqual([true, false, true, false]);
  });

  test('beforeSessionWrite still lets it take effect before the next write, or after a read of its session', () => {
    expect(both([create('a', 0, 1, 'v0'), lost, set('a', 5, 6, 'next', -1, 2), sync('b', 7, 8), read('b', 9, 10, 'next', 2)])).toEqual([true, true, true, true]);
    // The session's read did not see it yet (it was served by a lagging server); it took effect later.
    expect(both([create('a', 0, 1, 'v0'), lost, read('a', 5, 6, 'v0', 0), sync('b', 7, 8), read('b', 9, 10, 'lost', 1)])).toEqual([true, true, true, true]);
    // Another session's writes do not bound it.
    expect(both([create('a', 0, 1, 'v0'), lost, set('c', 5, 6, 'other', -1, 1), sync('b', 7, 8), read('b', 9, 10, 'lost', 2)])).toEqual([true, true, true, true]);
  });

  test('a sync of the session bounds it too, and the closure does not take that sync for free', () => {
    // a syncs (and reads) after its lost create; the create shows up later: not under beforeSessionWrite.
    const late = [unanswered('a', 0, { type: 'create', value: 'c' }), sync('a', 2, 3), readAbsent('a', 4, 5), sync('b', 6, 7), read('b', 8, 9, 'c', 0)];
    expect(both(late)).toEqual([true, false, true, false]);
    // Applied before a's sync, a's read must see it.
    const early = [unanswered('a', 0, { type: 'create', value: 'c' }), sync('a', 2, 3), read('a', 4, 5, 'c', 0)];
    expect(both(early)).toEqual([true, true, true, true]);
  });
});

describe('historyFromEvents', () => {
  test('uses event order as time and makes unreturned calls indeterminate', () => {
    const history = historyFromEvents([
      { type: 'invoke', id: 1, clientId: 'a', path: P, op: { type: 'create', value: 'v0' } },
      { type: 'invoke', id: 2, clientId: 'b', path: P, op: { type: 'getData' } },
      { type: 'return', id: 1, outcome: { status: 'ok' } },
      { type: 'invoke', id: 3, clientId: 'a', path: P, op: { type: 'setData', value: 'x', expectedVersion: 0 } },
      { type: 'return', id: 2, outcome: { status: 'ok', value: 'v0', version: 0 } },
    ]);
    expect(history).toHaveLength(3);
    expect(history[0]).toMatchObject({ clientId: 'a', invokeMs: 0, responseMs: 2 });
    expect(history[1]).toMatchObject({ clientId: 'b', invokeMs: 1, responseMs: 4 });
    expect(history[2]).toMatchObject({ clientId: 'a', invokeMs: 3, responseMs: Infinity, outcome: { status: 'indeterminate' } });
    expect(checkHistory(history).ok).toBe(true);
    expect(() => historyFromEvents([{ type: 'return', id: 9, outcome: { status: 'ok' } }])).toThrow(/without an invocation/);
  });
});
