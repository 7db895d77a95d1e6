/**
 * The znode tree: a pure, deterministic model of ZooKeeper's DataTree with its
 * request checks, watches, ACLs, digest and snapshot support.
 * @module
 */

export {
  type CloseSessionResult,
  type CreateResult,
  DataTree,
  type DataTreeOptions,
  type EventsResult,
  type StatResult,
  type TreeMultiResult,
} from './data-tree.js';
export type {
  CreateSpec,
  PersistedStat,
  SnapshotNode,
  TreeMultiOp,
  TreeMultiOpResult,
  TxnContext,
  WatchDelivery,
} from './tree-types.js';
export {
  type AclSchemeProvider,
  type AuthContext,
  CREATOR_ALL_ACL,
  checkAcl,
  DEFAULT_ACL_SCHEME_PROVIDERS,
  digestSchemeProvider,
  fixupAcl,
  hasPermission,
  ipSchemeProvider,
  isSuperUser,
  OPEN_ACL_UNSAFE,
  READ_ACL_UNSAFE,
  redactDigestIds,
} from './acl.js';
export {
  CONTAINER_EPHEMERAL_OWNER,
  type EphemeralType,
  ephemeralTypeOf,
  MAX_TTL_MS,
  ttlEphemeralOwner,
  ttlOf,
} from './ephemeral-type.js';
export { ipMatches, isValidIpAcl } from './ip-address.js';
export { type NodeZxids, type ReconnectWatchLists, type ReconnectWatchPlan, watchesForReconnect } from './reconnect-watches.js';
export { formatSequenceSuffix } from './sequence-suffix.js';
export type { WatchSummary } from './watch-manager.js';
