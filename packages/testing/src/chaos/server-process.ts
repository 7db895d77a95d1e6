import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Ports and files of one ensemble member. */
export interface MemberSpec {
  /** The `myid`. */
  readonly id: number;
  readonly clientPort: number;
  readonly adminPort: number;
  readonly dataDir: string;
}

/** What the process is doing, as the chaos runner left it. */
export type ProcessState = 'running' | 'paused' | 'dead';

/** How long an admin HTTP request may take; a paused server never answers. */
const ADMIN_TIMEOUT_MS = 1_000;

/**
 * One `zk-server start zoo.cfg` process on loopback, which the chaos runner starts, kills
 * with SIGKILL, and pauses with SIGSTOP/SIGCONT. Its stderr goes to `server.log` in its data dir.
 */
export class ServerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stateNow: ProcessState = 'dead';
  readonly configPath: string;
  readonly logPath: string;

  constructor(
    readonly spec: MemberSpec,
    members: readonly MemberSpec[],
    quorumPorts: ReadonlyMap<number, { quorumPort: number; electionPort: number }>,
    private readonly zkServerBin: string,
  ) {
    mkdirSync(spec.dataDir, { recursive: true });
    writeFileSync(join(spec.dataDir, 'myid'), `${spec.id}\n`);
    this.configPath = join(spec.dataDir, 'zoo.cfg');
    this.logPath = join(spec.dataDir, 'server.log');
    writeFileSync(
      this.configPath,
      [
        'tickTime=500',
        'initLimit=10',
        'syncLimit=5',
        `dataDir=${spec.dataDir}`,
        `clientPort=${spec.clientPort}`,
        'clientPortAddress=127.0.0.1',
        `admin.serverPort=${spec.adminPort}`,
        ...members.map((member) => {
          const ports = quorumPorts.get(member.id)!;
          return `server.${member.id}=127.0.0.1:${ports.quorumPort}:${ports.electionPort}`;
        }),
        '',
      ].join('\n'),
    );
  }

  get id(): number {
    return this.spec.id;
  }

  get state(): ProcessState {
    return this.stateNow;
  }

  /** `127.0.0.1:clientPort`. */
  get address(): string {
    return `127.0.0.1:${this.spec.clientPort}`;
  }

  start(): void {
    if (this.stateNow !== 'dead') throw new Error(`Assertion failed: server ${this.id} started while ${this.stateNow}`);
    const log = openSync(this.logPath, 'a');
    try {
      const child = spawn(process.execPath, [this.zkServerBin, 'start', this.configPath], { stdio: ['ignore', 'ignore', log] });
      this.child = child;
      this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
      child.once('exit', () => {
        if (this.child === child) {
          this.child = undefined;
          this.stateNow = 'dead';
        }
      });
    } finally {
      closeSync(log);
    }
    this.stateNow = 'running';
  }

  /** SIGKILL (also of a paused process), resolving once it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.stateNow = 'dead';
    child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGKILL without waiting, for cleanup on the way out of the process. */
  killNow(): void {
    this.child?.kill('SIGKILL');
  }

  pause(): void {
    if (this.stateNow !== 'running' || this.child === undefined) return;
    this.child.kill('SIGSTOP');
    this.stateNow = 'paused';
  }

  resume(): void {
    if (this.stateNow !== 'paused' || this.child === undefined) return;
    this.child.kill('SIGCONT');
    this.stateNow = 'running';
  }

  /** A command of the admin HTTP endpoint (`/commands/<name>`), or undefined if it does not answer in time. */
  async admin(command: string): Promise<Record<string, unknown> | undefined> {
    if (this.stateNow !== 'running') return undefined;
    try {
      const response = await fetch(`http://127.0.0.1:${this.spec.adminPort}/commands/${command}`, { signal: AbortSignal.timeout(ADMIN_TIMEOUT_MS) });
      return (await response.json()) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
}
