#!/usr/bin/env node
/**
 * `zk-server`: runs a zkts server from a zoo.cfg (`zk-server start zoo.cfg`) and reports a
 * running server's mode (`zk-server status zoo.cfg`), like zkServer.sh.
 * @module
 */
import { runZkServer } from './server/server-main.js';

const shutdown = new Promise<NodeJS.Signals>((resolve) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
});
const exitCode = await runZkServer(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, shutdown });
// Pipes are asynchronous on some platforms: let pending output drain before exiting.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(exitCode);
