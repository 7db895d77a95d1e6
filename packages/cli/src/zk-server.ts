#!/usr/bin/env node
/**
 * `zk-server`: runs a zkts server from a zoo.cfg (`zk-server start zoo.cfg`) and reports a
 * running server's mode (`zk-server status zoo.cfg`), like zkServer.sh.
 * @module
 */
import { runZkServer } from './server/server-main.js';

// `zk-server log-dump … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const shutdown = new Promise<NodeJS.Signals>((resolve) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
});
const exitCode = await runZkServer(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, shutdown });
// Pipes are asynchronous on some platforms: let pending output drain before exiting.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(exitCode);
