/**
 * The two servers under comparison: Apache ZooKeeper 3.8 (the reference) and a standalone
 * zkts server, both started fresh so their zxids begin at the same point.
 * @module
 */
import type { ApacheZooKeeper } from '../../../../test-support/apache-zookeeper.js';
import { ZkServer } from '../../../server/src/index.js';
import { startApacheWithSystemProperties } from './apache-system-properties.js';
import { DiffTarget } from './diff-target.js';

/**
 * The container/TTL sweep runs on a timer, so its deletions (each a txn taking a zxid) would
 * land at different points of the two histories. Both servers get an interval no run reaches;
 * TTL nodes are created with TTLs no run outlives, so neither kind of node is swept.
 */
const SWEEP_INTERVAL_MS = 86_400_000;

/**
 * `ZKTS_DIFF_AGAINST=apache` puts a second Apache ZooKeeper where zkts would be: a run that
 * must agree whatever zkts does, to show that a difference comes from the server and not
 * from the harness (nondeterminism in ordering, timing or zxid accounting).
 */
const againstApache = process.env.ZKTS_DIFF_AGAINST === 'apache';

/** A running pair of servers, each with the target that drives it. */
export interface ServerPair {
  readonly apacheTarget: DiffTarget;
  readonly zktsTarget: DiffTarget;
  /** Stops both servers. */
  stop(): Promise<void>;
}

/** Starts both servers with the same tick time and session limits. */
export async function startServerPair(): Promise<ServerPair> {
  const tickTimeMs = 2_000;
  const [apache, zkts] = await Promise.all([startApache(tickTimeMs), againstApache ? startApache(tickTimeMs) : startZkts(tickTimeMs)]);
  const apacheTarget = new DiffTarget('apache', apache.connectString);
  const zktsTarget = new DiffTarget(againstApache ? 'apache2' : 'zkts', zkts.connectString);
  return {
    apacheTarget,
    zktsTarget,
    async stop() {
      await Promise.allSettled([apache.stop(), zkts.stop()]);
    },
  };
}

async function startZkts(tickTimeMs: number): Promise<{ connectString: string; stop(): Promise<void> }> {
  const server = new ZkServer({ tcpPort: 0, wsPort: null, tickTimeMs, maxSessionTimeoutMs: 60_000, containerCheckIntervalMs: SWEEP_INTERVAL_MS });
  await server.start();
  return { connectString: server.connectString, stop: () => server.stop() };
}

/** ContainerManager takes its interval from a system property only. */
function startApache(tickTimeMs: number): Promise<ApacheZooKeeper> {
  return startApacheWithSystemProperties({ 'znode.container.checkIntervalMs': SWEEP_INTERVAL_MS }, { tickTimeMs, maxSessionTimeoutMs: 60_000 });
}
