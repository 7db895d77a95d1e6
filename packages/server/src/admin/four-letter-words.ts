import { hostname, userInfo, type, arch, release, freemem, totalmem } from 'node:os';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AdminView, ConnectionStats, ServerStats } from './server-stats.js';

/** The version string the `srvr`, `stat`, `mntr` and `envi` words report. */
export const ZKTS_VERSION = 'zkts 0.1.0 (ZooKeeper 3.8 protocol)';

/**
 * Every word ZooKeeper 3.8 recognizes (FourLetterCommands). A connection whose
 * first four bytes spell one of them gets a text answer; any other bytes are
 * the length prefix of a frame, whatever letters they spell.
 */
export const FOUR_LETTER_WORDS: ReadonlySet<string> = new Set([
  'conf', 'cons', 'crst', 'dirs', 'dump', 'envi', 'gtmk', 'ruok', 'stmk', 'srst', 'srvr', 'stat', 'wchc', 'wchp', 'wchs', 'mntr', 'isro', 'hash',
]);

/** The words zkts answers; the others are known but never enabled, as if left out of the whitelist. */
const ANSWERED_WORDS: ReadonlySet<string> = new Set([
  'conf', 'cons', 'crst', 'dirs', 'dump', 'envi', 'ruok', 'srst', 'srvr', 'stat', 'wchc', 'wchp', 'wchs', 'mntr', 'isro',
]);

function hex(value: number | bigint): string {
  return `0x${BigInt.asUintN(64, BigInt(value)).toString(16)}`;
}

/** Java's `"" + double` for a value rounded to 4 places: `0.0`, `4.3333`. */
function javaDouble(value: number): string {
  const rounded = Math.round(value * 10_000) / 10_000;
  return Number.isInteger(rounded) ? rounded.toFixed(1) : String(rounded);
}

/** `java.util.Date.toString()` in UTC: `Sun Nov 22 04:51:55 UTC 2026`. */
function javaDate(ms: number): string {
  const date = new Date(ms);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][date.getUTCDay()]!;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][date.getUTCMonth()]!;
  const two = (n: number): string => String(n).padStart(2, '0');
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${day} ${month} ${two(date.getUTCDate())} ${time} UTC ${date.getUTCFullYear()}`;
}

/** ServerCnxn.dumpConnectionInfo: brief for `stat`, full for `cons` (sessionless connections stay brief). */
function connectionLine(c: ConnectionStats, brief: boolean): string {
  let line = ` /${c.remoteAddress}:${c.remotePort}[${c.interestOps}](queued=${c.outstandingRequests},recved=${c.packetsReceived},sent=${c.packetsSent}`;
  if (!brief && c.sessionId !== undefined) {
    line +=
      `,sid=${hex(c.sessionId)},lop=${c.lastOp},est=${c.connectedAtMs},to=${c.sessionTimeoutMs}` +
      (c.lastCxid >= 0 ? `,lcxid=${hex(c.lastCxid)}` : '') +
      `,lzxid=${hex(c.lastZxid)},lresp=${c.lastResponseAtMs},llat=${c.lastLatencyMs}` +
      `,minlat=${c.minLatencyMs},avglat=${Math.trunc(c.avgLatencyMs)},maxlat=${c.maxLatencyMs}`;
  }
  return `${line})\n`;
}

function serverSummary(stats: ServerStats): string {
  return (
    `Latency min/avg/max: ${stats.latency.min}/${javaDouble(stats.latency.avg)}/${stats.latency.max}\n` +
    `Received: ${stats.packetsReceived}\n` +
    `Sent: ${stats.packetsSent}\n` +
    `Connections: ${stats.connectionCount}\n` +
    `Outstanding: ${stats.outstandingRequests}\n` +
    `Zxid: ${hex(stats.zxid)}\n` +
    `Mode: ${stats.mode}\n` +
    `Node count: ${stats.nodeCount}\n`
  );
}

/** Bytes of the files under `dir` (ZooKeeper's getDataDirSize/getLogDirSize); 0 without a directory. */
function directoryBytes(dir: string | undefined): number {
  if (dir === undefined) return 0;
  let total = 0;
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) total += directoryBytes(path);
      else if (entry.isFile()) total += statSync(path).size;
    }
  } catch {
    // A directory removed or unreadable while we look counts as empty.
  }
  return total;
}

function openFileDescriptorCount(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

function mntr(view: AdminView): string {
  const stats = view.stats();
  const fds = openFileDescriptorCount();
  const rows: [string, string | number][] = [
    ['zk_version', ZKTS_VERSION],
    ['zk_server_state', stats.mode],
    ['zk_ephemerals_count', stats.ephemeralCount],
    ['zk_num_alive_connections', stats.connectionCount],
    ['zk_avg_latency', javaDouble(stats.latency.avg)],
    ['zk_outstanding_requests', stats.outstandingRequests],
    ['zk_znode_count', stats.nodeCount],
    ['zk_global_sessions', stats.sessionCount],
    ['zk_packets_sent', stats.packetsSent],
    ['zk_packets_received', stats.packetsReceived],
    ['zk_max_latency', stats.latency.max],
    ['zk_min_latency', stats.latency.min],
    ['zk_watch_count', stats.watchCount],
    ['zk_approximate_data_size', stats.approximateDataSize],
    ['zk_uptime', stats.uptimeMs],
    ...(fds === undefined ? [] : ([['zk_open_file_descriptor_count', fds]] as [string, number][])),
  ];
  return rows.map(([key, value]) => `${key}\t${value}\n`).join('');
}

function conf(view: AdminView): string {
  const c = view.config();
  return (
    `clientPort=${c.clientPort}\n` +
    'secureClientPort=-1\n' +
    `dataDir=${c.dataDir ?? ''}\n` +
    `dataDirSize=${directoryBytes(c.dataDir)}\n` +
    `dataLogDir=${c.dataLogDir ?? ''}\n` +
    `dataLogSize=${directoryBytes(c.dataLogDir)}\n` +
    `tickTime=${c.tickTimeMs}\n` +
    `maxClientCnxns=${c.maxClientConnections}\n` +
    `minSessionTimeout=${c.minSessionTimeoutMs}\n` +
    `maxSessionTimeout=${c.maxSessionTimeoutMs}\n` +
    'clientPortListenBacklog=-1\n' +
    `serverId=${c.serverId}\n`
  );
}

function envi(): string {
  const user = userInfo();
  const rows: [string, string | number][] = [
    ['zookeeper.version', ZKTS_VERSION],
    ['host.name', hostname()],
    ['node.version', process.version],
    ['os.name', type()],
    ['os.arch', arch()],
    ['os.version', release()],
    ['user.name', user.username],
    ['user.home', user.homedir],
    ['user.dir', process.cwd()],
    ['os.memory.free', `${Math.round(freemem() / 1024 / 1024)}MB`],
    ['os.memory.total', `${Math.round(totalmem() / 1024 / 1024)}MB`],
  ];
  return `Environment:\n${rows.map(([key, value]) => `${key}=${value}\n`).join('')}`;
}

function dump(view: AdminView): string {
  const expiries = [...view.sessionExpiries()].sort(([a], [b]) => a - b);
  const sessionCount = expiries.reduce((sum, [, ids]) => sum + ids.length, 0);
  let text = `SessionTracker dump:\nSession Sets (${expiries.length})/(${sessionCount}):\n`;
  for (const [atMs, ids] of expiries) {
    text += `${ids.length} expire at ${javaDate(atMs)}:\n${ids.map((id) => `\t${hex(id)}\n`).join('')}`;
  }
  const ephemerals = view.ephemeralsBySession();
  text += `ephemeral nodes dump:\nSessions with Ephemerals (${ephemerals.size}):\n`;
  for (const [sessionId, paths] of ephemerals) text += `${hex(sessionId)}:\n${paths.map((p) => `\t${p}\n`).join('')}`;
  const connections = view.stats().connections;
  text += `Connections dump:\nConnections Sets (1)/(${connections.length}):\n${connections.length} connections:\n`;
  for (const c of connections) text += `\tip: /${c.remoteAddress}:${c.remotePort} sessionId: ${hex(c.sessionId ?? 0n)}\n`;
  return text;
}

/**
 * Answers a four-letter word in ZooKeeper's format, so scripts written for
 * `echo srvr | nc` keep working. Returns undefined for bytes that are no
 * word ZooKeeper knows (they are then a frame length), and ZooKeeper's
 * refusal for known words that are not enabled.
 */
export function answerFourLetterWord(word: string, view: AdminView, whitelist: readonly string[] = ['*']): string | undefined {
  if (!FOUR_LETTER_WORDS.has(word)) return undefined;
  const enabled = ANSWERED_WORDS.has(word) && (whitelist.includes('*') || whitelist.includes(word));
  if (!enabled) return `${word} is not executed because it is not in the whitelist.\n`;
  switch (word) {
    case 'ruok':
      return 'imok';
    case 'isro':
      return 'rw';
    case 'srvr':
      return `Zookeeper version: ${ZKTS_VERSION}\n${serverSummary(view.stats())}`;
    case 'stat': {
      const stats = view.stats();
      const clients = stats.connections.map((c) => connectionLine(c, true)).join('');
      return `Zookeeper version: ${ZKTS_VERSION}\nClients:\n${clients}\n${serverSummary(stats)}`;
    }
    case 'cons':
      return `${view.stats().connections.map((c) => connectionLine(c, false)).join('')}\n`;
    case 'wchs': {
      const counts = view.watchCounts();
      return `${counts.connections} connections watching ${counts.paths} paths\nTotal watches:${counts.watches}\n`;
    }
    case 'wchc': {
      let text = '';
      for (const [sessionId, paths] of view.watchesBySession()) text += `${hex(sessionId)}\n${paths.map((p) => `\t${p}\n`).join('')}`;
      return `${text}\n`;
    }
    case 'wchp': {
      let text = '';
      for (const [path, sessions] of view.watchesByPath()) text += `${path}\n${sessions.map((id) => `\t${hex(id)}\n`).join('')}`;
      return `${text}\n`;
    }
    case 'mntr':
      return mntr(view);
    case 'conf':
      return conf(view);
    case 'envi':
      return envi();
    case 'dirs': {
      const c = view.config();
      return `datadir_size: ${directoryBytes(c.dataDir)}\nlogdir_size: ${directoryBytes(c.dataLogDir)}\n`;
    }
    case 'dump':
      return dump(view);
    case 'srst':
      view.resetServerStats();
      return 'Server stats reset.\n';
    case 'crst':
      view.resetConnectionStats();
      return 'Connection stats reset.\n';
    default:
      return undefined;
  }
}

/**
 * The TCP listener's hook for one server: for a known word, a function that
 * answers it from a fresh view of the server and counts it as a packet; for
 * anything else, undefined (the bytes are then read as a frame length).
 */
export function fourLetterWordResponder(
  word: string,
  view: () => AdminView,
  whitelist: readonly string[],
  countWord: () => void,
): (() => string) | undefined {
  if (!FOUR_LETTER_WORDS.has(word)) return undefined;
  return () => {
    const answer = answerFourLetterWord(word, view(), whitelist) ?? '';
    countWord();
    return answer;
  };
}
