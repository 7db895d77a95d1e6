/** The driver contract: persist before send, ack only what is on disk, ready/advance pairing. */
import { describe, expect, it } from 'vitest';
import { QuorumPeer, createRng, makeZxid, type QuorumPeerConfig } from '../src/index.js';

function config(overrides: Partial<QuorumPeerConfig> = {}): QuorumPeerConfig {
  return {
    myId: 1,
    voters: [1],
    observers: [],
    initLimit: 10,
    syncLimit: 5,
    finalizeWaitTicks: 0,
    electionResendTicks: 2,
    maxLogEntriesForDiff: 10,
    persisted: { acceptedEpoch: 0, currentEpoch: 0, log: [], snapshotZxid: 0 },
    rng: createRng(1),
    ...overrides,
  };
}

/** Drains a single-voter peer the way a driver would. */
function drain(peer: QuorumPeer): ReturnType<QuorumPeer['ready']>[] {
  const readies = [];
  while (peer.hasReady()) {
    const rd = peer.ready();
    readies.push(rd);
    peer.advance(rd);
  }
  return readies;
}

describe('Ready contract', () => {
  it('a single voter elects itself, persists epochs before serving, and commits after its own persist', () => {
    const peer = new QuorumPeer(config());
    const first = drain(peer);
    expect(peer.state).toBe('LEADING');
    expect(peer.phase).toBe('BROADCAST');
    // The accepted and current epochs were handed to the driver before it started serving.
    expect(first.some((rd) => rd.persist.acceptedEpoch === 1)).toBe(true);
    expect(first.some((rd) => rd.persist.currentEpoch === 1)).toBe(true);

    const zxid = peer.propose(new TextEncoder().encode('x'));
    expect(zxid).toBe(makeZxid(1, 1));
    const rd = peer.ready();
    expect(rd.persist.entries.map((e) => e.zxid)).toEqual([zxid]);
    expect(rd.commits).toEqual([]); // not before its own ack is on disk
    peer.advance(rd);
    const next = peer.ready();
    expect(next.commits.map((e) => e.zxid)).toEqual([zxid]);
    peer.advance(next);
  });

  it('refuses to hand out a second Ready before advance, or advance a stale one', () => {
    const peer = new QuorumPeer(config());
    const rd = peer.ready();
    expect(() => peer.ready()).toThrow(/before advance/);
    peer.advance(rd);
    expect(() => peer.advance(rd)).toThrow(/not the outstanding one/);
  });

  it('treats only the snapshot as committed after a restart, the log tail waits for a leader', () => {
    const log = [1, 2, 3].map((c) => ({ zxid: makeZxid(1, c), data: new Uint8Array([c]) }));
    const peer = new QuorumPeer(
      config({ persisted: { acceptedEpoch: 1, currentEpoch: 1, log, snapshotZxid: 0 } }),
    );
    expect(peer.committedZxid).toBe(0);
    const readies = drain(peer);
    // As the single voter it re-establishes epoch 2 with its history, which then commits.
    expect(readies.flatMap((rd) => rd.commits.map((e) => e.zxid))).toEqual(log.map((e) => e.zxid));
    expect(peer.epoch).toBe(2);
  });

  it('bounds proposals in flight and pending syncs', () => {
    const peer = new QuorumPeer(config({ outstandingProposalsMax: 2, pendingSyncsMax: 1 }));
    drain(peer);
    expect(peer.propose(new Uint8Array(1))).toBeDefined();
    expect(peer.sync(1)).toBe(true); // waits for that proposal
    expect(peer.sync(2)).toBe(false); // pendingSyncsMax
    expect(peer.propose(new Uint8Array(1))).toBeDefined();
    expect(peer.propose(new Uint8Array(1))).toBeUndefined(); // outstandingProposalsMax
    const readies = drain(peer); // its own acks land: both commit, the sync completes
    expect(readies.flatMap((rd) => rd.commits)).toHaveLength(2);
    expect(readies.flatMap((rd) => rd.syncsDone)).toEqual([1]);
    expect(peer.propose(new Uint8Array(1))).toBeDefined();

    const looking = new QuorumPeer(config({ voters: [1, 2, 3] }));
    expect(looking.propose(new Uint8Array(1))).toBeUndefined(); // LOOKING: not serving
    expect(looking.sync(1)).toBe(false);
  });

  it('validates its configuration', () => {
    expect(() => new QuorumPeer(config({ myId: 9 }))).toThrow(/neither a voter nor an observer/);
    expect(() => new QuorumPeer(config({ persisted: { acceptedEpoch: 0, currentEpoch: 1, log: [], snapshotZxid: 0 } }))).toThrow(
      /currentEpoch is ahead/,
    );
  });

  it('ignores messages from servers outside the ensemble', () => {
    const peer = new QuorumPeer(config({ voters: [1, 2, 3] }));
    drain(peer);
    peer.step(9, { type: 'NOTIFICATION', leader: 9, zxid: 0, electionEpoch: 5, peerEpoch: 9, state: 'LEADING' });
    expect(peer.hasReady()).toBe(false);
  });
});
