/**
 * Starts real Apache ZooKeeper 3.8 (Debian's `zookeeper` package) on loopback ports, as a
 * standalone server or an N-server ensemble, so interop tests can run against the reference
 * implementation.
 *
 * The JVM is launched directly rather than through `zkServer.sh` so the test owns the process
 * (its pid, signals, exit) and the script's pid files, JMX flags and `/var/log` paths stay out of
 * the way. The class path is the one Debian's `zkEnv.sh` sets up: `/usr/share/java/zookeeper.jar`,
 * whose manifest `Class-Path` pulls in jute, netty, slf4j-api and the rest. We add slf4j-simple as
 * the logging binding (Debian's class path has none, so the server would log nothing) and leave
 * out `/etc/zookeeper/conf`, whose only content on the class path is an unused log4j.properties.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fourLetterWord } from './four-letter-word.js';
import { findFreePorts } from './free-ports.js';
import { pollUntil } from './poll.js';

const zookeeperJar = '/usr/share/java/zookeeper.jar';
const slf4jSimpleJar = '/usr/share/java/slf4j-simple.jar';
const host = '127.0.0.1';
const notInstalledMessage =
  'Apache ZooKeeper is not installed: run npm test (scripts/setup.mjs installs it) or apt-get install zookeeper zookeeper-bin';

/**
 * A small, quick-starting JVM: ZooKeeper under test holds a few znodes, and C1-only JIT with the
 * serial collector starts fastest on the two-core CI machine.
 */
const jvmOptions = [
  '-Xmx256m',
  '-Xms32m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-XX:-UsePerfData',
  '-XX:+ExitOnOutOfMemoryError',
  '-Xshare:auto',
  '-Djava.net.preferIPv4Stack=true',
  '-Dorg.slf4j.simpleLogger.showDateTime=true',
  '-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS',
];

/** How to start Apache ZooKeeper. */
export interface ApacheZooKeeperOptions {
  /** 1 (the default) runs a standalone server; more runs an ensemble of that many servers. */
  servers?: number;
  /** ZooKeeper's `tickTime`, the unit of its session and sync timeouts. Default 2000. */
  tickTimeMs?: number;
  /**
   * Smallest session timeout the server grants. Defaults to one tick (ZooKeeper's own default is two)
   * so tests can use short sessions.
   */
  minSessionTimeoutMs?: number;
  /** Largest session timeout the server grants. Default 60 s. */
  maxSessionTimeoutMs?: number;
  /** More `zoo.cfg` lines; they override the harness's defaults key by key. */
  extraConfig?: Record<string, string>;
  /** How long to wait for the servers to serve before failing. Default 30 s. */
  startTimeoutMs?: number;
}

/** The role a running server reports in `srvr`. */
export type ApacheZooKeeperMode = 'standalone' | 'leader' | 'follower' | 'observer';

/** One Apache ZooKeeper server process. */
export interface ApacheZooKeeperServer {
  /** The server id (`myid`); 1 for a standalone server. */
  readonly id: number;
  /** Always 127.0.0.1. */
  readonly host: string;
  /** The port clients connect to. */
  readonly clientPort: number;
  /** `host:clientPort`, a connect string naming only this server. */
  readonly connectString: string;
  /** Quorum (follower-to-leader) port; 0 for a standalone server. */
  readonly quorumPort: number;
  /** Leader election port; 0 for a standalone server. */
  readonly electionPort: number;
  /** The server's `dataDir`. */
  readonly dataDir: string;
  /** The server's `zoo.cfg`. */
  readonly configFile: string;
  /** Where the JVM's output and the server log go. */
  readonly logFile: string;
  /** The JVM's pid while it runs, else `undefined`. */
  readonly pid: number | undefined;
  /** Whether the JVM is running. */
  readonly running: boolean;
  /** Sends `signal` (default SIGKILL) to the JVM and resolves once it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts a killed server again with the same configuration and data; resolves once it serves. */
  start(): Promise<void>;
  /** Sends a four-letter word to this server and resolves with its answer. */
  fourLetterWord(word: string): Promise<string>;
  /** The mode `srvr` reports, or `undefined` while the server does not serve requests. */
  mode(): Promise<ApacheZooKeeperMode | undefined>;
  /** The last `lines` lines of the server's log, for error messages. */
  logTail(lines?: number): string;
}

/** A running standalone server or ensemble. */
export interface ApacheZooKeeper {
  /** Every server's `host:clientPort`, comma-separated. */
  readonly connectString: string;
  /** The servers, in id order. */
  readonly servers: readonly ApacheZooKeeperServer[];
  /** The `tickTime` the servers run with. */
  readonly tickTimeMs: number;
  /** The temporary directory holding every server's config, data and log. */
  readonly dir: string;
  /** Wall-clock time from launching the JVMs until all of them served. */
  readonly startupMs: number;
  /** Resolves with the server that is currently leader (the only server when standalone). */
  leader(): Promise<ApacheZooKeeperServer>;
  /** Stops every server (SIGTERM, then SIGKILL after a grace period) and removes the temporary directory. */
  stop(): Promise<void>;
}

/**
 * Starts Apache ZooKeeper on free loopback ports and resolves once every server answers `ruok`
 * with `imok` and reports its mode in `srvr` (an ensemble: exactly one leader, the rest followers).
 * Throws, never skips, when ZooKeeper is not installed.
 */
export async function startApacheZooKeeper(options: ApacheZooKeeperOptions = {}): Promise<ApacheZooKeeper> {
  assertInstalled();
  const serverCount = options.servers ?? 1;
  if (!Number.isInteger(serverCount) || serverCount < 1 || serverCount > 254) {
    throw new Error(`servers must be an integer from 1 to 254, got ${serverCount}`);
  }
  const maxAttempts = 3;
  for (let attempt = 1; ; attempt += 1) {
    const cluster = await Cluster.create(serverCount, options);
    try {
      await cluster.launchAndWait();
      return cluster;
    } catch (error) {
      const lostPortRace = cluster.servers.some((server) => /Address already in use|BindException/.test(server.logTail(200)));
      await cluster.stop();
      // Free ports are found by binding and releasing them, so a parallel test can take one first.
      if (!lostPortRace || attempt === maxAttempts) throw error;
    }
  }
}

function assertInstalled(): void {
  if (!existsSync(zookeeperJar)) throw new Error(notInstalledMessage);
}

const liveClusters = new Set<Cluster>();
let exitHooksInstalled = false;

/** Kills what is still running when the test process ends without calling `stop()`. */
function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const cluster of liveClusters) cluster.destroySync();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      for (const cluster of liveClusters) cluster.destroySync();
      process.removeListener(signal, onSignal);
      // Re-raise only when nobody else handles the signal, to keep the default of exiting.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

class Cluster implements ApacheZooKeeper {
  readonly connectString: string;
  startupMs = 0;
  #stopped = false;

  private constructor(
    readonly dir: string,
    readonly servers: readonly ServerProcess[],
    readonly tickTimeMs: number,
    private readonly startTimeoutMs: number,
  ) {
    this.connectString = servers.map((server) => server.connectString).join(',');
  }

  static async create(serverCount: number, options: ApacheZooKeeperOptions): Promise<Cluster> {
    const tickTimeMs = options.tickTimeMs ?? 2_000;
    const startTimeoutMs = options.startTimeoutMs ?? 30_000;
    const ensemble = serverCount > 1;
    const ports = await findFreePorts(ensemble ? serverCount * 3 : 1);
    const dir = mkdtempSync(join(tmpdir(), 'zkts-apache-zk-'));
    const members = Array.from({ length: serverCount }, (_, index) => ({
      id: index + 1,
      clientPort: port(ports, index * 3),
      quorumPort: ensemble ? port(ports, index * 3 + 1) : 0,
      electionPort: ensemble ? port(ports, index * 3 + 2) : 0,
    }));
    const serverLines = ensemble
      ? Object.fromEntries(members.map((m) => [`server.${m.id}`, `${host}:${m.quorumPort}:${m.electionPort};${host}:${m.clientPort}`]))
      : {};
    const servers = members.map((member) => {
      const serverDir = join(dir, `server-${member.id}`);
      const dataDir = join(serverDir, 'data');
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, 'myid'), `${member.id}\n`);
      const config: Record<string, string> = {
        tickTime: String(tickTimeMs),
        // Generous in wall-clock terms whatever the tick, since JVMs start slowly on a busy machine.
        initLimit: String(Math.max(10, Math.ceil(20_000 / tickTimeMs))),
        syncLimit: String(Math.max(5, Math.ceil(10_000 / tickTimeMs))),
        dataDir,
        clientPort: String(member.clientPort),
        clientPortAddress: host,
        minSessionTimeout: String(options.minSessionTimeoutMs ?? tickTimeMs),
        maxSessionTimeout: String(options.maxSessionTimeoutMs ?? Math.max(60_000, 20 * tickTimeMs)),
        '4lw.commands.whitelist': '*',
        'admin.enableServer': 'false',
        // Unknown keys become zookeeper.* system properties; this one enables TTL nodes.
        extendedTypesEnabled: 'true',
        standaloneEnabled: ensemble ? 'false' : 'true',
        // Test data is tiny: skip the 64 MB log preallocation and the fsync per write. Page cache
        // survives a killed process, so kill-and-restart tests still see every acknowledged write.
        preAllocSize: '1024',
        forceSync: 'no',
        ...serverLines,
        ...options.extraConfig,
      };
      const configFile = join(serverDir, 'zoo.cfg');
      writeFileSync(configFile, `${Object.entries(config).map(([key, value]) => `${key}=${value}`).join('\n')}\n`);
      return new ServerProcess(member, dataDir, configFile, join(serverDir, 'zookeeper.log'), startTimeoutMs);
    });
    return new Cluster(dir, servers, tickTimeMs, startTimeoutMs);
  }

  async launchAndWait(): Promise<void> {
    installExitHooks();
    liveClusters.add(this);
    const startedAt = performance.now();
    for (const server of this.servers) server.launch();
    await Promise.all(this.servers.map((server) => server.waitUntilServing()));
    if (this.servers.length > 1) await this.leader();
    this.startupMs = Math.round(performance.now() - startedAt);
  }

  async leader(): Promise<ServerProcess> {
    return pollUntil(
      async () => {
        const modes = await Promise.all(this.servers.map((server) => (server.running ? server.mode() : Promise.resolve(undefined))));
        const leaders = this.servers.filter((_, index) => modes[index] === 'leader' || modes[index] === 'standalone');
        return leaders.length === 1 ? leaders[0] : undefined;
      },
      {
        timeoutMs: this.startTimeoutMs,
        intervalMs: 100,
        description: `exactly one Apache ZooKeeper leader among ${this.connectString}`,
        detail: () => this.servers.map((server) => `--- server ${server.id} log tail:\n${server.logTail()}`).join('\n'),
      },
    );
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await Promise.all(this.servers.map((server) => server.stop()));
    rmSync(this.dir, { recursive: true, force: true });
    liveClusters.delete(this);
  }

  /** Synchronous last-resort cleanup for process exit, where no promise can be awaited. */
  destroySync(): void {
    for (const server of this.servers) server.killSync();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function port(ports: readonly number[], index: number): number {
  const value = ports[index];
  if (value === undefined) throw new Error(`no free port at index ${index}`);
  return value;
}

interface ServerPorts {
  id: number;
  clientPort: number;
  quorumPort: number;
  electionPort: number;
}

class ServerProcess implements ApacheZooKeeperServer {
  readonly host = host;
  readonly id: number;
  readonly clientPort: number;
  readonly quorumPort: number;
  readonly electionPort: number;
  readonly connectString: string;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #exitDescription: string | undefined;

  constructor(
    ports: ServerPorts,
    readonly dataDir: string,
    readonly configFile: string,
    readonly logFile: string,
    private readonly startTimeoutMs: number,
  ) {
    this.id = ports.id;
    this.clientPort = ports.clientPort;
    this.quorumPort = ports.quorumPort;
    this.electionPort = ports.electionPort;
    this.connectString = `${host}:${ports.clientPort}`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  launch(): void {
    if (this.#child !== undefined) throw new Error(`Apache ZooKeeper server ${this.id} is already running`);
    const logFd = openSync(this.logFile, 'a');
    const classPath = existsSync(slf4jSimpleJar) ? `${zookeeperJar}:${slf4jSimpleJar}` : zookeeperJar;
    let child: ChildProcess;
    try {
      child = spawn(
        'java',
        [...jvmOptions, `-Dzookeeper.log.dir=${this.dataDir}`, '-cp', classPath, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', this.configFile],
        { stdio: ['ignore', logFd, logFd] },
      );
    } finally {
      closeSync(logFd);
    }
    this.#child = child;
    this.#exitDescription = undefined;
    this.#exited = new Promise<void>((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        this.#exitDescription = error.code === 'ENOENT' ? `${notInstalledMessage} (no java on PATH)` : `could not start java: ${error.message}`;
        if (this.#child === child) this.#child = undefined;
        resolve();
      });
      child.once('exit', (code, signal) => {
        this.#exitDescription = `exited with ${signal ?? `code ${code}`}`;
        if (this.#child === child) this.#child = undefined;
        resolve();
      });
    });
  }

  async waitUntilServing(): Promise<void> {
    await pollUntil(
      async () => {
        if (this.#child === undefined) {
          throw new Error(`Apache ZooKeeper server ${this.id} ${this.#exitDescription ?? 'is not running'}\n${this.logTail()}`);
        }
        return this.mode();
      },
      {
        timeoutMs: this.startTimeoutMs,
        description: `Apache ZooKeeper server ${this.id} on ${this.connectString} to serve`,
        detail: () => this.logTail(),
      },
    );
  }

  async start(): Promise<void> {
    this.launch();
    await this.waitUntilServing();
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    child.kill(signal);
    await this.#exited;
  }

  /** SIGTERM first so ZooKeeper can close its sockets and files, SIGKILL if it lingers. */
  async stop(gracePeriodMs = 2_000): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), gracePeriodMs);
    try {
      await this.#exited;
    } finally {
      clearTimeout(timer);
    }
  }

  killSync(): void {
    this.#child?.kill('SIGKILL');
  }

  fourLetterWord(word: string): Promise<string> {
    return fourLetterWord(host, this.clientPort, word);
  }

  async mode(): Promise<ApacheZooKeeperMode | undefined> {
    try {
      if ((await fourLetterWord(host, this.clientPort, 'ruok', 2_000)) !== 'imok') return undefined;
      const srvr = await fourLetterWord(host, this.clientPort, 'srvr', 2_000);
      const mode = /^Mode: (standalone|leader|follower|observer)$/m.exec(srvr)?.[1];
      return mode as ApacheZooKeeperMode | undefined;
    } catch {
      // Refused or reset connections are expected while the server starts.
      return undefined;
    }
  }

  logTail(lines = 40): string {
    let text: string;
    try {
      text = readFileSync(this.logFile, 'utf8');
    } catch {
      return `(no log at ${this.logFile})`;
    }
    return text.split('\n').slice(-lines - 1).join('\n');
  }
}
