/** Quorum arithmetic, observers, and writes stopping and resuming with the quorum. */
import { describe, expect, it } from 'vitest';
import { FifoEnsemble } from './harness/fifo-ensemble.js';

function elect(ensemble: FifoEnsemble, ids: number[]): number {
  ensemble.start(ids);
  ensemble.tickUntil(() => ensemble.leader() !== undefined && ensemble.cluster.running().every((n) => n.peer.phase === 'BROADCAST'));
  return ensemble.leader()!.id;
}

function committedEverywhere(ensemble: FifoEnsemble, zxid: number | undefined): boolean {
  return zxid !== undefined && ensemble.cluster.running().every((n) => n.lastAppliedZxid >= zxid);
}

describe('quorum', () => {
  for (const [voters, tolerated] of [
    [3, 1],
    [4, 1],
    [5, 2],
  ] as const) {
    it(`${voters} voters tolerate ${tolerated} failure(s) and stop writing beyond`, () => {
      const ids = Array.from({ length: voters }, (_, i) => i + 1);
      const ensemble = new FifoEnsemble({ voters: ids });
      const leader = elect(ensemble, ids);
      const followers = ids.filter((id) => id !== leader);
      ensemble.crash(followers.slice(0, tolerated));
      const [stillOk] = ensemble.propose(leader);
      expect(committedEverywhere(ensemble, stillOk)).toBe(true);

      ensemble.crash([followers[tolerated]!]);
      const [stuck] = ensemble.propose(leader); // accepted, but no quorum can persist it
      expect(stuck).toBeDefined();
      expect(ensemble.node(leader).peer.committedZxid).toBeLessThan(stuck!);
      ensemble.tick(7); // syncLimit + 1 without a quorum
      expect(ensemble.node(leader).peer.state).toBe('LOOKING');
      expect(ensemble.propose(leader)).toEqual([undefined]);

      ensemble.start([followers[0]!]); // the quorum returns
      ensemble.tickUntil(() => ensemble.leader() !== undefined && ensemble.cluster.running().every((n) => n.peer.phase === 'BROADCAST'));
      const [resumed] = ensemble.propose(ensemble.leader()!.id);
      expect(committedEverywhere(ensemble, resumed)).toBe(true);
      // The write proposed without quorum survived on the leader's disk and commits with its history.
      expect(ensemble.node(leader).applied.some((e) => e.zxid === stuck)).toBe(true);
    });
  }

  it('never counts observers: two observers cannot replace a missing voter', () => {
    const ensemble = new FifoEnsemble({ voters: [1, 2, 3], observers: [4, 5] });
    const leader = elect(ensemble, [1, 2, 3, 4, 5]);
    expect(ensemble.node(4).peer.state).toBe('OBSERVING');
    const voters = [1, 2, 3].filter((id) => id !== leader);
    const [first] = ensemble.propose(leader);
    expect(committedEverywhere(ensemble, first)).toBe(true); // observers apply too (INFORM)
    ensemble.crash(voters);
    const [second] = ensemble.propose(leader);
    expect(ensemble.node(4).lastAppliedZxid).toBe(first);
    expect(ensemble.node(leader).peer.committedZxid).toBe(first);
    ensemble.tick(7);
    expect(ensemble.node(leader).peer.state).toBe('LOOKING');
    expect(second).toBeDefined();
  });

  it('elects no leader from observers alone plus a minority of voters', () => {
    const ensemble = new FifoEnsemble({ voters: [1, 2, 3], observers: [4, 5] });
    ensemble.start([1, 4, 5]);
    ensemble.tick(30);
    expect(ensemble.cluster.running().map((n) => n.peer.state)).toEqual(['LOOKING', 'LOOKING', 'LOOKING']);
  });
});
