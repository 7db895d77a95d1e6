import { describe, expect, it } from 'vitest';
import { makeZxid } from '../src/index.js';
import { ReplicatedLog } from '../src/replicated-log.js';

const entry = (counter: number, epoch = 1) => ({ zxid: makeZxid(epoch, counter), data: new Uint8Array([counter]) });
const zxids = (entries: readonly { zxid: number }[]) => entries.map((e) => e.zxid);

describe('ReplicatedLog', () => {
  it('hands out appended entries once, in order', () => {
    const log = new ReplicatedLog(0, [entry(1)]);
    expect(log.hasUnpersisted).toBe(false);
    log.append(entry(2));
    log.append(entry(3));
    expect(zxids(log.takePersist().entries)).toEqual([makeZxid(1, 2), makeZxid(1, 3)]);
    expect(log.hasUnpersisted).toBe(false);
    expect(() => log.append(entry(3))).toThrow(/append/);
  });

  it('truncates unpersisted entries in memory and persisted ones on disk', () => {
    const log = new ReplicatedLog(0, [entry(1), entry(2)]);
    log.append(entry(3));
    log.truncateAfter(makeZxid(1, 2));
    expect(log.takePersist()).toEqual({ entries: [] }); // 1:3 never reached the disk
    log.append(entry(3));
    log.takePersist();
    log.append(entry(4));
    log.truncateAfter(makeZxid(1, 1));
    log.append(entry(1, 2));
    expect(log.takePersist()).toEqual({ truncateAfterZxid: makeZxid(1, 1), entries: [entry(1, 2)] });
  });

  it('answers DIFF/TRUNC questions about its retained window', () => {
    const log = new ReplicatedLog(makeZxid(1, 2), [entry(3), entry(4), entry(1, 2)]);
    expect(log.passesThrough(makeZxid(1, 2))).toBe(true); // the base
    expect(log.passesThrough(makeZxid(1, 4))).toBe(true);
    expect(log.passesThrough(makeZxid(1, 5))).toBe(false);
    expect(log.largestBelow(makeZxid(1, 5))).toBe(makeZxid(1, 4));
    expect(log.largestBelow(makeZxid(1, 3))).toBe(makeZxid(1, 2));
    expect(log.largestBelow(makeZxid(1, 2))).toBeUndefined();
    expect(zxids(log.slice(makeZxid(1, 3)))).toEqual([makeZxid(1, 4), makeZxid(2, 1)]);
  });

  it('trims only applied entries beyond the retention window', () => {
    const log = new ReplicatedLog(0, [1, 2, 3, 4, 5].map((c) => entry(c)));
    log.trim(makeZxid(1, 2), 2); // only 1:1 and 1:2 are applied
    expect(log.baseZxid).toBe(makeZxid(1, 2));
    expect(log.size).toBe(3);
    log.trim(makeZxid(1, 5), 2);
    expect(log.baseZxid).toBe(makeZxid(1, 3));
    expect(() => log.slice(makeZxid(1, 1))).toThrow(/below the base/);
  });

  it('replaces everything with a snapshot, which supersedes pending truncation', () => {
    const log = new ReplicatedLog(0, [entry(1), entry(2)]);
    log.truncateAfter(makeZxid(1, 1));
    const snapshot = { zxid: makeZxid(1, 9), data: new Uint8Array([9]) };
    log.installSnapshot(snapshot);
    log.append(entry(10));
    expect(log.takePersist()).toEqual({ snapshot, entries: [entry(10)] });
    expect(log.lastZxid).toBe(makeZxid(1, 10));
  });
});
