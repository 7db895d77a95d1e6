/**
 * The two servers under comparison: Apache ZooKeeper 3.8 (the reference) and a standalone
 * zkts server, both started fresh so their zxids begin at the same point.
 * @module
 */
import { type ApacheZooKeeper, startApacheZooKeeper } from '../../../../test-support/apache-zookeeper.js';
import { ZkServer } from '../../../server/src/index.js';

/**
 * The container/TTL sweep runs on a timer, so its deletions (each a txn taking a zxid) would
 * land at different points of the two histories. Both servers get an interval no run reaches;
 * TTL nodes are created with TTLs no run outlives, so neither kind of node is swept.
 */
const SWEEP_INTERVAL_MS = 86_400_000;

/** A running pair of servers. */
export interface ServerPair {
  readonly apache: ApacheZooKeeper;
  readonly zkts: ZkServer;
  stop(): Promise<void>;
}

/** Starts both servers with the same tick time and session limits. */
export async function startServerPair(): Promise<ServerPair> {
  const tickTimeMs = 2_000;
  const [apache, zkts] = await Promise.all([startApache(tickTimeMs), startZkts(tickTimeMs)]);
  return {
    apache,
    zkts,
    async stop() {
      await Promise.allSettled([apache.stop(), zkts.stop()]);
    },
  };
}

async function startZkts(tickTimeMs: number): Promise<ZkServer> {
  const server = new ZkServer({ tcpPort: 0, wsPort: null, tickTimeMs, maxSessionTimeoutMs: 60_000, containerCheckIntervalMs: SWEEP_INTERVAL_MS });
  await server.start();
  const { connect } = await import('../../src/index.js');
  await (await connect(server.connectString)).close();
  return server;
}

/**
 * ContainerManager reads its interval from the `znode.container.checkIntervalMs` system
 * property, which zoo.cfg cannot set (it prefixes unknown keys with `zookeeper.`), so it is
 * passed through the JVM's standard JAVA_TOOL_OPTIONS for the launch only.
 */
async function startApache(tickTimeMs: number): Promise<ApacheZooKeeper> {
  const saved = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = `${saved ?? ''} -Dznode.container.checkIntervalMs=${SWEEP_INTERVAL_MS}`.trim();
  try {
    return await startApacheZooKeeper({ tickTimeMs, maxSessionTimeoutMs: 60_000 });
  } finally {
    if (saved === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = saved;
  }
}
