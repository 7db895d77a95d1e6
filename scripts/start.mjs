#!/usr/bin/env node
// `npm start`: the embedded default, a local 3-server ensemble, and how to connect to it.
// The npm script installs dependencies and builds the workspace first.
import { startEnsemble } from '../packages/server/dist/index.js';

const ensemble = await startEnsemble({ voters: 3, tickTimeMs: 2000 });
console.log('zkts: a 3-server ensemble is running on loopback');
for (const server of ensemble.servers) {
  console.log(`  server.${server.serverId}  Mode: ${server.mode.padEnd(8)}  tcp ${server.connectString}  ws://${server.options.host}:${server.wsPort}`);
}
console.log('');
console.log(`Connect string: ${ensemble.connectString}`);
console.log(`  zkCli.sh -server ${ensemble.connectString}`);
console.log(`  node -e "import('@zkts/client').then(async ({ connect }) => { const c = await connect('${ensemble.connectString}'); console.log(await c.getChildren('/')); await c.close(); })"`);
console.log('Press Ctrl+C to stop.');
let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await ensemble.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
