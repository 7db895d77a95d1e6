/**
 * Where recipe tests run: a 3-server zkts ensemble in-process, or real Apache ZooKeeper in a JVM.
 * Every contract test runs against each kind through this one factory, so switching `zkts` to
 * an in-process ensemble later touches only this file.
 */
import { type ZkClient, type ZkClientOptions, createClient } from '@zkts/client';
import { startEnsemble } from '../../../server/src/index.js';
import { startApacheZooKeeper } from '../../../../test-support/apache-zookeeper.js';
import { fourLetterWord } from '../../../../test-support/four-letter-word.js';

/** The kinds of server a test can run against. */
export type TargetKind = 'zkts' | 'apache';

/** A running server (or ensemble) for one test file. */
export interface Target {
  readonly kind: TargetKind;
  /** Connect string of every server. */
  readonly connectString: string;
  /**
   * Ends a client's session from outside, as Curator's KillSession does: a second client joins
   * the session with its id and password (the server drops the first connection) and closes it.
   * The first client learns on reconnecting that its session expired.
   */
  killSession(client: ZkClient): Promise<void>;
  /** Whether the server answers `addWatch` (persistent watches, ZooKeeper 3.6+). */
  readonly supportsPersistentWatches: boolean;
  /** Sends a four-letter word (`wchs`, `cons` …) to the first server and resolves with its answer. */
  fourLetterWord(word: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Target kinds to run: both by default; `ZKTS_RECIPES_TARGETS=zkts` (comma-separated) narrows
 * it for quick local runs.
 */
export const targetKinds: readonly TargetKind[] = (process.env['ZKTS_RECIPES_TARGETS'] ?? 'zkts,apache')
  .split(',')
  .map((kind) => kind.trim())
  .filter((kind): kind is TargetKind => kind === 'zkts' || kind === 'apache');

/** Tick of every target server: short, so short sessions are granted and expire quickly. */
export const TICK_TIME_MS = 200;

/** Client options for tests: quick reconnects, a short session, seeded jitter. */
export const fastClient: ZkClientOptions = { sessionTimeoutMs: 2_000, spinDelayMs: 20, reconnectDelayMaxMs: 20, randomSeed: 7 };

/** Starts a target of the given kind on free loopback ports. */
export async function startTarget(kind: TargetKind): Promise<Target> {
  if (kind === 'zkts') {
    const ensemble = await startEnsemble({ voters: 3, tickTimeMs: TICK_TIME_MS, webSocket: false, serverOptions: { maxClientConnections: 0 } });
    // Clients all use member 1 (a follower or the leader), so per-server figures such as `wchs`
    // count every watch; writes still go through the leader and replicate to a quorum.
    const member = ensemble.server(1)!;
    return {
      kind,
      connectString: member.connectString,
      supportsPersistentWatches: true,
      killSession: (client) => killSession(ensemble.connectString, client),
      fourLetterWord: (word) => fourLetterWord('127.0.0.1', member.tcpPort, word),
      stop: () => ensemble.stop(),
    };
  }
  const zk = await startApacheZooKeeper({ tickTimeMs: TICK_TIME_MS, extraConfig: { maxClientCnxns: '0' } });
  return {
    kind,
    connectString: zk.connectString,
    supportsPersistentWatches: true,
    killSession: (client) => killSession(zk.connectString, client),
    fourLetterWord: (word) => zk.servers[0]!.fourLetterWord(word),
    stop: () => zk.stop(),
  };
}

async function killSession(connectString: string, victim: ZkClient): Promise<void> {
  const intruder = createClient(connectString, { ...fastClient, sessionId: victim.sessionId, sessionPassword: victim.sessionPassword });
  try {
    await intruder.connected({ timeoutMs: 10_000 });
  } finally {
    await intruder.close();
  }
}
