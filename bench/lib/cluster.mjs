// A 3-server ensemble of either target, each server a separate process on loopback:
// Apache ZooKeeper as JVMs (QuorumPeerMain, launched directly as test-support/apache-zookeeper.ts
// does, but with forceSync=yes and a JVM tuned for throughput rather than start-up), zkts as
// Node processes running bench/zkts-server-process.mjs.
import { execFile } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { acceptsSessions } from './clients.mjs';
import { HOST, findFreePorts, pollUntil, serverMode } from './net.mjs';
import { makeTempDir, removeTempDir, spawnTracked } from './processes.mjs';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const zookeeperJar = '/usr/share/java/zookeeper.jar';
const slf4jSimpleJar = '/usr/share/java/slf4j-simple.jar';
const execFileAsync = promisify(execFile);

/** Whether Apache ZooKeeper (Debian's package) is installed. */
export function zookeeperInstalled() {
  return existsSync('/usr/share/zookeeper/bin/zkServer.sh') && existsSync(zookeeperJar);
}

/** zoo.cfg settings both targets share, so they run under the same rules. */
function commonConfig(member, dataDir) {
  return {
    tickTime: '2000',
    initLimit: '10',
    syncLimit: '5',
    dataDir,
    clientPort: String(member.clientPort),
    clientPortAddress: HOST,
    maxClientCnxns: '0',
    '4lw.commands.whitelist': '*',
    forceSync: 'yes',
  };
}

const serverLines = (members) =>
  Object.fromEntries(members.map((m) => [`server.${m.id}`, `${HOST}:${m.quorumPort}:${m.electionPort};${HOST}:${m.clientPort}`]));

/** Reads VmRSS of a process from /proc, in bytes (undefined when unavailable). */
export function residentBytes(pid) {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Apache ZooKeeper 3.8. */
export const zookeeperTarget = {
  name: 'zookeeper',
  label: 'ZooKeeper',
  supportsWebSocket: false,
  portsPerMember: 3,
  config(member, members, dataDir) {
    return {
      ...commonConfig(member, dataDir),
      'admin.enableServer': 'false',
      standaloneEnabled: 'false',
      ...serverLines(members),
    };
  },
  launch(member, options) {
    const classPath = existsSync(slf4jSimpleJar) ? `${zookeeperJar}:${slf4jSimpleJar}` : zookeeperJar;
    const logFd = openSync(member.logFile, 'a');
    try {
      return spawnTracked(
        'java',
        [
          // A server JVM as one would run it: full JIT, G1, room for a million znodes.
          `-Xmx${options.javaHeapMb ?? 3072}m`,
          '-XX:+ExitOnOutOfMemoryError',
          '-Djava.net.preferIPv4Stack=true',
          // WARN keeps per-session INFO lines out of the measured path; zkts logs nothing either.
          '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
          `-Dzookeeper.log.dir=${member.dataDir}`,
          '-cp',
          classPath,
          'org.apache.zookeeper.server.quorum.QuorumPeerMain',
          member.configFile,
        ],
        { stdio: ['ignore', logFd, logFd] },
      );
    } finally {
      closeSync(logFd);
    }
  },
  /** Heap after a full GC through jcmd (JVM attach); RSS from /proc. */
  async memory(member) {
    const pid = member.pid;
    let heapUsedBytes;
    try {
      await execFileAsync('jcmd', [String(pid), 'GC.run'], { timeout: 30_000 });
      const { stdout } = await execFileAsync('jcmd', [String(pid), 'GC.heap_info'], { timeout: 30_000 });
      const used = /used (\d+)K/.exec(stdout);
      if (used) heapUsedBytes = Number(used[1]) * 1024;
    } catch {
      // jcmd missing or attach refused: RSS only.
    }
    return { rssBytes: residentBytes(pid), heapUsedBytes };
  },
  durable: () => true,
  bindFailure: /BindException|Address already in use/,
};

/** zkts, one member per Node process. */
export const zktsTarget = {
  name: 'zkts',
  label: 'zkts',
  supportsWebSocket: true,
  portsPerMember: 4,
  config(member, members, dataDir) {
    return { ...commonConfig(member, dataDir), wsPort: String(member.wsPort), ...serverLines(members) };
  },
  launch(member, options) {
    const logFd = openSync(member.logFile, 'a');
    const profileArgs = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, `--cpu-prof-name=zkts-server-${member.id}-${Date.now()}.cpuprofile`] : [];
    try {
      const launched = spawnTracked(
        process.execPath,
        ['--max-old-space-size=6144', '--expose-gc', ...profileArgs, join(benchDir, 'zkts-server-process.mjs'), member.configFile],
        { stdio: ['ignore', logFd, logFd, 'ipc'] },
      );
      launched.child.on('message', (message) => {
        if (message?.type === 'started') member.durableReported = message.durable;
        if (message?.type === 'memory') member.memoryWaiter?.(message.usage);
      });
      return launched;
    } finally {
      closeSync(logFd);
    }
  },
  /** Heap (V8 heap plus array buffers, after two full GCs) over IPC; RSS from /proc. */
  async memory(member) {
    const usage = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 30_000);
      member.memoryWaiter = (value) => {
        clearTimeout(timer);
        resolve(value);
      };
      member.child.send({ type: 'memory' });
    });
    member.memoryWaiter = undefined;
    return { rssBytes: residentBytes(member.pid), heapUsedBytes: usage ? usage.heapUsed + usage.arrayBuffers : undefined };
  },
  durable: (cluster) => cluster.members.every((m) => m.durableReported === true),
  bindFailure: /EADDRINUSE/,
};

/** One server process of a cluster. */
export class Member {
  child = undefined;
  exited = Promise.resolve('not started');
  exitDescription = undefined;
  durableReported = undefined;
  memoryWaiter = undefined;
  /** Set while the benchmark itself stops or kills the process. */
  exitExpected = false;
  /** How earlier runs of this server ended without the benchmark asking, e.g. a crash. */
  unexpectedExits = [];

  constructor(target, spec, dir, options) {
    Object.assign(this, spec);
    this.target = target;
    this.options = options;
    this.dir = dir;
    this.dataDir = join(dir, 'data');
    this.configFile = join(dir, 'zoo.cfg');
    this.logFile = join(dir, 'server.log');
  }

  get pid() {
    return this.child?.pid;
  }

  get running() {
    return this.child !== undefined;
  }

  writeConfig(members) {
    mkdirSync(this.dataDir, { recursive: true });
    writeFileSync(join(this.dataDir, 'myid'), `${this.id}\n`);
    const config = this.target.config(this, members, this.dataDir);
    writeFileSync(this.configFile, `${Object.entries(config).map(([k, v]) => `${k}=${v}`).join('\n')}\n`);
  }

  launch() {
    if (this.child !== undefined) throw new Error(`${this.target.label} server ${this.id} is already running`);
    const { child, exited } = this.target.launch(this, this.options);
    this.child = child;
    this.exitDescription = undefined;
    this.exitExpected = false;
    this.exited = exited.then((description) => {
      if (this.child === child) this.child = undefined;
      this.exitDescription = description;
      if (!this.exitExpected) {
        this.unexpectedExits.push(description);
        this.options.onUnexpectedExit?.(this, description);
      }
      return description;
    });
  }

  /** Resolves with the mode once the server serves as leader or follower. */
  async waitServing(timeoutMs = 60_000) {
    return pollUntil(
      async () => {
        if (this.child === undefined) throw new Error(`${this.target.label} server ${this.id} ${this.exitDescription ?? 'is not running'}\n${this.logTail()}`);
        const mode = await serverMode(this.clientPort);
        return mode === 'leader' || mode === 'follower' ? mode : undefined;
      },
      { timeoutMs, intervalMs: 20, description: `${this.target.label} server ${this.id} to serve`, detail: () => this.logTail() },
    );
  }

  mode() {
    return this.child === undefined ? Promise.resolve(undefined) : serverMode(this.clientPort);
  }

  /** kill -9, as a crash. Resolves once the process is gone. */
  async kill() {
    const child = this.child;
    if (child === undefined) return;
    this.exitExpected = true;
    process.kill(child.pid, 'SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL after a grace period. */
  async stop(gracePeriodMs = 5_000) {
    const child = this.child;
    if (child === undefined) return;
    this.exitExpected = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), gracePeriodMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  memory() {
    return this.target.memory(this);
  }

  logTail(lines = 30) {
    try {
      return `--- ${this.target.label} server ${this.id} log tail:\n${readFileSync(this.logFile, 'utf8').split('\n').slice(-lines - 1).join('\n')}`;
    } catch {
      return `(no log at ${this.logFile})`;
    }
  }
}

/** A running 3-server ensemble. */
export class Cluster {
  constructor(target, dir, members) {
    this.target = target;
    this.dir = dir;
    this.members = members;
    this.connectString = members.map((m) => `${HOST}:${m.clientPort}`).join(',');
    this.startupMs = 0;
    this.sessionsReadyMs = 0;
  }

  /**
   * Starts `size` servers on free loopback ports and resolves once exactly one leads and the
   * others follow. `startupMs` is the time from spawning the processes to that point, which is
   * process start plus leader election plus the followers' sync.
   */
  static async start(target, options = {}) {
    const size = options.size ?? 3;
    for (let attempt = 1; ; attempt += 1) {
      const dir = makeTempDir(`zkts-bench-${target.name}-`);
      const ports = await findFreePorts(size * target.portsPerMember);
      const members = Array.from({ length: size }, (_, index) => {
        const base = index * target.portsPerMember;
        const spec = { id: index + 1, clientPort: ports[base], quorumPort: ports[base + 1], electionPort: ports[base + 2], wsPort: target.portsPerMember > 3 ? ports[base + 3] : undefined };
        const memberDir = join(dir, `server-${spec.id}`);
        mkdirSync(memberDir, { recursive: true });
        return new Member(target, spec, memberDir, options);
      });
      for (const member of members) member.writeConfig(members);
      const cluster = new Cluster(target, dir, members);
      try {
        const startedAt = performance.now();
        for (const member of members) member.launch();
        await Promise.all(members.map((member) => member.waitServing(options.startTimeoutMs ?? 90_000)));
        await cluster.leader();
        cluster.startupMs = performance.now() - startedAt;
        await cluster.waitAcceptingSessions();
        cluster.sessionsReadyMs = performance.now() - startedAt;
        return cluster;
      } catch (error) {
        const lostPortRace = members.some((member) => target.bindFailure.test(member.logTail(200)));
        await cluster.stop();
        if (!lostPortRace || attempt === 3) throw error;
      }
    }
  }

  /**
   * Resolves once every member has established a new session. Each attempt gets a short
   * timeout, since a session request sent right after a server reports its mode may go unanswered.
   */
  async waitAcceptingSessions(timeoutMs = 60_000) {
    for (const member of this.members) {
      await pollUntil(() => acceptsSessions(member.clientPort, 1_500), {
        timeoutMs,
        intervalMs: 10,
        description: `${this.target.label} server ${member.id} to accept a session`,
        detail: () => member.logTail(),
      });
    }
  }

  /**
   * Restarts members that are not running (after a crash), so one failure does not spoil every
   * later workload. Resolves with the ids restarted.
   */
  async reviveStopped() {
    const stopped = this.members.filter((member) => !member.running);
    for (const member of stopped) member.launch();
    await Promise.all(stopped.map((member) => member.waitServing()));
    if (stopped.length > 0) {
      await this.leader();
      await this.waitAcceptingSessions();
    }
    return stopped.map((member) => member.id);
  }

  /** Whether every member writes its log to disk with fsync. */
  get durable() {
    return this.target.durable(this);
  }

  /** The member that currently leads (polls until exactly one does). */
  async leader(timeoutMs = 60_000) {
    return pollUntil(
      async () => {
        const modes = await Promise.all(this.members.map((m) => m.mode()));
        const leaders = this.members.filter((_, i) => modes[i] === 'leader');
        const serving = modes.filter((mode) => mode === 'leader' || mode === 'follower').length;
        return leaders.length === 1 && serving === this.members.filter((m) => m.running).length ? leaders[0] : undefined;
      },
      { timeoutMs, intervalMs: 20, description: `one ${this.target.label} leader`, detail: () => this.members.map((m) => m.logTail()).join('\n') },
    );
  }

  /** Stops every member and removes the cluster's directory, first copying the logs to `saveLogsTo` if given. */
  async stop(saveLogsTo) {
    await Promise.all(this.members.map((member) => member.stop()));
    if (saveLogsTo !== undefined) {
      mkdirSync(saveLogsTo, { recursive: true });
      for (const member of this.members) {
        if (existsSync(member.logFile)) copyFileSync(member.logFile, join(saveLogsTo, `${this.target.name}-server-${member.id}.log`));
      }
    }
    removeTempDir(this.dir);
  }
}
