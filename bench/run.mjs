#!/usr/bin/env node
// The benchmark suite: zkts against Apache ZooKeeper, side by side.
//
//   npm run bench [-- --target zkts|zookeeper|both] [--smoke] [--only <workload>[,<workload>…]] [--profile]
//
// Starts a 3-server ensemble of each target (separate processes on 127.0.0.1, fsync on), drives
// it with @zkts/client over TCP (and, for zkts, over WebSocket) and with node-zookeeper-client,
// and writes JSON lines, a markdown report and an SVG chart to bench/results/.
// See bench/README.md for the workloads and what each figure means.
import { join } from 'node:path';
import { BASIC_WORKLOADS, runBasic } from './workloads/basic.mjs';
import { runChurn } from './workloads/churn.mjs';
import { runElection } from './workloads/election.mjs';
import { runFailover } from './workloads/failover.mjs';
import { runLock } from './workloads/lock.mjs';
import { runMemory } from './workloads/memory.mjs';
import { runRecovery } from './workloads/recovery.mjs';
import { runWatchFanout } from './workloads/watch-fanout.mjs';
import { Cluster, zktsTarget, zookeeperInstalled, zookeeperTarget } from './lib/cluster.mjs';
import { makePlan } from './lib/plan.mjs';
import { installCleanupHooks, makeTempDir, onInterrupt } from './lib/processes.mjs';
import { Progress } from './lib/progress.mjs';
import { RESULTS_DIR, Results, fmtInt, fmtMs, loadLabel } from './lib/report.mjs';

const ALL_WORKLOADS = [...BASIC_WORKLOADS, 'churn', 'watch', 'lock', 'failover', 'election', 'memory', 'recovery'];
/** Failed operations are expected only where servers are killed on purpose. */
const FAILURES_EXPECTED = new Set(['failover']);

const USAGE = `Usage: npm run bench -- [options]
  --target zkts|zookeeper|both   default: both when Apache ZooKeeper is installed, else zkts
  --smoke                        a short run (under a minute) for CI
  --only <w>[,<w>…]              only these workloads: ${ALL_WORKLOADS.join(', ')}
  --profile                      run zkts servers under node --cpu-prof (profiles in bench/results/profiles)
  --help`;

function parseArgs(argv) {
  const args = { target: undefined, smoke: false, only: undefined, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--smoke') args.smoke = true;
    else if (arg === '--profile') args.profile = true;
    else if (arg === '--target') args.target = value();
    else if (arg.startsWith('--target=')) args.target = arg.slice('--target='.length);
    else if (arg === '--only') args.only = value();
    else if (arg.startsWith('--only=')) args.only = arg.slice('--only='.length);
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  if (args.only !== undefined) {
    args.only = new Set(args.only.split(',').map((w) => w.trim()).filter(Boolean));
    for (const name of args.only) if (!ALL_WORKLOADS.includes(name)) throw new Error(`unknown workload ${name}; known: ${ALL_WORKLOADS.join(', ')}`);
  }
  return args;
}

function chooseTargets(requested) {
  const installed = zookeeperInstalled();
  if (requested === undefined) return installed ? [zktsTarget, zookeeperTarget] : [zktsTarget];
  const byName = { zkts: [zktsTarget], zookeeper: [zookeeperTarget], both: [zktsTarget, zookeeperTarget] };
  const targets = byName[requested];
  if (targets === undefined) throw new Error(`--target must be zkts, zookeeper or both, got ${requested}`);
  if (targets.includes(zookeeperTarget) && !installed) throw new Error('Apache ZooKeeper is not installed (/usr/share/zookeeper/bin/zkServer.sh, /usr/share/java/zookeeper.jar); run npm run setup');
  return targets;
}

/** The first lines of an error and where it came from, for a crashed workload's row. */
function describeError(error) {
  return String(error?.stack ?? error).split('\n').slice(0, 3).map((line) => line.trim()).join(' | ');
}

function summarize(row) {
  if (row.crashed) return `${row.target} ${row.workload}: CRASHED ${row.crashed}`;
  const load = loadLabel(row);
  const parts = [`${row.target} ${row.workload}${load ? ` ${load}` : ''}${row.client !== '-' ? ` ${row.client}` : ''}:`];
  if (row.opsPerSec !== undefined) parts.push(`${fmtInt(row.opsPerSec)} ops/s`);
  if (row.p50Ms !== undefined) parts.push(`p50 ${fmtMs(row.p50Ms)} ms`);
  if (row.p99Ms !== undefined) parts.push(`p99 ${fmtMs(row.p99Ms)} p99.9 ${fmtMs(row.p999Ms)} ms`);
  if (row.workload === 'election') parts.push(`every server accepting sessions ${fmtMs(row.extra?.sessionsReadyMedianMs)} ms`);
  if (row.workload === 'failover') parts.push(`new leader ${fmtMs(row.extra?.newLeaderMedianMs)} ms, ${row.extra?.failedWritesDuringFailover} writes failed over`);
  if (row.workload === 'memory') parts.push(`RSS ${fmtInt(row.extra?.rssBytesPer100k / 1048576)} MB, heap ${fmtInt(row.extra?.heapBytesPer100k / 1048576)} MB per 100k znodes`);
  if (row.workload === 'recovery') parts.push(`ensemble restart ${fmtMs(row.extra?.ensembleRestartMs)} ms, snapshot ${fmtInt(row.extra?.snapshotBytes)} B`);
  parts.push(`failed ${row.failed}`);
  return parts.join(' ');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const targets = chooseTargets(args.target);
  const plan = makePlan({ smoke: args.smoke });
  const progress = new Progress();
  installCleanupHooks();
  onInterrupt(() => {
    progress.clear();
    process.stderr.write('\ninterrupted: stopping servers and removing temporary directories\n');
  });
  const kind = args.smoke ? 'smoke' : args.only ? 'partial' : 'bench';
  const results = new Results({ kind, targets: targets.map((t) => t.name), argv: process.argv.slice(2) });
  const notes = [];
  const watchdogMs = plan.watchdogMs;
  const watchdog = setTimeout(() => {
    progress.line(`watchdog: the run exceeded ${watchdogMs / 1000} s; stopping`);
    process.exit(3);
  }, watchdogMs);
  watchdog.unref();
  let unexpectedFailures = 0;
  /** Targets whose server logs are kept, because something failed. */
  const troubled = new Set();
  const clusterOptions = {
    cpuProfileDir: args.profile ? join(RESULTS_DIR, 'profiles') : undefined,
    onUnexpectedExit: (member, description) => {
      troubled.add(member.target.name);
      unexpectedFailures += 1;
      progress.line(`${member.target.label} server ${member.id} ${description} without being asked to stop`);
    },
  };

  for (const target of targets) {
    const ctx = {
      plan,
      progress,
      clusterOptions,
      selected: (name) => args.only === undefined || args.only.has(name),
      record: (row) => {
        const full = { target: target.name, fsync: results.fsync[target.name], ts: new Date().toISOString(), ...row };
        results.add(full);
        progress.line(summarize(full));
        if (full.crashed || (full.failed > 0 && !FAILURES_EXPECTED.has(full.workload))) {
          unexpectedFailures += 1;
          troubled.add(target.name);
        }
      },
    };
    progress.line(`starting a 3-server ${target.label} ensemble`);
    const cluster = await Cluster.start(target, clusterOptions);
    results.fsync[target.name] = cluster.durable;
    progress.line(`${target.label} ensemble up in ${fmtMs(cluster.startupMs)} ms (leader: server ${(await cluster.leader()).id}, fsync ${cluster.durable ? 'on' : 'OFF'})`);
    if (!cluster.durable) {
      notes.push(`${target.label} ran without fsync: its ensemble members have no durable storage yet (startFromConfig keeps the log in memory), so its write figures exclude disk cost and the whole-ensemble restart could not be measured.`);
    }
    const workloads = [
      ['basic', runBasic, BASIC_WORKLOADS],
      ['churn', runChurn, ['churn']],
      ['watch', runWatchFanout, ['watch']],
      ['lock', runLock, ['lock']],
      ['failover', runFailover, ['failover']],
      ['memory', runMemory, ['memory']],
      ['recovery', runRecovery, ['recovery']],
    ];
    try {
      for (const [name, workload, names] of workloads) {
        if (!names.some(ctx.selected)) continue;
        try {
          const revived = await cluster.reviveStopped();
          if (revived.length > 0) progress.line(`restarted ${target.label} server(s) ${revived.join(', ')} before ${name}`);
          await workload(ctx, cluster);
        } catch (error) {
          ctx.record({ workload: name, client: '-', failed: 0, crashed: describeError(error) });
        }
      }
    } finally {
      progress.status(`stopping the ${target.label} ensemble`);
      const logsDir = troubled.has(target.name) ? `${results.base}-logs` : undefined;
      await cluster.stop(logsDir);
      if (logsDir) progress.line(`${target.label} server logs kept in ${logsDir}`);
    }
    try {
      await runElection(ctx, target, cluster);
    } catch (error) {
      ctx.record({ workload: 'election', client: '-', failed: 0, crashed: describeError(error) });
    }
  }
  if (args.smoke) notes.push('Smoke run: short durations, small loads, one failover run and no recovery; figures are indicative only.');
  if (args.profile) notes.push('zkts servers ran under node --cpu-prof, which slows them down.');
  const runtimeMs = progress.elapsedMs;
  const paths = results.finish({ runtimeMs, notes });
  progress.line(`done in ${(runtimeMs / 1000).toFixed(1)} s: ${paths.latestPath} (also ${paths.mdPath}, ${paths.jsonlPath}, ${paths.svgPath})`);
  clearTimeout(watchdog);
  if (unexpectedFailures > 0) progress.line(`${unexpectedFailures} measurement(s) had failed operations or crashed; see ${paths.latestPath}`);
  return unexpectedFailures > 0 ? 1 : 0;
}

// Exit explicitly: a client session stuck on a dead server must not keep the run alive. The exit
// hook kills the servers and removes the temporary directories.
main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error?.stack ?? error);
    process.exit(2);
  },
);
