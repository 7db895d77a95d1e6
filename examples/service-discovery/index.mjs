// Servers go online and offline under /servers while a client prints the live list — the
// "dynamic server registration" exercise, with @zkts/recipes' service discovery doing the
// re-armed watches. Runs against an embedded zkts server, or ZooKeeper at $ZK_CONNECT.
import { connect } from '@zkts/client';
import { ServiceDiscovery } from '@zkts/recipes';
import { ZkServer } from '@zkts/server';

async function startZooKeeper() {
  if (process.env.ZK_CONNECT) return { connectString: process.env.ZK_CONNECT, stop: async () => {} };
  const server = new ZkServer({ tcpPort: 0, wsPort: null, tickTimeMs: 200 });
  await server.start();
  return { connectString: server.connectString, stop: () => server.stop() };
}

const zookeeper = await startZooKeeper();

// The watching client: the service is "servers" under the root, so instances are /servers/<id>.
const client = await connect(zookeeper.connectString, { sessionTimeoutMs: 2000 });
const discovery = new ServiceDiscovery(client, { basePath: '/' });
const cache = discovery.serviceCache('servers');
const printList = () => console.log(`online: [${cache.instances.map((instance) => instance.id).join(', ')}]`);
cache.on('up', (instance) => console.log(`+ ${instance.id} is online (${instance.address}:${instance.port})`));
cache.on('down', (instance) => console.log(`- ${instance.id} is offline`));
await cache.start();
printList();

// Each server process has its own session; its ephemeral registration lives as long as it does.
const servers = new Map();
async function online(id, port) {
  const up = new Promise((resolve) => cache.once('up', resolve));
  const serverClient = await connect(zookeeper.connectString, { sessionTimeoutMs: 2000 });
  await new ServiceDiscovery(serverClient, { basePath: '/' }).register('servers', { id, address: '127.0.0.1', port });
  servers.set(id, serverClient);
  await up;
  printList();
}
async function offline(id) {
  const down = new Promise((resolve) => cache.once('down', resolve));
  // Closing the session deletes its ephemeral node at once; a crashed process would vanish after its session timeout.
  await servers.get(id).close();
  servers.delete(id);
  await down;
  printList();
}

await online('hadoop101', 8001);
await online('hadoop102', 8002);
await online('hadoop103', 8003);
await offline('hadoop102');
await online('hadoop104', 8004);
await offline('hadoop101');

for (const id of [...servers.keys()]) await offline(id);
await discovery.close();
await client.close();
await zookeeper.stop();
console.log('done');
