import { findFreePort } from '@zkts/server/internal';
import { join } from 'node:path';
import { pollFor } from './poll.js';
import { type MemberSpec, ServerProcess } from './server-process.js';

/** What every member's `hash` admin command said once they agreed. */
export interface Convergence {
  readonly zxid: number;
  readonly digest: string;
}

/** An ensemble of real server processes under `root`, one data dir per member. */
export class ProcessEnsemble {
  private constructor(readonly servers: readonly ServerProcess[]) {}

  /** Writes `zoo.cfg` and `myid` for `size` members with free loopback ports; starts nothing. */
  static async create(root: string, size: number, zkServerBin: string): Promise<ProcessEnsemble> {
    const specs: MemberSpec[] = [];
    const quorumPorts = new Map<number, { quorumPort: number; electionPort: number }>();
    for (let id = 1; id <= size; id++) {
      specs.push({ id, clientPort: await findFreePort('127.0.0.1'), adminPort: await findFreePort('127.0.0.1'), dataDir: join(root, `server${id}`) });
      quorumPorts.set(id, { quorumPort: await findFreePort('127.0.0.1'), electionPort: await findFreePort('127.0.0.1') });
    }
    return new ProcessEnsemble(specs.map((spec) => new ServerProcess(spec, specs, quorumPorts, zkServerBin)));
  }

  /** The connect string naming every member. */
  get connectString(): string {
    return this.servers.map((server) => server.address).join(',');
  }

  startAll(): void {
    for (const server of this.servers) if (server.state === 'dead') server.start();
  }

  /** Resumes paused members and starts dead ones. */
  heal(): void {
    for (const server of this.servers) {
      if (server.state === 'paused') server.resume();
      else if (server.state === 'dead') server.start();
    }
  }

  /** The running member that says it leads, if one answers. */
  async leader(): Promise<ServerProcess | undefined> {
    const states = await Promise.all(this.servers.map(async (server) => ({ server, stat: await server.admin('stat') })));
    return states.find(({ stat }) => stat?.['server_state'] === 'leader')?.server;
  }

  /** Resolves true once every member serves (one leader, the rest following), false at the deadline. */
  async waitAllServing(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const serving = await pollFor(
      async () => {
        const states = await Promise.all(this.servers.map(async (server) => (await server.admin('stat'))?.['server_state']));
        const leaders = states.filter((state) => state === 'leader').length;
        return leaders === 1 && states.every((state) => state === 'leader' || state === 'follower') ? true : undefined;
      },
      timeoutMs,
      signal,
    );
    return serving === true;
  }

  /** Waits until every member reports the same last zxid and tree digest; undefined if they never do in time. */
  async waitConverged(timeoutMs: number, signal?: AbortSignal): Promise<Convergence | undefined> {
    return pollFor(
      async () => {
        const hashes = await Promise.all(this.servers.map((server) => server.admin('hash')));
        const firsts = hashes.map((hash) => (hash?.['digests'] as { zxid?: unknown; digest?: unknown }[] | undefined)?.[0]);
        const first = firsts[0];
        if (first === undefined || typeof first.digest !== 'string') return undefined;
        const agree = firsts.every((entry) => entry !== undefined && entry.zxid === first.zxid && entry.digest === first.digest);
        return agree ? { zxid: Number(first.zxid), digest: first.digest } : undefined;
      },
      timeoutMs,
      signal,
    );
  }

  /** Each member's current (zxid, digest), for a report when they do not converge. */
  async digests(): Promise<string[]> {
    const hashes = await Promise.all(this.servers.map((server) => server.admin('hash')));
    return hashes.map((hash, i) => `server ${this.servers[i]!.id}: ${JSON.stringify((hash?.['digests'] as unknown[] | undefined)?.[0] ?? 'no answer')}`);
  }

  async killAll(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.kill()));
  }

  /** SIGKILL every member without waiting, for the process's exit path. */
  killAllNow(): void {
    for (const server of this.servers) server.killNow();
  }
}
