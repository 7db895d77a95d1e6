/**
 * Plain TypeScript shapes of the session-level jute records of `zookeeper.jute` (3.8):
 * ACL data, Stat, connect handshake, headers, notifications and the auth/setWatches packets.
 * Field names and order are jute's. 64-bit jute `long`s are `bigint` because session ids use
 * all 64 bits. Jute `buffer` fields may be subarrays of a decoded frame (see {@link JuteReader}).
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
  /**
   * Set when the frame had no trailing `readOnly` flag (clients before 3.4); the encoder then
   * leaves it out too. Decoders set it only when true, so it is normally absent.
   */
  readOnlyOmitted?: boolean;
}

/** The server's answer to a connect request. A `timeOut` of 0 or less means the session expired. */
export interface ConnectResponse {
  protocolVersion: number;
  timeOut: number;
  sessionId: bigint;
  passwd: Uint8Array;
  readOnly: boolean;
  /**
   * Set when the frame had no trailing `readOnly` flag: a server before 3.4 sent it, or
   * ZooKeeper answered a client whose request had none. Decoders set it only when true.
   */
  readOnlyOmitted?: boolean;
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

/** Stat as the server persists it in snapshots: Stat without `dataLength` and `numChildren`. */
export interface StatPersisted {
  czxid: bigint;
  mzxid: bigint;
  ctime: bigint;
  mtime: bigint;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  pzxid: bigint;
}

/** One authenticated identity of a session, as whoAmI reports it. */
export interface ClientInfo {
  authScheme: string;
  user: string;
}

/** Frames each op inside multi and multiRead requests and responses. */
export interface MultiHeader {
  type: number;
  done: boolean;
  err: number;
}

/** The addAuth request (op `auth`, xid −4): `type` is always 0 in ZooKeeper's clients. */
export interface AuthPacket {
  type: number;
  scheme: string;
  auth: Uint8Array | null;
}

/** Re-registers watches after reconnecting (op `setWatches`, xid −8). */
export interface SetWatches {
  relativeZxid: bigint;
  dataWatches: string[];
  existWatches: string[];
  childWatches: string[];
}

/** SetWatches plus persistent watches (op `setWatches2`, xid −8), sent by 3.6+ clients. */
export interface SetWatches2 {
  relativeZxid: bigint;
  dataWatches: string[];
  existWatches: string[];
  childWatches: string[];
  persistentWatches: string[];
  persistentRecursiveWatches: string[];
}
