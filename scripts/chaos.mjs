#!/usr/bin/env node
// `npm run chaos -- --minutes N [--servers 3|5] [--seed S] [--clients C] [--keys K] [--keep]`:
// a real-process chaos run (see runChaos in packages/testing). The npm script builds first;
// run directly, it needs `npx tsc -b`. Exits 1 on any violation, lost write or divergence,
// 2 on bad arguments, 130 when interrupted.
import { parseArgs } from 'node:util';
import { formatChaosSummary, runChaos } from '../packages/testing/dist/index.js';

function usage(message) {
  console.error(`chaos: ${message}`);
  console.error('usage: npm run chaos -- --minutes N [--servers 3|5] [--seed S] [--clients C] [--keys K] [--fault-interval-ms MS] [--keep] [--save-history FILE] [--check-timeout-s S]');
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
      'save-history': { type: 'string' },
      'check-timeout-s': { type: 'string' },
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
const interrupt = () => {
  if (interrupted) process.exit(130); // runChaos's exit hook still kills the servers and removes the files
  interrupted = true;
  console.error('chaos: interrupted, stopping and cleaning up (Ctrl-C again to force)');
  controller.abort();
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

const summary = await runChaos({
  durationMs: minutes * 60_000,
  servers,
  seed,
  clients: number('clients', args.clients, (n) => Number.isInteger(n) && n > 0),
  keys: number('keys', args.keys, (n) => Number.isInteger(n) && n > 0),
  faultIntervalMs: number('fault-interval-ms', args['fault-interval-ms'], (n) => n > 0),
  keepDataDir: args.keep,
  historyFile: args['save-history'],
  checkTimeoutMs: (number('check-timeout-s', args['check-timeout-s'], (n) => n > 0) ?? 300) * 1000,
  signal: controller.signal,
  log: (line) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`),
});
console.log(formatChaosSummary(summary));
if (!summary.ok && !summary.aborted) console.log(`reproduce the schedule with --seed ${summary.seed}; keep server logs with --keep, the history with --save-history FILE`);
process.exit(summary.aborted ? 130 : summary.ok ? 0 : 1);
