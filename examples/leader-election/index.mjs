// Leader election two ways. A LeaderLatch: three candidates join, the first leads, and when
// the leader leaves the next one takes over. A LeaderSelector: candidates take turns running
// a leadership task, re-queueing after each turn. Runs against an embedded zkts server, or
// ZooKeeper at $ZK_CONNECT.
import { connect } from '@zkts/client';
import { LeaderLatch, LeaderSelector } from '@zkts/recipes';
import { ZkServer } from '@zkts/server';

async function startZooKeeper() {
  if (process.env.ZK_CONNECT) return { connectString: process.env.ZK_CONNECT, stop: async () => {} };
  const server = new ZkServer({ tcpPort: 0, wsPort: null, tickTimeMs: 200 });
  await server.start();
  return { connectString: server.connectString, stop: () => server.stop() };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const zookeeper = await startZooKeeper();
const clients = [];
async function session() {
  const client = await connect(zookeeper.connectString, { sessionTimeoutMs: 2000 });
  clients.push(client);
  return client;
}

// --- LeaderLatch ---
const latches = [];
for (const id of ['alpha', 'beta', 'gamma']) {
  const latch = new LeaderLatch(await session(), '/election/latch', { id });
  latch.on('isLeader', () => console.log(`latch: ${id} is the leader`));
  await latch.start();
  latches.push(latch);
}
for (const latch of latches) {
  await latch.await();
  console.log(`latch: ${latch.id} steps down`);
  await latch.close();
}

// --- LeaderSelector ---
const TURNS = 6;
let turns = 0;
let allTurnsDone;
const done = new Promise((resolve) => (allTurnsDone = resolve));
const selectors = [];
for (const id of ['alpha', 'beta', 'gamma']) {
  const selector = new LeaderSelector(
    await session(),
    '/election/selector',
    {
      async takeLeadership(signal) {
        if (turns === TURNS) return; // enough: give leadership up at once until we are closed
        turns++;
        console.log(`selector: ${id} leads (turn ${turns})`);
        await sleep(50); // lead until done, or until signal aborts (connection suspended, session lost)
        if (turns === TURNS) allTurnsDone();
      },
    },
    { id, autoRequeue: true },
  );
  selectors.push(selector);
}
for (const selector of selectors) selector.start();
await done;
for (const selector of selectors) await selector.close();

for (const client of clients) await client.close();
await zookeeper.stop();
console.log('done');
