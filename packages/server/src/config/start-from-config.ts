import type { ServerConfig } from './load-config.js';
import { ZkServer } from '../zk-server.js';
import { QuorumServer, type EnsembleMember } from '../ensemble/quorum-server.js';
import type { ZkServerOptions } from '../server-options.js';
import type { EnsembleStorage } from '../ensemble/ensemble-state.js';
import { FileEnsembleStorage } from '../ensemble/file-ensemble-storage.js';

/** A started server of either kind, as the CLI drives it. */
export interface RunningServer {
  /** `standalone`, `leader`, `follower`, `observer` or `looking`. */
  readonly mode: string;
  readonly tcpPort: number;
  readonly wsPort: number | undefined;
  /** The bound HTTP admin port, when `admin.serverPort` is set (ensemble members). */
  readonly adminPort?: number | undefined;
  stop(): Promise<void>;
}

/** The client-side options a zoo.cfg sets, in zkts's names. */
export function clientOptionsFromConfig(config: ServerConfig): ZkServerOptions {
  const self = config.servers.find((server) => server.id === config.myid);
  const tcpPort = config.clientPort ?? self?.clientPort ?? 2181;
  const options: ZkServerOptions = {
    host: config.clientPortAddress ?? self?.clientHost ?? '0.0.0.0',
    tcpPort,
    wsPort: config.wsPort ?? null,
    tickTimeMs: config.tickTimeMs,
    maxClientConnections: config.maxClientCnxns,
    extendedTypesEnabled: config.extendedTypesEnabled,
    fourLetterWordWhitelist: config.fourLetterWordWhitelist,
  };
  if (config.minSessionTimeoutMs !== undefined) options.minSessionTimeoutMs = config.minSessionTimeoutMs;
  if (config.maxSessionTimeoutMs !== undefined) options.maxSessionTimeoutMs = config.maxSessionTimeoutMs;
  if (config.maxFrameBytes !== undefined) options.maxFrameBytes = config.maxFrameBytes;
  if (config.superDigest !== undefined) options.superDigest = config.superDigest;
  if (config.dataDir !== undefined) options.dataDir = config.dataDir;
  if (config.dataLogDir !== undefined) options.dataLogDir = config.dataLogDir;
  options.forceSync = config.forceSync;
  options.snapCount = config.snapCount;
  options.snapRetainCount = config.snapRetainCount;
  options.purgeIntervalHours = config.purgeIntervalHours;
  return options;
}

/**
 * Starts what a zoo.cfg describes: a standalone server without `server.N`
 * lines, otherwise this member (`myid`) of the ensemble.
 */
export async function startFromConfig(config: ServerConfig, storage?: EnsembleStorage): Promise<RunningServer> {
  const clientOptions = clientOptionsFromConfig(config);
  if (config.servers.length === 0) {
    const server = new ZkServer({ ...clientOptions, serverId: 1, ...(config.adminPort === undefined ? {} : { adminPort: config.adminPort }) });
    await server.start();
    return { mode: 'standalone', tcpPort: server.tcpPort, wsPort: server.wsPort, adminPort: server.adminPort, stop: () => server.stop() };
  }
  const members: EnsembleMember[] = config.servers.map((server) => ({
    id: server.id,
    host: server.host,
    quorumPort: server.quorumPort,
    role: server.role,
  }));
  const ensembleStorage =
    storage ??
    (config.dataDir === undefined
      ? undefined
      : await FileEnsembleStorage.open({
          dataDir: config.dataDir,
          ...(config.dataLogDir === undefined ? {} : { dataLogDir: config.dataLogDir }),
          forceSync: config.forceSync,
        }));
  const server = new QuorumServer({
    ...clientOptions,
    serverId: config.myid,
    members,
    initLimit: config.initLimit,
    ...(config.adminPort === undefined ? {} : { adminPort: config.adminPort }),
    syncLimit: config.syncLimit,
    ...(ensembleStorage === undefined ? {} : { storage: ensembleStorage }),
  });
  await server.start();
  return {
    get mode() {
      return server.mode;
    },
    tcpPort: server.tcpPort,
    wsPort: server.wsPort,
    adminPort: server.adminPort,
    stop: () => server.stop(),
  };
}
