#!/usr/bin/env node
// `npm start`: runs the embedded default and prints how to connect.
// Dependencies are installed and the workspace built by the npm script first.
import { ZkServer } from '../packages/server/dist/index.js';

const server = new ZkServer({ tcpPort: Number(process.env.ZK_PORT ?? 2181), wsPort: Number(process.env.ZK_WS_PORT ?? 8181) });
await server.start();
console.log('zkts standalone server is running (Mode: standalone)');
console.log(`  TCP (ZooKeeper framing): ${server.connectString}`);
console.log(`  WebSocket:               ${server.wsUrl}`);
console.log('Connect with any ZooKeeper client, e.g. zkCli.sh -server ' + server.connectString);
console.log('Press Ctrl+C to stop.');
const shutdown = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
