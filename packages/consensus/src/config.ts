/**
 * What a {@link QuorumPeer} is built from: the ensemble, its timing in ticks, its bounds and
 * the state its driver recovered from disk.
 * @module
 */
import { assert } from './assert.js';
import type { LogEntry } from './messages.js';
import type { Rng } from './rng.js';
import { EPOCH_LIMIT, isZxid } from './zxid.js';

/** What the driver recovered from disk at startup (all zero for a fresh server). */
export interface PersistedState {
  /** The last epoch this server accepted from a LEADERINFO (ZooKeeper's `acceptedEpoch` file). */
  readonly acceptedEpoch: number;
  /** The last epoch this server synced with a leader (ZooKeeper's `currentEpoch` file). */
  readonly currentEpoch: number;
  /**
   * The log entries after `snapshotZxid`, in zxid order. The tail may never have been
   * committed: the core learns which entries are committed from the next leader.
   */
  readonly log: readonly LogEntry[];
  /** Zxid of the snapshot the driver restored its state from (0 for none). */
  readonly snapshotZxid: number;
}

/** Test-only switches that break the protocol on purpose, to prove the fault test notices. */
export interface UnsafeOptions {
  /** The leader commits on its own persisted ack, without waiting for a quorum. */
  readonly commitWithoutQuorum?: boolean;
}

/** Configuration of one {@link QuorumPeer}. Times are in ticks, as in `zoo.cfg`. */
export interface QuorumPeerConfig {
  /** This server's id (`myid`), a positive integer; must be in `voters` or `observers`. */
  readonly myId: number;
  /** Ids of the voting servers (participants). */
  readonly voters: readonly number[];
  /** Ids of the observers: they learn every commit but never vote nor count toward quorum. */
  readonly observers: readonly number[];
  /** Ticks a learner may take to connect and sync, and the leader to establish its epoch. */
  readonly initLimit: number;
  /** Ticks of silence after which leader and learner give up on each other. */
  readonly syncLimit: number;
  /** Ticks an election waits, once a quorum backs a vote, for a better vote to show up. */
  readonly finalizeWaitTicks: number;
  /** Ticks between re-sends of a LOOKING server's vote (and of a learner's FOLLOWERINFO). */
  readonly electionResendTicks: number;
  /**
   * Committed entries kept in memory to sync learners by DIFF; a learner further behind
   * gets a SNAP. ZooKeeper's `maxCommittedLog` plays this role.
   */
  readonly maxLogEntriesForDiff: number;
  /** Proposals a leader keeps in flight; {@link QuorumPeer.propose} refuses beyond it. */
  readonly outstandingProposalsMax?: number;
  /** Syncs a peer keeps pending; {@link QuorumPeer.sync} refuses beyond it. */
  readonly pendingSyncsMax?: number;
  /** What the driver recovered from disk. */
  readonly persisted: PersistedState;
  /** Randomness for learner session ids (seed it differently on every start). */
  readonly rng: Rng;
  /** Test only: see {@link UnsafeOptions}. Never set in production. */
  readonly unsafe?: UnsafeOptions;
}

/** Default for {@link QuorumPeerConfig.outstandingProposalsMax}. */
export const OUTSTANDING_PROPOSALS_MAX_DEFAULT = 1000;

/** Default for {@link QuorumPeerConfig.pendingSyncsMax}. */
export const PENDING_SYNCS_MAX_DEFAULT = 1000;

/** The configuration with defaults filled in and every field validated. */
export interface ResolvedConfig extends QuorumPeerConfig {
  readonly outstandingProposalsMax: number;
  readonly pendingSyncsMax: number;
  readonly isVoter: boolean;
  /** Voters needed for a quorum: a strict majority. */
  readonly quorumSize: number;
}

/** Validates `config` (programmer errors are assertions) and fills in defaults. */
export function resolveConfig(config: QuorumPeerConfig): ResolvedConfig {
  const { myId, voters, observers, persisted } = config;
  const ids = [...voters, ...observers];
  assert(ids.every((id) => Number.isSafeInteger(id) && id > 0), 'server ids must be positive integers');
  assert(new Set(ids).size === ids.length, 'server ids must be distinct across voters and observers');
  assert(voters.length > 0, 'an ensemble needs at least one voter');
  assert(ids.includes(myId), `myId ${myId} is neither a voter nor an observer`);
  for (const [name, value, min] of [
    ['initLimit', config.initLimit, 1],
    ['syncLimit', config.syncLimit, 1],
    ['finalizeWaitTicks', config.finalizeWaitTicks, 0],
    ['electionResendTicks', config.electionResendTicks, 1],
    ['maxLogEntriesForDiff', config.maxLogEntriesForDiff, 0],
  ] as const) {
    assert(Number.isSafeInteger(value) && value >= min, `${name} must be an integer >= ${min}, got ${value}`);
  }
  const outstandingProposalsMax = config.outstandingProposalsMax ?? OUTSTANDING_PROPOSALS_MAX_DEFAULT;
  const pendingSyncsMax = config.pendingSyncsMax ?? PENDING_SYNCS_MAX_DEFAULT;
  assert(Number.isSafeInteger(outstandingProposalsMax) && outstandingProposalsMax > 0, 'outstandingProposalsMax must be positive');
  assert(Number.isSafeInteger(pendingSyncsMax) && pendingSyncsMax > 0, 'pendingSyncsMax must be positive');
  for (const [name, value] of [
    ['acceptedEpoch', persisted.acceptedEpoch],
    ['currentEpoch', persisted.currentEpoch],
  ] as const) {
    assert(Number.isInteger(value) && value >= 0 && value < EPOCH_LIMIT, `persisted ${name} out of range: ${value}`);
  }
  assert(persisted.currentEpoch <= persisted.acceptedEpoch, 'persisted currentEpoch is ahead of acceptedEpoch');
  assert(isZxid(persisted.snapshotZxid), 'persisted snapshotZxid is not a zxid');
  let previous = persisted.snapshotZxid;
  for (const entry of persisted.log) {
    assert(isZxid(entry.zxid) && entry.zxid > previous, 'persisted log must be in zxid order, after snapshotZxid');
    previous = entry.zxid;
  }
  return {
    ...config,
    outstandingProposalsMax,
    pendingSyncsMax,
    isVoter: voters.includes(myId),
    quorumSize: Math.floor(voters.length / 2) + 1,
  };
}
