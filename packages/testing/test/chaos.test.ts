import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { type HistoryOperation, formatChaosSummary, runChaos } from '../src/index.js';
import { lostRegisterWrites, lostSetMembers } from '../src/chaos/lost-writes.js';

const zkServerBin = fileURLToPath(new URL('../../cli/dist/zk-server.js', import.meta.url));

describe('chaos runner', () => {
  test('3 real server processes under kills and pauses for 20 s: no violation, no lost write, identical digests', { timeout: 240_000 }, async () => {
    expect(existsSync(zkServerBin), 'run `npx tsc -b` first: the chaos runner starts the built zk-server').toBe(true);
    const summary = await runChaos({ durationMs: 20_000, servers: 3, seed: 20_260_101, faultIntervalMs: 2_500, zkServerBin });
    console.log(formatChaosSummary(summary));
    expect(summary.aborted).toBe(false);
    expect(summary.faults.kills + summary.faults.restarts + summary.faults.pauses).toBeGreaterThanOrEqual(3);
    expect(summary.acknowledgedWrites).toBeGreaterThan(100);
    expect(summary.violationExplanation).toBeUndefined();
    expect(summary.violations).toBe(0);
    expect(summary.lostWriteDetails).toEqual([]);
    expect(summary.digestsEqual).toBe(true);
    expect(summary.problems).toEqual([]);
    expect(summary.ok).toBe(true);
  });
});

describe('lost-write count', () => {
  const write = (type: 'create' | 'setData', invokeMs: number, czxid: number, version: number): HistoryOperation => ({
    clientId: 'w',
    path: '/r',
    op: type === 'create' ? { type, value: `c${czxid}` } : { type, value: `s${czxid}.${version}`, expectedVersion: -1 },
    outcome: { status: 'ok', czxid, version },
    invokeMs,
    responseMs: invokeMs + 1,
  });
  const deletion = (invokeMs: number, answered: boolean): HistoryOperation => ({
    clientId: 'd',
    path: '/r',
    op: { type: 'delete', expectedVersion: -1 },
    outcome: answered ? { status: 'ok' } : { status: 'indeterminate' },
    invokeMs,
    responseMs: answered ? invokeMs + 1 : Infinity,
  });
  const history = [write('create', 0, 10, 0), write('setData', 2, 10, 1), write('setData', 4, 10, 2)];

  test('the final znode at or after every acknowledged write loses nothing', () => {
    expect(lostRegisterWrites(history, new Map([['/r', { exists: true, czxid: 10, version: 2 }]]))).toEqual([]);
    expect(lostRegisterWrites(history, new Map([['/r', { exists: true, czxid: 15, version: 0 }]]))).toEqual([]);
  });

  test('an older version or incarnation, or a vanished znode, counts the writes it lost', () => {
    expect(lostRegisterWrites(history, new Map([['/r', { exists: true, czxid: 10, version: 1 }]]))).toHaveLength(1);
    expect(lostRegisterWrites(history, new Map([['/r', { exists: true, czxid: 5, version: 7 }]]))).toHaveLength(3);
    expect(lostRegisterWrites(history, new Map([['/r', { exists: false }]]))).toHaveLength(3);
    // Unless a delete (answered or not) may have come after them.
    expect(lostRegisterWrites([...history, deletion(5, true)], new Map([['/r', { exists: false }]]))).toEqual([]);
    expect(lostRegisterWrites([deletion(0, false), ...history], new Map([['/r', { exists: false }]]))).toEqual([]);
    expect(lostRegisterWrites([deletion(-2, true), ...history], new Map([['/r', { exists: false }]]))).toHaveLength(3);
  });

  test('the set workload loses the acknowledged creates missing from the final children', () => {
    expect(lostSetMembers(['/s/a', '/s/b', '/s/c'], new Set(['a', 'c', 'x']), '/s')).toEqual(['create(/s/b) acknowledged but missing']);
  });
});
