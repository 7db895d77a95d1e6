/**
 * Plain TypeScript shapes of the jute records in `zookeeper.jute`.
 * 64-bit jute `long`s are `bigint` because session ids use all 64 bits.
 * @module
 */

/** An ACL identity: a scheme and an id within it (`world:anyone`, `digest:user:hash`, `ip:10.0.0.0/8`). */
export interface Id {
  scheme: string;
  id: string;
}

/** One access-control entry: the permission bits granted to an identity. */
export interface ACL {
  perms: number;
  id: Id;
}

/** A znode's metadata, exactly the eleven fields of ZooKeeper's Stat. */
export interface Stat {
  czxid: bigint;
  mzxid: bigint;
  ctime: bigint;
  mtime: bigint;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  dataLength: number;
  numChildren: number;
  pzxid: bigint;
}

/** The first frame a client sends. `readOnly` is the trailing flag that 3.4+ clients append. */
export interface ConnectRequest {
  protocolVersion: number;
  lastZxidSeen: bigint;
  timeOut: number;
  sessionId: bigint;
  passwd: Uint8Array;
  readOnly: boolean;
}

/** The server's answer to a connect request. A `timeOut` of 0 or less means the session expired. */
export interface ConnectResponse {
  protocolVersion: number;
  timeOut: number;
  sessionId: bigint;
  passwd: Uint8Array;
  readOnly: boolean;
}

/** The header of every request after the handshake. */
export interface RequestHeader {
  xid: number;
  type: number;
}

/** The header of every reply and notification. */
export interface ReplyHeader {
  xid: number;
  zxid: bigint;
  err: number;
}

/** A watch notification body (xid −1). */
export interface WatcherEvent {
  type: number;
  state: number;
  path: string;
}
