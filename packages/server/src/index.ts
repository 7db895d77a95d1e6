export { ZkServer, type ZkServerEvents } from './zk-server.js';
export { type ZkServerOptions, resolveServerOptions, type ResolvedServerOptions } from './server-options.js';
export { DataTree, type DataTreeOptions } from './tree/data-tree.js';
export type { TxnContext, WatchDelivery, SnapshotNode, PersistedStat } from './tree/tree-types.js';
export type { AuthContext } from './tree/acl.js';
export { generateDigest } from './auth/auth-providers.js';
export { loadServerConfig, type ServerConfig } from './config/load-config.js';
export { parseZooConfig, parseServerLine, ConfigError, type ZooConfig, type QuorumServerSpec } from './config/zoo-cfg.js';
