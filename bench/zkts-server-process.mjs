#!/usr/bin/env node
// One zkts ensemble member in its own process, started from a zoo.cfg the way `zk-server start`
// does, for the benchmark to run, kill and restart like a JVM.
//
//   node bench/zkts-server-process.mjs <zoo.cfg>
//
// With an IPC channel (the benchmark spawns it so) it reports `{ type: 'started', tcpPort, wsPort,
// durable }` once listening, answers `{ type: 'memory' }` with its memory figures after a full
// GC (when run with --expose-gc), and exits when the parent goes away. SIGTERM stops the server
// cleanly, so `node --cpu-prof` gets to write its profile.
import { loadServerConfig, startFromConfig } from '../packages/server/dist/index.js';
import * as serverPackage from '../packages/server/dist/index.js';

const configPath = process.argv[2];
if (configPath === undefined) {
  console.error('usage: node bench/zkts-server-process.mjs <zoo.cfg>');
  process.exit(2);
}

/**
 * Durable storage for the member when @zkts/server offers one: either `startFromConfig` uses the
 * zoo.cfg `dataDir` itself (it then reports `durable` on the running server), or a file-backed
 * `EnsembleStorage` is exported under one of these names. Otherwise the member keeps its log in
 * memory and the benchmark reports that zkts ran without fsync.
 */
async function durableStorage(config) {
  const factory = serverPackage.openEnsembleStorage ?? serverPackage.openFileEnsembleStorage;
  if (typeof factory === 'function' && config.dataDir !== undefined) return factory({ dataDir: config.dataDir, dataLogDir: config.dataLogDir, forceSync: config.forceSync });
  const StorageClass = serverPackage.FileEnsembleStorage;
  if (typeof StorageClass === 'function' && config.dataDir !== undefined) {
    return typeof StorageClass.open === 'function'
      ? StorageClass.open({ dataDir: config.dataDir, dataLogDir: config.dataLogDir, forceSync: config.forceSync })
      : new StorageClass({ dataDir: config.dataDir, dataLogDir: config.dataLogDir, forceSync: config.forceSync });
  }
  return undefined;
}

const config = await loadServerConfig(configPath);
const storage = await durableStorage(config);
const server = await startFromConfig(config, storage);
const durable = storage !== undefined || server.durable === true;

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  try {
    await server.stop();
    await storage?.close?.();
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
