import { describe, expect, it } from 'vitest';
import { COUNTER_MAX, EPOCH_LIMIT, counterOf, epochOf, formatZxid, isZxid, makeZxid, totalOrderPredicate } from '../src/index.js';

describe('zxid helpers', () => {
  it('packs epoch and counter as ZooKeeper does (epoch << 32 | counter)', () => {
    expect(makeZxid(1, 123)).toBe(0x1_0000_007b);
    expect(makeZxid(0, 0)).toBe(0);
    const top = makeZxid(EPOCH_LIMIT - 1, COUNTER_MAX);
    expect(Number.isSafeInteger(top)).toBe(true);
    expect(epochOf(top)).toBe(EPOCH_LIMIT - 1);
    expect(counterOf(top)).toBe(COUNTER_MAX);
    expect(formatZxid(makeZxid(4, 143))).toBe('4:143');
  });

  it('asserts the epoch stays below 2^21 and the counter within 32 bits', () => {
    expect(() => makeZxid(EPOCH_LIMIT, 0)).toThrow(/epoch out of range/);
    expect(() => makeZxid(1, COUNTER_MAX + 1)).toThrow(/counter out of range/);
    expect(() => makeZxid(-1, 0)).toThrow();
    expect(() => epochOf(2 ** 53)).toThrow(/not a zxid/);
    expect(isZxid(makeZxid(EPOCH_LIMIT - 1, COUNTER_MAX) + 1)).toBe(false);
  });
});

describe('totalOrderPredicate', () => {
  const voters = new Set([1, 2, 3]);
  const isVoter = (id: number): boolean => voters.has(id);
  const vote = (leader: number, zxid: number, peerEpoch: number) => ({ leader, zxid, peerEpoch });

  it('prefers the higher epoch, then the higher zxid, then the higher id', () => {
    expect(totalOrderPredicate(vote(1, makeZxid(1, 1), 2), vote(3, makeZxid(1, 9), 1), isVoter)).toBe(true);
    expect(totalOrderPredicate(vote(1, makeZxid(1, 124), 1), vote(3, makeZxid(1, 123), 1), isVoter)).toBe(true);
    expect(totalOrderPredicate(vote(3, makeZxid(1, 5), 1), vote(2, makeZxid(1, 5), 1), isVoter)).toBe(true);
    expect(totalOrderPredicate(vote(2, makeZxid(1, 5), 1), vote(3, makeZxid(1, 5), 1), isVoter)).toBe(false);
    expect(totalOrderPredicate(vote(3, makeZxid(1, 5), 1), vote(3, makeZxid(1, 5), 1), isVoter)).toBe(false);
  });

  it('never elects a non-voter', () => {
    expect(totalOrderPredicate(vote(9, makeZxid(9, 9), 9), vote(1, 0, 0), isVoter)).toBe(false);
  });
});
