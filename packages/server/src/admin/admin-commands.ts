import type { ServerStats } from './server-stats.js';

/** The commands the HTTP admin endpoint answers. */
export const ADMIN_COMMANDS = ['ruok', 'isro', 'srvr', 'stat', 'mntr', 'conf', 'cons', 'wchs', 'hash', 'leader'] as const;

/** What a server tells the admin endpoint about itself. */
export interface AdminFacts {
  stats: ServerStats;
  serverId: number;
  zxid: number;
  digest: string;
  tickTimeMs: number;
  clientPort: number | undefined;
  /** Ensemble members only. */
  epoch?: number;
  leaderId?: number | undefined;
  isLeader?: boolean;
}

/**
 * Answers an admin command with the figures of the matching four-letter word,
 * as JSON-able fields named like ZooKeeper's AdminServer output.
 */
export function answerAdminCommand(command: string, facts: AdminFacts): Record<string, unknown> | undefined {
  const { stats } = facts;
  switch (command) {
    case 'ruok':
      return {};
    case 'isro':
      return { read_only: false };
    case 'hash':
      return { digests: [{ zxid: facts.zxid, digest: facts.digest }] };
    case 'leader':
      return { is_leader: facts.isLeader ?? stats.mode === 'standalone', leader_id: facts.leaderId ?? null, epoch: facts.epoch ?? 0 };
    case 'stat':
    case 'srvr':
    case 'mntr':
    case 'cons':
    case 'wchs':
    case 'conf':
      return {
        server_id: facts.serverId,
        server_state: stats.mode,
        zxid: facts.zxid,
        epoch: facts.epoch ?? 0,
        znode_count: stats.nodeCount,
        watch_count: stats.watchCount,
        ephemerals_count: stats.ephemeralCount,
        global_sessions: stats.sessionCount,
        num_alive_connections: stats.connectionCount,
        outstanding_requests: stats.outstandingRequests,
        packets_received: stats.packetsReceived,
        packets_sent: stats.packetsSent,
        uptime: stats.uptimeMs,
        tick_time: facts.tickTimeMs,
        client_port: facts.clientPort,
        connections: command === 'cons' ? stats.connections : undefined,
      };
    default:
      return undefined;
  }
}
