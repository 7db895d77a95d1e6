/** One client connection as `cons` reports it. */
export interface ConnectionStats {
  remoteAddress: string;
  transport: 'tcp' | 'websocket';
  sessionId: bigint | undefined;
  sessionTimeoutMs: number;
  packetsReceived: number;
  packetsSent: number;
  outstandingRequests: number;
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
  connections: ConnectionStats[];
}
