// Curator's InterProcessMutex example: each worker acquires its mutex twice and releases it
// twice; the other worker waits until both holds are released. A Mutex object is one owner
// (JavaScript has no threads), so re-acquiring through it re-enters without a round trip.
// Runs against an embedded zkts server, or ZooKeeper at $ZK_CONNECT.
import { connect } from '@zkts/client';
import { Mutex } from '@zkts/recipes';
import { ZkServer } from '@zkts/server';

async function startZooKeeper() {
  if (process.env.ZK_CONNECT) return { connectString: process.env.ZK_CONNECT, stop: async () => {} };
  const server = new ZkServer({ tcpPort: 0, wsPort: null, tickTimeMs: 200 });
  await server.start();
  return { connectString: server.connectString, stop: () => server.stop() };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const zookeeper = await startZooKeeper();

async function worker(name) {
  const client = await connect(zookeeper.connectString, { sessionTimeoutMs: 2000 });
  const mutex = new Mutex(client, '/locks');
  await mutex.acquire();
  console.log(`${name} acquired the lock`);
  await mutex.acquire();
  console.log(`${name} acquired the lock again (holds: ${mutex.holdCount})`);
  await sleep(200);
  await mutex.release();
  console.log(`${name} released the lock`);
  await mutex.release();
  console.log(`${name} released the lock again`);
  await client.close();
}

await Promise.all([worker('worker 1'), worker('worker 2')]);
await zookeeper.stop();
console.log('done');
