/**
 * ZooKeeper's numeric constants, with the values of `ZooDefs.java`,
 * `KeeperException.java`, `Watcher.java` and `CreateMode.java` (ZooKeeper 3.8).
 * @module
 */

/** Request types (`ZooDefs.OpCode`). */
export const OpCode = {
  notification: 0,
  create: 1,
  delete: 2,
  exists: 3,
  getData: 4,
  setData: 5,
  getACL: 6,
  setACL: 7,
  getChildren: 8,
  sync: 9,
  ping: 11,
  getChildren2: 12,
  check: 13,
  multi: 14,
  create2: 15,
  reconfig: 16,
  checkWatches: 17,
  removeWatches: 18,
  createContainer: 19,
  deleteContainer: 20,
  createTTL: 21,
  multiRead: 22,
  auth: 100,
  setWatches: 101,
  sasl: 102,
  getEphemerals: 103,
  getAllChildrenNumber: 104,
  setWatches2: 105,
  addWatch: 106,
  whoAmI: 107,
  createSession: -10,
  closeSession: -11,
  error: -1,
} as const;
/** A request type value. */
export type OpCode = (typeof OpCode)[keyof typeof OpCode];

/** Error codes (`KeeperException.Code`), keyed by the names users see on `ZkError.code`. */
export const ErrorCode = {
  OK: 0,
  SYSTEM_ERROR: -1,
  RUNTIME_INCONSISTENCY: -2,
  DATA_INCONSISTENCY: -3,
  CONNECTION_LOSS: -4,
  MARSHALLING_ERROR: -5,
  UNIMPLEMENTED: -6,
  OPERATION_TIMEOUT: -7,
  BAD_ARGUMENTS: -8,
  UNKNOWN_SESSION: -12,
  NEW_CONFIG_NO_QUORUM: -13,
  RECONFIG_IN_PROGRESS: -14,
  API_ERROR: -100,
  NO_NODE: -101,
  NO_AUTH: -102,
  BAD_VERSION: -103,
  NO_CHILDREN_FOR_EPHEMERALS: -108,
  NODE_EXISTS: -110,
  NOT_EMPTY: -111,
  SESSION_EXPIRED: -112,
  INVALID_CALLBACK: -113,
  INVALID_ACL: -114,
  AUTH_FAILED: -115,
  SESSION_MOVED: -118,
  NOT_READONLY: -119,
  EPHEMERAL_ON_LOCAL_SESSION: -120,
  NO_WATCHER: -121,
  REQUEST_TIMEOUT: -122,
  RECONFIG_DISABLED: -123,
  SESSION_CLOSED_REQUIRE_SASL_AUTH: -124,
  QUOTA_EXCEEDED: -125,
  THROTTLED_OP: -127,
} as const;
/** The name of an error code, such as `NO_NODE`. */
export type ErrorCodeName = keyof typeof ErrorCode;
/** A numeric error code value. */
export type ErrorCode = (typeof ErrorCode)[ErrorCodeName];

const errorNamesByCode = new Map<number, ErrorCodeName>(
  Object.entries(ErrorCode).map(([name, code]) => [code, name as ErrorCodeName]),
);

/** Returns the name of a numeric error code, or `undefined` if ZooKeeper defines no such code. */
export function errorCodeName(code: number): ErrorCodeName | undefined {
  return errorNamesByCode.get(code);
}

/** Create modes (`CreateMode.toFlag()`), the `flags` field of create requests. */
export const CreateMode = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
} as const;
/** A create mode flag value. */
export type CreateMode = (typeof CreateMode)[keyof typeof CreateMode];

/** Watch event types (`Watcher.Event.EventType`). */
export const EventType = {
  None: -1,
  NodeCreated: 1,
  NodeDeleted: 2,
  NodeDataChanged: 3,
  NodeChildrenChanged: 4,
  DataWatchRemoved: 5,
  ChildWatchRemoved: 6,
  PersistentWatchRemoved: 7,
} as const;
/** A watch event type value. */
export type EventType = (typeof EventType)[keyof typeof EventType];

/** Session states carried by watch events (`Watcher.Event.KeeperState`). */
export const KeeperState = {
  Unknown: -1,
  Disconnected: 0,
  NoSyncConnected: 1,
  SyncConnected: 3,
  AuthFailed: 4,
  ConnectedReadOnly: 5,
  SaslAuthenticated: 6,
  Expired: -112,
  Closed: 7,
} as const;
/** A keeper state value. */
export type KeeperState = (typeof KeeperState)[keyof typeof KeeperState];

/** ACL permission bits (`ZooDefs.Perms`). */
export const Perms = {
  READ: 1,
  WRITE: 2,
  CREATE: 4,
  DELETE: 8,
  ADMIN: 16,
  ALL: 31,
} as const;

/** Modes of the addWatch request (`AddWatchMode`). */
export const AddWatchMode = {
  PERSISTENT: 0,
  PERSISTENT_RECURSIVE: 1,
} as const;
/** An addWatch mode value. */
export type AddWatchMode = (typeof AddWatchMode)[keyof typeof AddWatchMode];

/**
 * Watcher types of checkWatches and removeWatches (`Watcher.WatcherType`). ZooKeeper 3.8 knows
 * Children, Data and Any; Persistent and PersistentRecursive were added in 3.9, which 3.8
 * servers reject.
 */
export const WatcherType = {
  Children: 1,
  Data: 2,
  Any: 3,
  Persistent: 4,
  PersistentRecursive: 5,
} as const;
/** A watcher type value. */
export type WatcherType = (typeof WatcherType)[keyof typeof WatcherType];

/** Reserved xids that mark non-request traffic (`ClientCnxn`): replies to these carry no request's xid. */
export const SpecialXid = {
  NOTIFICATION: -1,
  PING: -2,
  AUTH: -4,
  SET_WATCHES: -8,
} as const;

/** Default maximum frame length: `jute.maxbuffer`, 1 MiB − 1. */
export const DEFAULT_MAX_FRAME_BYTES = 0xfffff;

/** The protocol version a 3.x client sends in its connect request. */
export const PROTOCOL_VERSION = 0;

/** Types of the packets quorum peers exchange (`Leader.java`), the `type` of a QuorumPacket. */
export const QuorumPacketType = {
  REQUEST: 1,
  PROPOSAL: 2,
  ACK: 3,
  COMMIT: 4,
  PING: 5,
  REVALIDATE: 6,
  SYNC: 7,
  INFORM: 8,
  COMMITANDACTIVATE: 9,
  NEWLEADER: 10,
  FOLLOWERINFO: 11,
  UPTODATE: 12,
  DIFF: 13,
  TRUNC: 14,
  SNAP: 15,
  OBSERVERINFO: 16,
  LEADERINFO: 17,
  ACKEPOCH: 18,
  INFORMANDACTIVATE: 19,
} as const;
/** A quorum packet type value. */
export type QuorumPacketType = (typeof QuorumPacketType)[keyof typeof QuorumPacketType];

/** FileHeader magic of a transaction log: the bytes "ZKLG" as a big-endian int (`FileTxnLog.TXNLOG_MAGIC`). */
export const TXNLOG_MAGIC = 0x5a4b4c47;

/** FileHeader magic of a snapshot: the bytes "ZKSN" as a big-endian int (`FileSnap.SNAP_MAGIC`). */
export const SNAP_MAGIC = 0x5a4b534e;

/** FileHeader version of transaction logs and snapshots (`FileTxnLog.VERSION`). */
export const FILE_FORMAT_VERSION = 2;
