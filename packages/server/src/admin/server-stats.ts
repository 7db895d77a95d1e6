/** One client connection as `cons` and `stat` report it. */
export interface ConnectionStats {
  remoteAddress: string;
  remotePort: number;
  /** ZooKeeper's selector interest set: 1 while reading, 0 while throttled or answering a four-letter word. */
  interestOps: number;
  transport: 'tcp' | 'websocket';
  sessionId: bigint | undefined;
  sessionTimeoutMs: number;
  packetsReceived: number;
  packetsSent: number;
  outstandingRequests: number;
  connectedAtMs: number;
  lastOp: string;
  /** −1 until a request with a non-negative xid is answered. */
  lastCxid: number;
  lastZxid: bigint;
  lastResponseAtMs: number;
  lastLatencyMs: number;
  minLatencyMs: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
}

/** Request latencies in ms. */
export interface LatencyFigures {
  min: number;
  avg: number;
  max: number;
}

/** A server's figures, the source of the four-letter words and the admin endpoint. */
export interface ServerStats {
  mode: 'standalone' | 'leader' | 'follower' | 'observer' | 'looking';
  zxid: number;
  nodeCount: number;
  sessionCount: number;
  connectionCount: number;
  packetsReceived: number;
  packetsSent: number;
  outstandingRequests: number;
  uptimeMs: number;
  watchCount: number;
  ephemeralCount: number;
  /** Σ path length + data length over all znodes (`zk_approximate_data_size`). */
  approximateDataSize: number;
  latency: LatencyFigures;
  connections: ConnectionStats[];
}

/** The settings `conf` prints. */
export interface ServerConfigFigures {
  clientPort: number;
  dataDir: string | undefined;
  dataLogDir: string | undefined;
  tickTimeMs: number;
  maxClientConnections: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  serverId: number;
}

/** Data-watch counts as `wchs` prints them. */
export interface WatchCounts {
  connections: number;
  paths: number;
  watches: number;
}

/** Everything the four-letter words read from a running server. */
export interface AdminView {
  stats(): ServerStats;
  config(): ServerConfigFigures;
  /** Standard data watches (ZooKeeper's `wchs`, `wchc` and `wchp` report that table only). */
  watchCounts(): WatchCounts;
  /** Watched paths per session. */
  watchesBySession(): Map<bigint, string[]>;
  /** Watching sessions per path. */
  watchesByPath(): Map<string, bigint[]>;
  /** Sessions grouped by the time their expiry bucket falls due. */
  sessionExpiries(): Map<number, bigint[]>;
  /** Ephemeral paths per session. */
  ephemeralsBySession(): Map<bigint, string[]>;
  /** Resets the server-wide counters (`srst`). */
  resetServerStats(): void;
  /** Resets every connection's counters (`crst`). */
  resetConnectionStats(): void;
}
