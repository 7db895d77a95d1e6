// Two workers take turns with a distributed lock, each doing its work only while holding it —
// the "distributed lock" exercise. The lock is not reentrant; each worker has its own session.
// Runs against an embedded zkts server, or ZooKeeper at $ZK_CONNECT.
import { connect } from '@zkts/client';
import { DistributedLock } from '@zkts/recipes';
import { ZkServer } from '@zkts/server';

async function startZooKeeper() {
  if (process.env.ZK_CONNECT) return { connectString: process.env.ZK_CONNECT, stop: async () => {} };
  const server = new ZkServer({ tcpPort: 0, wsPort: null, tickTimeMs: 200 });
  await server.start();
  return { connectString: server.connectString, stop: () => server.stop() };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const zookeeper = await startZooKeeper();

async function worker(name, rounds) {
  const client = await connect(zookeeper.connectString, { sessionTimeoutMs: 2000 });
  const lock = new DistributedLock(client, '/locks');
  for (let round = 1; round <= rounds; round++) {
    const held = await lock.acquire({ timeoutMs: 10_000 });
    // In TypeScript (or Node 24+) `await using held = ...` releases at the end of the block.
    try {
      console.log(`${name} acquired the lock (fencing token ${held.fencingToken.czxid})`);
      await sleep(100); // the work; pass held.signal to it to stop if the lock is lost
      console.log(`${name} releases the lock`);
    } finally {
      await held.release();
    }
  }
  await client.close();
}

await Promise.all([worker('worker 1', 2), worker('worker 2', 2)]);
await zookeeper.stop();
console.log('done');
