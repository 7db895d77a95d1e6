export { ZkServer, type ZkServerEvents } from './zk-server.js';
export { type ZkServerOptions, resolveServerOptions, type ResolvedServerOptions } from './server-options.js';
export { DataTree, type DataTreeOptions } from './tree/data-tree.js';
export type { TxnContext, WatchDelivery, SnapshotNode, PersistedStat } from './tree/tree-types.js';
export type { AuthContext } from './tree/acl.js';
export { generateDigest } from './auth/auth-providers.js';
