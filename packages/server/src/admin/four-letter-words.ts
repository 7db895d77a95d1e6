import type { ServerStats } from './server-stats.js';

/** The version string the `srvr` and `mntr` words report. */
export const ZKTS_VERSION = 'zkts 0.1.0 (ZooKeeper 3.8 protocol)';

function hex(zxid: number): string {
  return `0x${zxid.toString(16)}`;
}

function connectionLines(stats: ServerStats): string {
  return stats.connections
    .map((c) => ` /${c.remoteAddress}[1](queued=${c.outstandingRequests},recved=${c.packetsReceived},sent=${c.packetsSent}${c.sessionId === undefined ? '' : `,sid=0x${BigInt.asUintN(64, c.sessionId).toString(16)}`},to=${c.sessionTimeoutMs})\n`)
    .join('');
}

function serverLines(stats: ServerStats): string {
  return (
    `Zookeeper version: ${ZKTS_VERSION}\n` +
    'Latency min/avg/max: 0/0.0/0\n' +
    `Received: ${stats.packetsReceived}\n` +
    `Sent: ${stats.packetsSent}\n` +
    `Connections: ${stats.connectionCount}\n` +
    `Outstanding: ${stats.outstandingRequests}\n` +
    `Zxid: ${hex(stats.zxid)}\n` +
    `Mode: ${stats.mode}\n` +
    `Node count: ${stats.nodeCount}\n`
  );
}

/**
 * Answers ZooKeeper's four-letter words in ZooKeeper's formats, so scripts
 * written for `echo srvr | nc` keep working. Unknown words get undefined.
 */
export function answerFourLetterWord(word: string, stats: ServerStats): string | undefined {
  switch (word) {
    case 'ruok':
      return 'imok';
    case 'srvr':
      return serverLines(stats);
    case 'stat':
      return `Zookeeper version: ${ZKTS_VERSION}\nClients:\n${connectionLines(stats)}\n${serverLines(stats).split('\n').slice(1).join('\n')}`;
    case 'cons':
      return `${connectionLines(stats)}\n`;
    case 'isro':
      return 'rw';
    case 'wchs':
      return `${stats.connectionCount} connections watching ${stats.watchCount} paths\nTotal watches:${stats.watchCount}\n`;
    case 'mntr':
      return [
        ['zk_version', ZKTS_VERSION],
        ['zk_server_state', stats.mode],
        ['zk_packets_received', stats.packetsReceived],
        ['zk_packets_sent', stats.packetsSent],
        ['zk_num_alive_connections', stats.connectionCount],
        ['zk_outstanding_requests', stats.outstandingRequests],
        ['zk_znode_count', stats.nodeCount],
        ['zk_watch_count', stats.watchCount],
        ['zk_ephemerals_count', stats.ephemeralCount],
        ['zk_global_sessions', stats.sessionCount],
        ['zk_uptime', stats.uptimeMs],
      ]
        .map(([key, value]) => `${key}\t${value}\n`)
        .join('');
    default:
      return undefined;
  }
}
