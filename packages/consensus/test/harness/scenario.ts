/**
 * Scripted traces in the style of etcd-io/raft's interaction tests (cockroachdb/datadriven):
 * a scenario file is a list of commands, each followed by `----` and the trace it produced.
 * The runner replays the commands over a perfect FIFO network with zero delay and compares
 * (or, with UPDATE_TRACES=1, rewrites) the traces.
 *
 * Commands:
 *   cluster voters=1,2,3 [observers=4] [initLimit=10] [syncLimit=5] [finalizeWait=1] [resend=2] [maxDiff=100]
 *   start <ids> [epoch=E] [accepted=E] [log=E:C..E:C] [snap=E:C]   first start, optional preloaded disk
 *   restart <ids> | crash <ids>
 *   tick [n]              n times: tick every running server, then deliver until quiet
 *   deliver               deliver until quiet, without ticking
 *   propose <id> [n]      n client writes at server <id>
 *   forward <id> [n]      n writes forwarded by learner <id> to its leader
 *   sync <id> <token>     a sync at server <id>
 *   cut <a> <b> | cut <a>-><b> [TYPE,...]   drop messages (both ways / one way / only these types)
 *   isolate <id> | heal
 *   status | log <ids> | verbose on|off
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { formatZxid, makeZxid, type LogEntry, type PeerMessage } from '../../src/index.js';
import type { Cluster } from './cluster.js';
import { FifoEnsemble } from './fifo-ensemble.js';
import { emptyDurable, encodeSnapshot, type DurableState, type SimNode } from './sim-node.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Messages whose delivery always shows in a trace: the sync decision of each learner. */
const ALWAYS_SHOWN = new Set<PeerMessage['type']>(['DIFF', 'TRUNC', 'SNAP']);

export function parseZxid(text: string): number {
  const match = /^(\d+):(\d+)$/.exec(text);
  if (match === null) throw new Error(`bad zxid ${text}`);
  return makeZxid(Number(match[1]), Number(match[2]));
}

/** Joins results, writing runs of consecutive zxids as `a..b` and repeats as `word×n`. */
function compactRuns(items: readonly (number | string)[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < items.length) {
    const first = items[i] as number | string;
    let j = i + 1;
    if (typeof first === 'number') {
      while (j < items.length && items[j] === first + (j - i)) j++;
      parts.push(j - i === 1 ? formatZxid(first) : `${formatZxid(first)}..${formatZxid(items[j - 1] as number)}`);
    } else {
      while (j < items.length && items[j] === first) j++;
      parts.push(j - i === 1 ? first : `${first}×${j - i}`);
    }
    i = j;
  }
  return parts.join(' ');
}

export function summarize(msg: PeerMessage): string {
  switch (msg.type) {
    case 'NOTIFICATION':
      return `NOTIFICATION vote=(${msg.leader}, ${formatZxid(msg.zxid)}, e${msg.peerEpoch}) round=${msg.electionEpoch} ${msg.state}`;
    case 'FOLLOWERINFO':
    case 'OBSERVERINFO':
      return `${msg.type} accepted=${msg.acceptedEpoch}`;
    case 'LEADERINFO':
      return `LEADERINFO epoch=${msg.epoch}`;
    case 'ACKEPOCH':
      return `ACKEPOCH current=${msg.currentEpoch} last=${formatZxid(msg.lastZxid)}`;
    case 'PROPOSAL':
    case 'INFORM':
    case 'SNAP':
      return `${msg.type} ${formatZxid(msg.zxid)}${msg.type === 'SNAP' ? '' : `=${decoder.decode(msg.data)}`}`;
    case 'DIFF':
    case 'TRUNC':
    case 'COMMIT':
    case 'NEWLEADER':
    case 'ACK':
    case 'UPTODATE':
      return `${msg.type} ${formatZxid(msg.zxid)}`;
    case 'REQUEST':
      return `REQUEST ${decoder.decode(msg.data)}`;
    case 'SYNC':
    case 'SYNCED':
      return `${msg.type} ${msg.id}`;
    case 'PING':
      return 'PING';
  }
}

/** Builds a disk with `epoch` as both epochs and entries `from..to` (data "e:c"), optionally snapshotted. */
function preloadedDisk(options: Map<string, string>): DurableState {
  const disk = emptyDurable();
  const epoch = Number(options.get('epoch') ?? '0');
  disk.currentEpoch = epoch;
  disk.acceptedEpoch = Number(options.get('accepted') ?? epoch);
  const range = options.get('log');
  const entries: LogEntry[] = [];
  if (range !== undefined) {
    const [first, last] = range.split('..').map(parseZxid) as [number, number];
    for (let zxid = first; zxid <= last; zxid++) entries.push({ zxid, data: encoder.encode(formatZxid(zxid)) });
  }
  const snap = options.get('snap');
  if (snap !== undefined) {
    const snapZxid = parseZxid(snap);
    disk.snapshot = { zxid: snapZxid, data: encodeSnapshot(entries.filter((e) => e.zxid <= snapZxid)) };
    disk.log = entries.filter((e) => e.zxid > snapZxid);
  } else {
    disk.log = entries;
  }
  return disk;
}

/** Replays one scenario and returns its text with the traces it produced. */
export class ScenarioRunner {
  private ensemble: FifoEnsemble | undefined;
  private out: string[] = [];
  private verbose = false;
  private writeCounter = 0;
  private readonly reported = new Map<number, string>();
  private readonly appliedRange = new Map<number, { first: number; last: number; count: number }>();

  run(text: string): string {
    const lines = text.split('\n');
    const result: string[] = [];
    let i = 0;
    while (i < lines.length) {
      const line = lines[i] as string;
      if (line.trim() === '' || line.startsWith('#')) {
        result.push(line);
        i++;
        continue;
      }
      const command = line;
      i++;
      if (lines[i] !== '----') throw new Error(`missing ---- after command "${command}"`);
      i++;
      while (i < lines.length && (lines[i] as string).trim() !== '') i++; // skip the old trace
      this.out = [];
      this.execute(command.trim());
      result.push(command, '----', ...(this.out.length > 0 ? this.out : ['ok']));
    }
    while (result.length > 0 && result[result.length - 1] === '') result.pop();
    return `${result.join('\n')}\n`;
  }

  private get e(): FifoEnsemble {
    if (this.ensemble === undefined) throw new Error('no cluster command yet');
    return this.ensemble;
  }

  private get c(): Cluster {
    return this.e.cluster;
  }

  private execute(command: string): void {
    const [verb, ...args] = command.split(/\s+/) as [string, ...string[]];
    const options = new Map<string, string>();
    const positional: string[] = [];
    for (const arg of args) {
      const eq = arg.indexOf('=');
      if (eq > 0) options.set(arg.slice(0, eq), arg.slice(eq + 1));
      else positional.push(arg);
    }
    const ids = (): number[] => positional.map(Number);
    switch (verb) {
      case 'cluster':
        return this.makeCluster(options);
      case 'start':
        for (const id of ids()) this.c.start(id, preloadedDisk(options));
        return this.settle();
      case 'restart':
        for (const id of ids()) this.c.start(id);
        return this.settle();
      case 'crash':
        for (const id of ids()) {
          this.c.crash(id);
          this.out.push(`${id}: crashed`);
          this.reported.delete(id);
        }
        return;
      case 'tick': {
        const n = Number(positional[0] ?? '1');
        this.e.tick(n);
        return this.flushApplied();
      }
      case 'deliver':
        return this.settle();
      case 'propose':
      case 'forward': {
        const node = this.c.node(Number(positional[0]));
        const n = Number(positional[1] ?? '1');
        const zxids: (number | string)[] = [];
        for (let k = 0; k < n; k++) {
          const data = encoder.encode(`w${++this.writeCounter}`);
          if (verb === 'propose') zxids.push(node.propose(data) ?? 'refused');
          else zxids.push(node.peer.forward(data) ? 'forwarded' : 'refused');
          node.drain();
        }
        this.out.push(`${node.id}: ${verb} ${compactRuns(zxids)}`);
        return this.settle();
      }
      case 'sync': {
        const node = this.c.node(Number(positional[0]));
        const token = Number(positional[1]);
        this.out.push(`${node.id}: sync ${token} ${node.peer.sync(token) ? 'pending' : 'refused'}`);
        node.drain();
        return this.settle();
      }
      case 'cut':
        return this.cut(positional);
      case 'isolate':
        this.e.isolate(Number(positional[0]));
        return;
      case 'heal':
        this.e.heal();
        return;
      case 'status':
        for (const id of this.c.allIds) this.out.push(this.statusLine(id));
        return;
      case 'log':
        for (const id of ids()) this.out.push(this.logLine(id));
        return;
      case 'verbose':
        this.verbose = positional[0] === 'on';
        return;
      default:
        throw new Error(`unknown command ${verb}`);
    }
  }

  private makeCluster(options: Map<string, string>): void {
    const list = (key: string): number[] =>
      (options.get(key) ?? '').split(',').filter((s) => s !== '').map(Number);
    this.ensemble = new FifoEnsemble(
      {
        voters: list('voters'),
        observers: list('observers'),
        initLimit: Number(options.get('initLimit') ?? 10),
        syncLimit: Number(options.get('syncLimit') ?? 5),
        finalizeWaitTicks: Number(options.get('finalizeWait') ?? 1),
        electionResendTicks: Number(options.get('resend') ?? 2),
        maxLogEntriesForDiff: Number(options.get('maxDiff') ?? 100),
      },
      {
        readyDone: (node) => this.reportState(node),
        persisted: (node, rd) => {
          if (rd.persist.snapshot !== undefined) this.out.push(`${node.id}: installed snapshot ${formatZxid(rd.persist.snapshot.zxid)}`);
          if (rd.persist.truncateAfterZxid !== undefined) {
            this.out.push(`${node.id}: truncated log after ${formatZxid(rd.persist.truncateAfterZxid)}`);
          }
        },
        applied: (node, entry) => {
          const range = this.appliedRange.get(node.id);
          if (range === undefined) this.appliedRange.set(node.id, { first: entry.zxid, last: entry.zxid, count: 1 });
          else {
            range.last = entry.zxid;
            range.count++;
          }
        },
        syncDone: (node, token) => this.out.push(`${node.id}: sync ${token} done`),
        syncFailed: (node, token) => this.out.push(`${node.id}: sync ${token} failed`),
      },
    );
    this.ensemble.onMessage = (from, to, msg, fate) => {
      const shown = this.verbose || (ALWAYS_SHOWN.has(msg.type) && fate === 'delivered');
      if (msg.type !== 'PING' && shown) this.out.push(`${from}->${to} ${summarize(msg)}${fate === 'delivered' ? '' : ` (${fate})`}`);
    };
  }

  private cut(positional: string[]): void {
    const [spec, typeList] = positional as [string, string | undefined];
    const arrow = /^(\d+)->(\d+)$/.exec(spec);
    if (arrow !== null) {
      const types = typeList === undefined ? {} : { types: new Set(typeList.split(',')) };
      this.e.cuts.push({ from: Number(arrow[1]), to: Number(arrow[2]), ...types });
      return;
    }
    this.e.cut(Number(positional[0]), Number(positional[1]));
  }

  private settle(): void {
    this.e.settle();
    this.flushApplied();
  }

  private reportState(node: SimNode): void {
    const p = node.peer;
    const line =
      p.state === 'LOOKING'
        ? `LOOKING round=${p.vote.electionEpoch} vote=(${p.vote.leader}, ${formatZxid(p.vote.zxid)}, e${p.vote.peerEpoch})`
        : `${p.state} ${p.phase} leader=${p.leaderId} epoch=${p.epoch}`;
    if (this.reported.get(node.id) === line) return;
    const wasLooking = this.reported.get(node.id)?.startsWith('LOOKING') ?? true;
    this.reported.set(node.id, line);
    const reason = p.state === 'LOOKING' && !wasLooking ? ` (${p.lookingReason})` : '';
    this.out.push(`${node.id}: ${line}${reason}`);
  }

  private flushApplied(): void {
    for (const [id, range] of [...this.appliedRange].sort((a, b) => a[0] - b[0])) {
      const span = range.count === 1 ? formatZxid(range.first) : `${formatZxid(range.first)}..${formatZxid(range.last)}`;
      this.out.push(`${id}: applied ${span} (${range.count})`);
    }
    this.appliedRange.clear();
  }

  private statusLine(id: number): string {
    if (!this.c.isRunning(id)) return `${id}: down`;
    const node = this.c.node(id);
    const p = node.peer;
    const role = p.state === 'LOOKING' ? `LOOKING round=${p.vote.electionEpoch}` : `${p.state} ${p.phase} leader=${p.leaderId}`;
    return (
      `${id}: ${role} epoch=${p.epoch} accepted=${p.acceptedEpoch} current=${p.currentEpoch}` +
      ` last=${formatZxid(p.lastZxid)} committed=${formatZxid(p.committedZxid)} applied=${formatZxid(node.lastAppliedZxid)}`
    );
  }

  private logLine(id: number): string {
    const d = this.c.durable.get(id);
    if (d === undefined) return `${id}: no disk`;
    const first = d.log[0];
    const last = d.log[d.log.length - 1];
    const log = first === undefined || last === undefined ? 'empty' : `${formatZxid(first.zxid)}..${formatZxid(last.zxid)} (${d.log.length})`;
    const snap = d.snapshot === undefined ? 'none' : formatZxid(d.snapshot.zxid);
    return `${id}: disk accepted=${d.acceptedEpoch} current=${d.currentEpoch} snapshot=${snap} log=${log}`;
  }
}

/**
 * Runs a scenario file and returns the recorded and the produced text. With UPDATE_TRACES=1 it
 * rewrites the file instead (review the change as a diff) and reports no mismatch.
 */
export function runScenarioFile(path: string): { expected: string; actual: string } {
  const expected = readFileSync(path, 'utf8');
  const actual = new ScenarioRunner().run(expected);
  if (process.env['UPDATE_TRACES'] === '1') {
    if (actual !== expected) writeFileSync(path, actual);
    return { expected: actual, actual };
  }
  return { expected, actual };
}
