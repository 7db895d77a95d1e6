/**
 * `@zkts/server`: a ZooKeeper 3.8-compatible server. {@link ZkServer} runs one standalone,
 * {@link QuorumServer} one member of an ensemble replicated with ZAB, {@link startEnsemble} a whole
 * ensemble inside this process (for tests), and {@link startFromConfig} what a `zoo.cfg` describes.
 * Without a `dataDir` a server keeps its data in memory; with one it logs every write durably and
 * recovers from its snapshots and log ({@link FileStorage}).
 *
 * ```ts
 * import { ZkServer } from '@zkts/server';
 * const server = new ZkServer({ tcpPort: 0, dataDir: './data' });
 * await server.start();
 * console.log(server.connectString); // 127.0.0.1:<port>
 * await server.stop();
 * ```
 * @module
 */
export { ZkServer, type ZkServerEvents } from './zk-server.js';
export { type ZkServerOptions, resolveServerOptions, type ResolvedServerOptions } from './server-options.js';
export { DataTree, type DataTreeOptions } from './tree/data-tree.js';
export type { TxnContext, WatchDelivery, SnapshotNode, PersistedStat } from './tree/tree-types.js';
export type { AuthContext } from './tree/acl.js';
export { generateDigest } from './auth/auth-providers.js';
export { loadServerConfig, type ServerConfig } from './config/load-config.js';
export { parseZooConfig, parseServerLine, ConfigError, type ZooConfig, type QuorumServerSpec } from './config/zoo-cfg.js';
export { QuorumServer, type QuorumServerOptions, type EnsembleMember, type ServerMode, type QuorumServerEvents } from './ensemble/quorum-server.js';
export { startEnsemble, EmbeddedEnsemble, type EmbeddedEnsembleOptions } from './ensemble/embedded-ensemble.js';
export { MemoryEnsembleStorage, type EnsembleStorage, type RecoveredEnsembleState } from './ensemble/ensemble-state.js';
export { startFromConfig, clientOptionsFromConfig, type RunningServer } from './config/start-from-config.js';
export { FileStorage, type FileStorageOptions } from './storage/file-storage.js';
export { MemoryStorage } from './storage/memory-storage.js';
export { FaultyStorage } from './storage/faulty-storage.js';
export type { Storage, LogRecord, SnapshotInfo, StorageStats } from './storage/storage.js';
export { StorageError } from './storage/storage-error.js';
export { encodeTxn, decodeTxn, TxnCodecError } from './storage/txn-codec.js';
export { recoverDatabase, type RecoverOptions, type RecoveredDatabase } from './storage/recover.js';
export { startAutoPurge } from './storage/purge.js';
export { formatTxnLog } from './storage/format-txn-log.js';
export { formatSnapshot } from './storage/format-snapshot.js';
export { FileEnsembleStorage } from './ensemble/file-ensemble-storage.js';
export type { Txn, TxnRequest, Replicator } from './replication/replicator.js';
export { ZkDatabase, type TxnOutcome } from './database/zk-database.js';
export type { DurabilityOptions } from './server-options.js';
export type { ServerStats, ConnectionStats, AdminView, ServerConfigFigures } from './admin/server-stats.js';
export { AdminHttpServer, type AdminCommandHandler } from './admin/admin-http-server.js';
export type { AclSchemeProvider } from './tree/acl.js';
export type { CloseSessionResult, CreateResult, EventsResult, StatResult, TreeMultiResult } from './tree/data-tree.js';
export type { TreeMultiOp, TreeMultiOpResult, CreateSpec } from './tree/tree-types.js';
export type { ReconnectWatchLists } from './tree/reconnect-watches.js';
export type { WatchSummary } from './tree/watch-manager.js';
export type { LatencyFigures, WatchCounts } from './admin/server-stats.js';
export { FaultyFs } from './storage/faulty-fs.js';
export type { FaultyStorageOptions } from './storage/faulty-storage.js';
export { MemoryFs, type CrashMode } from './storage/memory-fs.js';
export type { MemoryStorageOptions } from './storage/memory-storage.js';
export type { EpochName } from './storage/file-names.js';
export type { StorageFs } from './storage/storage-fs.js';
export type { StorageErrorCode } from './storage/storage-error.js';
export type { OpenReport, PurgeResult, RestoredSnapshot } from './storage/storage.js';
export type { LoadedSnapshot, SnapshotContents } from './storage/snapshot-format.js';
export type { AutoPurgeOptions, AutoPurgeTask } from './storage/purge.js';
export type { FormatSnapshotOptions } from './storage/format-snapshot.js';
export type { FormatTxnLogOptions } from './storage/format-txn-log.js';
export type { FaultStats, FaultOptions } from './storage/faulty-fs.js';
export type { MemoryFsStats, CrashRng } from './storage/memory-fs.js';
export type { ReadableFile, WritableFile } from './storage/storage-fs.js';
