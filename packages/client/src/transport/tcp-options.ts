/** Options of the TCP transport. */
export interface TcpTransportOptions {
  /** Largest frame accepted from the server (ZooKeeper's client `jute.maxbuffer`); a bigger one ends the connection. */
  readonly maxFrameBytes: number;
}
