#!/usr/bin/env node
// `npm run chaos -- --minutes N [--servers 3|5] [--seed S] [--clients C] [--keys K] [--keep]`:
// a real-process chaos run (see runChaos in packages/testing). The npm script builds first;
// run directly, it needs `npx tsc -b`. Exits 1 on any violation, lost write or divergence,
// 2 on bad arguments, 130 when interrupted.
import { parseArgs } from 'node:util';
import { formatChaosSummary, runChaos } from '../packages/testing/dist/index.js';

function usage(message) {
  console.error(`chaos: ${message}`);
  console.error('usage: npm run chaos -- --minutes N [--servers 3|5] [--seed S] [--clients C] [--keys K] [--fault-interval-ms MS] [--keep]');
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      minutes: { type: 'string', default: '1' },
      servers: { type: 'string', default: '3' },
      seed: { type: 'string' },
      clients: { type: 'string' },
      keys: { type: 'string' },
      'fault-interval-ms': { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  }).values;
} catch (error) {
  usage(error.message);
}

function number(name, value, valid) {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || !valid(parsed)) usage(`bad --${name} ${value}`);
  return parsed;
}

const minutes = number('minutes', args.minutes, (n) => n > 0);
const servers = number('servers', args.servers, (n) => n === 3 || n === 5);
const seed = number('seed', args.seed, Number.isInteger) ?? Math.floor(Math.random() * 0x7fff_ffff);
const started = performance.now();
const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130); // runChaos's exit hook still kills the servers and removes the files
  interrupted = true;
  console.error('chaos: interrupted, stopping and cleaning up (Ctrl-C again to force)');
  controller.abort();
});

const summary = await runChaos({
  durationMs: minutes * 60_000,
  servers,
  seed,
  clients: number('clients', args.clients, (n) => Number.isInteger(n) && n > 0),
  keys: number('keys', args.keys, (n) => Number.isInteger(n) && n > 0),
  faultIntervalMs: number('fault-interval-ms', args['fault-interval-ms'], (n) => n > 0),
  keepDataDir: args.keep,
  signal: controller.signal,
  log: (line) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`),
});
console.log(formatChaosSummary(summary));
process.exit(summary.aborted ? 130 : summary.ok ? 0 : 1);
