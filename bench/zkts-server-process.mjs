#!/usr/bin/env node
// One zkts ensemble member in its own process, started from a zoo.cfg the way `zk-server start`
// does, for the benchmark to run, kill and restart like a JVM.
//
//   node bench/zkts-server-process.mjs <zoo.cfg>
//
// With an IPC channel (the benchmark spawns it so) it reports `{ type: 'started', tcpPort, wsPort,
// durable }` once listening (durable: the log is fsynced in dataDir), answers `{ type: 'memory' }` with its memory figures after a full
// GC (when run with --expose-gc), and exits when the parent goes away. SIGTERM stops the server
// cleanly, so `node --cpu-prof` gets to write its profile.
import * as serverPackage from '../packages/server/dist/index.js';

const { loadServerConfig, startFromConfig } = serverPackage;

const configPath = process.argv[2];
if (configPath === undefined) {
  console.error('usage: node bench/zkts-server-process.mjs <zoo.cfg>');
  process.exit(2);
}

const config = await loadServerConfig(configPath);
// startFromConfig keeps an ensemble member's epochs, log and snapshots in the zoo.cfg's dataDir
// (FileEnsembleStorage, fsync per batch unless forceSync=no). Builds from before that existed
// kept them in memory; report which, so results say whether zkts paid for fsync.
const durable = typeof serverPackage.FileEnsembleStorage === 'function' && config.dataDir !== undefined && config.forceSync;
const server = await startFromConfig(config);

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  try {
    await server.stop();
  } finally {
    process.exit(code);
  }
}

process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
process.on('disconnect', () => void stop(0));
process.on('message', (message) => {
  if (message?.type !== 'memory') return;
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
  process.send?.({ type: 'memory', usage: process.memoryUsage() });
});
process.send?.({ type: 'started', tcpPort: server.tcpPort, wsPort: server.wsPort, durable });
