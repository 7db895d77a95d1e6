import { expect, test } from 'vitest';
import type { ErrorCodeName } from '@zkts/protocol';
import { type HistoryOperation, type OpOutcome, type RegisterOp, checkHistory } from '../src/index.js';
import { SeededRandom } from '../src/chaos/seeded-random.js';
import { checkHistoryBruteForce } from '../src/linearizability/brute-force.js';

test('stress', { timeout: 600_000 }, () => {
  const random = new SeededRandom(Number(process.env.SEED ?? 9));
  let accepted = 0, total = 0;
  const codes: Record<string, ErrorCodeName[]> = { getData: ['NO_NODE'], setData: ['NO_NODE','BAD_VERSION'], create: ['NODE_EXISTS'], delete: ['NO_NODE','BAD_VERSION','NOT_EMPTY'], sync: [] };
  for (let i = 0; i < 200000; i++) {
    const history: HistoryOperation[] = [];
    const count = 2 + random.int(8);
    const paths = random.chance(0.3) ? ['/a', '/b'] : ['/a'];
    for (let k = 0; k < count; k++) {
      const clientId = `c${random.int(3)}`;
      const invokeMs = random.int(12);
      const responseMs = invokeMs + random.int(6);
      const op = random.pick<RegisterOp>([
        { type: 'getData' }, { type: 'getData' }, { type: 'sync' },
        { type: 'create', value: random.pick(['x', 'y']) },
        { type: 'setData', value: random.pick(['x', 'y']), expectedVersion: random.int(3) - 1 },
        { type: 'delete', expectedVersion: random.int(3) - 1 },
      ]);
      let outcome: OpOutcome;
      const r = random.float();
      if (r < 0.15) outcome = { status: 'indeterminate' };
      else if (r < 0.45 && codes[op.type]!.length > 0) outcome = { status: 'error', code: random.pick(codes[op.type]!) };
      else outcome = op.type === 'getData' ? { status: 'ok', value: random.pick(['x','y']), version: random.int(3) } : op.type === 'setData' ? { status: 'ok', version: 1 + random.int(3) } : { status: 'ok' };
      history.push({ clientId, path: random.pick(paths), op, outcome, invokeMs, responseMs: outcome.status === 'indeterminate' ? Infinity : responseMs });
    }
    if (history.filter(o=>o.path==='/a' || o.op.type==='sync').length > 10 || history.filter(o=>o.path==='/b'|| o.op.type==='sync').length > 10) continue;
    total++;
    const reference = checkHistoryBruteForce(history);
    const fast = checkHistory(history).ok;
    if (fast !== reference) { console.log(JSON.stringify(history)); }
    expect(fast, `history ${i}: ${JSON.stringify(history)}`).toBe(reference);
    if (reference) accepted++;
  }
  console.log(`total ${total} accepted ${accepted}`);
});
