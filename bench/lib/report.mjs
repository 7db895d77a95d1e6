// Results: one JSON line per measurement as it is taken, then a markdown report and an SVG chart.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChart } from './chart.mjs';
import { CLIENT_LABELS } from './clients.mjs';

/** Where results go. */
export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** Workloads reported as throughput rows, in order. */
export const THROUGHPUT_WORKLOADS = ['create', 'setData', 'getData', 'exists', 'mix', 'churn', 'watch', 'lock'];

const TARGET_LABELS = { zkts: 'zkts', zookeeper: 'ZooKeeper' };

/** Writes results as they come (JSON lines), and the report at the end. */
export class Results {
  rows = [];

  constructor({ kind, targets, argv }) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
    this.kind = kind;
    this.base = join(RESULTS_DIR, `${kind}-${stamp}`);
    this.jsonlPath = `${this.base}.jsonl`;
    this.targets = targets;
    this.argv = argv;
    this.startedAt = new Date();
    this.fsync = {};
    writeFileSync(this.jsonlPath, '');
  }

  add(row) {
    this.rows.push(row);
    appendFileSync(this.jsonlPath, `${JSON.stringify(row)}\n`);
  }

  /** Writes the markdown report and the chart; resolves with their paths. */
  finish({ runtimeMs, notes }) {
    const svg = renderChart(this.rows.filter((r) => THROUGHPUT_WORKLOADS.includes(r.workload)));
    const svgPath = `${this.base}.svg`;
    writeFileSync(svgPath, svg);
    const latestName = this.kind === 'bench' ? 'latest' : `latest-${this.kind}`;
    writeFileSync(join(RESULTS_DIR, `${latestName}.svg`), svg);
    const markdown = (chartFile) => this.markdown({ runtimeMs, notes, chartFile });
    const mdPath = `${this.base}.md`;
    writeFileSync(mdPath, markdown(svgPath.split('/').pop()));
    const latestPath = join(RESULTS_DIR, `${latestName}.md`);
    writeFileSync(latestPath, markdown(`${latestName}.svg`));
    return { mdPath, latestPath, svgPath, jsonlPath: this.jsonlPath };
  }

  markdown({ runtimeMs, notes, chartFile }) {
    const lines = [];
    lines.push(`# zkts vs Apache ZooKeeper — ${this.kind === 'smoke' ? 'smoke run' : this.kind === 'partial' ? 'partial run' : 'benchmark'}`);
    lines.push('');
    lines.push(`${this.startedAt.toISOString()} · \`node bench/run.mjs ${this.argv.join(' ')}\` · ${(runtimeMs / 1000).toFixed(1)} s`);
    lines.push('');
    lines.push(`Machine: ${machine()}.`);
    lines.push('');
    lines.push(
      'Each target runs as a 3-server ensemble of separate processes on 127.0.0.1, one target at a time. ' +
        'Sessions are spread round-robin over the three servers. Ratios are zkts ÷ ZooKeeper: above 1 means zkts is ' +
        'faster for ops/s and slower for times. Every operation\'s answer is checked; failures are counted, not dropped.',
    );
    lines.push('');
    for (const target of this.targets) lines.push(`- **${TARGET_LABELS[target]}**: fsync ${this.fsync[target] ? 'on' : '**off** (no durable storage for ensemble members yet: the log is kept in memory)'}`);
    lines.push('');
    lines.push(...this.throughputTable());
    lines.push('');
    lines.push(...this.otherTable());
    lines.push('');
    const failures = this.rows.filter((r) => r.failed > 0 || r.crashed);
    if (failures.length > 0) {
      lines.push('## Failures');
      lines.push('');
      for (const row of failures) {
        if (row.crashed) {
          lines.push(`- ${TARGET_LABELS[row.target]} ${row.workload}: **crashed**: \`${row.crashed}\``);
          continue;
        }
        lines.push(`- ${TARGET_LABELS[row.target]} ${row.workload} ${loadLabel(row)} ${row.client}: ${row.failed} failed${row.workload === 'failover' ? ' runs' : ''}`);
        for (const [message, count] of Object.entries(row.errors ?? {})) lines.push(`  - ${count} × ${message}`);
      }
      lines.push('');
    }
    if (chartFile) {
      lines.push('## Chart');
      lines.push('');
      lines.push(`![throughput and p99 latency per workload](${chartFile})`);
      lines.push('');
    }
    if (notes.length > 0) {
      lines.push('## Notes');
      lines.push('');
      for (const note of notes) lines.push(`- ${note}`);
      lines.push('');
    }
    return `${lines.join('\n')}\n`;
  }

  throughputTable() {
    const rows = this.rows.filter((r) => THROUGHPUT_WORKLOADS.includes(r.workload) && !r.crashed);
    const keys = [];
    const byKey = new Map();
    for (const row of rows) {
      const key = `${row.workload}|${row.sessions}|${row.inFlight}|${row.client}`;
      if (!byKey.has(key)) {
        byKey.set(key, {});
        keys.push(key);
      }
      byKey.get(key)[row.target] = row;
    }
    keys.sort((a, b) => order(a) - order(b));
    const out = [
      '## Throughput and latency',
      '',
      '| Workload | Load | Client | zkts ops/s | ZooKeeper ops/s | zkts/ZK | zkts p50 / p99 / p99.9 ms | ZooKeeper p50 / p99 / p99.9 ms | failed zkts / ZK |',
      '|---|---|---|--:|--:|--:|--:|--:|--:|',
    ];
    for (const key of keys) {
      const { zkts, zookeeper } = byKey.get(key);
      const any = zkts ?? zookeeper;
      out.push(
        `| ${any.workload} | ${loadLabel(any)} | ${CLIENT_LABELS[any.client] ?? any.client} | ${fmtInt(zkts?.opsPerSec)} | ${fmtInt(zookeeper?.opsPerSec)} | ${ratio(zkts?.opsPerSec, zookeeper?.opsPerSec)} | ${latencies(zkts)} | ${latencies(zookeeper)} | ${zkts?.failed ?? '—'} / ${zookeeper?.failed ?? '—'} |`,
      );
    }
    return out;
  }

  otherTable() {
    const get = (target, workload) => this.rows.find((r) => r.target === target && r.workload === workload && !r.crashed);
    const measures = [
      ['failover', 'Failover: kill -9 leader → first successful write (median), ms', (r) => r.extra?.firstWriteMedianMs, fmtMs],
      ['failover', 'Failover: kill -9 leader → new leader in `srvr` (median), ms', (r) => r.extra?.newLeaderMedianMs, fmtMs],
      ['failover', 'Failover: runs (failed runs)', (r) => `${r.ok + r.failed} (${r.failed})`, String],
      ['failover', 'Failover samples: new leader / first write, ms', (r) => r.extra?.samples?.map((x) => `${Math.round(x.newLeaderMs)}/${Math.round(x.firstWriteMs)}`).join(', '), String],
      ['failover', 'Failover: writes failed while failing over (connection loss, expected)', (r) => r.extra?.failedWritesDuringFailover, String],
      ['election', 'Election at start-up: spawn → leader + 2 followers serving (median), ms', (r) => r.p50Ms, fmtMs],
      ['election', 'Election samples, ms', (r) => r.extra?.samplesMs?.join(', '), String],
      ['election', 'Start-up: spawn → every server has accepted a new session (median), ms', (r) => r.extra?.sessionsReadyMedianMs, fmtMs],
      ['memory', 'Memory: znodes loaded', (r) => r.extra?.znodes, fmtInt],
      ['memory', 'Memory: RSS per 100,000 znodes of 100 B (mean of 3 servers), MB', (r) => r.extra?.rssBytesPer100k, fmtMb],
      ['memory', 'Memory: heap after full GC per 100,000 znodes, MB', (r) => r.extra?.heapBytesPer100k, fmtMb],
      ['memory', 'Bulk load (multi of 500 creates, 8 in flight), znodes/s', (r) => r.opsPerSec, fmtInt],
      ['recovery', 'Recovery: znodes in the tree', (r) => r.extra?.znodes, fmtInt],
      ['recovery', 'Recovery: kill -9 a follower → serving the whole tree again, ms', (r) => r.extra?.memberRestartMs, fmtMs],
      ['recovery', 'Recovery: kill -9 all three → ensemble serving the whole tree, ms', (r) => r.extra?.ensembleRestartMs, fmtMs],
      ['recovery', 'Snapshot on disk per 100,000 znodes, MB', (r) => r.extra?.snapshotBytesPer100k, fmtMb],
    ];
    const out = ['## Failover, election, memory, recovery', '', '| Measure | zkts | ZooKeeper | zkts/ZK |', '|---|--:|--:|--:|'];
    for (const [workload, label, value, format] of measures) {
      const a = get('zkts', workload);
      const b = get('zookeeper', workload);
      if (a === undefined && b === undefined) continue;
      const va = a === undefined ? undefined : value(a);
      const vb = b === undefined ? undefined : value(b);
      const numeric = typeof va === 'number' && typeof vb === 'number';
      // null: measured, and there was nothing (e.g. no snapshot file).
      const show = (v) => (v === undefined ? '—' : v === null ? 'none' : format(v));
      out.push(`| ${label} | ${show(va)} | ${show(vb)} | ${numeric && format !== String ? ratio(va, vb) : ''} |`);
    }
    return out;
  }
}

function order(key) {
  const [workload, sessions, inFlight, client] = key.split('|');
  return THROUGHPUT_WORKLOADS.indexOf(workload) * 1e9 + ['tcp', 'ws', 'nzk'].indexOf(client) * 1e7 + Number(sessions) * 1e3 + Number(inFlight);
}

/** How a row's load is shown. */
export function loadLabel(row) {
  switch (row.workload) {
    case 'churn':
      return `${row.sessions} churners × ${row.extra?.ephemeralsPerSession} ephemerals`;
    case 'watch':
      return `${row.extra?.watchers} watchers (${row.sessions} sessions)`;
    case 'lock':
      return `${row.sessions} contender${row.sessions === 1 ? '' : 's'}`;
    case 'failover':
      return `${row.sessions} writers`;
    default:
      return row.sessions > 0 ? `${row.sessions}×${row.inFlight}` : '';
  }
}

function latencies(row) {
  if (row === undefined) return '—';
  return [row.p50Ms, row.p99Ms, row.p999Ms].map(fmtMs).join(' / ');
}

function ratio(a, b) {
  if (typeof a !== 'number' || typeof b !== 'number' || !(b > 0)) return '—';
  return `${(a / b).toFixed(2)}×`;
}

export function fmtInt(value) {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value).toLocaleString('en') : '—';
}

export function fmtMs(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  if (value >= 100) return Math.round(value).toLocaleString('en');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function fmtMb(value) {
  return typeof value === 'number' && Number.isFinite(value) ? (value / 1024 / 1024).toFixed(1) : '—';
}

function machine() {
  const cpu = cpus();
  // `java -version` writes to stderr.
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr?.split('\n')[0]?.replace(/"/g, '') || 'no java';
  return `${cpu.length} × ${cpu[0]?.model?.trim() ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${java}`;
}
