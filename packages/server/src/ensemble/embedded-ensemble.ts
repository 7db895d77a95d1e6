import { QuorumServer, type EnsembleMember, type QuorumServerOptions } from './quorum-server.js';
import { MemoryEnsembleStorage, type EnsembleStorage } from './ensemble-state.js';
import { findFreePort } from './free-port.js';

/** Settings of an in-process ensemble. */
export interface EmbeddedEnsembleOptions {
  /** Voting members. Default 3. */
  voters?: number;
  /** Non-voting observers. Default 0. */
  observers?: number;
  /** Loopback address to bind. Default `127.0.0.1`. */
  host?: string;
  /** zoo.cfg `tickTime`. Default 200 ms, so sessions and failures resolve quickly in tests. */
  tickTimeMs?: number;
  /** Also listen for WebSocket clients. Default true. */
  webSocket?: boolean;
  /** Options applied to every member (session limits, frame size, ...). */
  serverOptions?: Partial<QuorumServerOptions>;
  /** How long `startEnsemble` waits for a leader. Default 10 s. */
  startTimeoutMs?: number;
}

/** How one member is reached, fixed across restarts. */
interface MemberSlot {
  member: EnsembleMember;
  tcpPort: number;
  storage: EnsembleStorage;
  server: QuorumServer | undefined;
}

/**
 * A replicated zkts ensemble inside this process on free loopback ports, for
 * tests (like Curator's TestingCluster). Members keep their durable state in
 * memory across `kill` and `restart`.
 */
export class EmbeddedEnsemble {
  private constructor(
    private readonly slots: MemberSlot[],
    private readonly options: Required<Pick<EmbeddedEnsembleOptions, 'host' | 'tickTimeMs' | 'webSocket'>> & EmbeddedEnsembleOptions,
  ) {}

  /** Starts the ensemble and waits until it has a leader that a quorum follows. */
  static async start(options: EmbeddedEnsembleOptions = {}): Promise<EmbeddedEnsemble> {
    const host = options.host ?? '127.0.0.1';
    const voters = options.voters ?? 3;
    const observers = options.observers ?? 0;
    const slots: MemberSlot[] = [];
    for (let id = 1; id <= voters + observers; id++) {
      slots.push({
        member: { id, host, quorumPort: await findFreePort(host), role: id <= voters ? 'participant' : 'observer' },
        tcpPort: await findFreePort(host),
        storage: new MemoryEnsembleStorage(),
        server: undefined,
      });
    }
    const ensemble = new EmbeddedEnsemble(slots, { ...options, host, tickTimeMs: options.tickTimeMs ?? 200, webSocket: options.webSocket ?? true });
    await Promise.all(slots.map((slot) => ensemble.startMember(slot)));
    await ensemble.waitForAllServing(options.startTimeoutMs ?? 10_000);
    return ensemble;
  }

  /** Every running member. */
  get servers(): QuorumServer[] {
    return this.slots.flatMap((slot) => (slot.server === undefined ? [] : [slot.server]));
  }

  /** `host:port,host:port,...` of every member's TCP client port (also stopped ones: clients fail over). */
  get connectString(): string {
    return this.slots.map((slot) => `${this.options.host}:${slot.tcpPort}`).join(',');
  }

  /** The member with this id, if running. */
  server(id: number): QuorumServer | undefined {
    return this.slot(id).server;
  }

  /** The running member that leads with a serving quorum, if any. */
  leader(): QuorumServer | undefined {
    return this.servers.find((server) => server.peerState === 'LEADING' && server.isServing);
  }

  /** Waits until some member leads and serves; resolves with it. */
  async waitForLeader(timeoutMs = 10_000): Promise<QuorumServer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const leader = this.leader();
      if (leader !== undefined) return leader;
      if (Date.now() > deadline) throw new Error(`no leader elected within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Waits until every running member is synced with a leader and serving clients. */
  async waitForAllServing(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.servers.every((server) => server.isServing)) {
      if (Date.now() > deadline) throw new Error(`members not serving within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Stops a member abruptly; its durable state survives for `restart`. */
  async kill(id: number): Promise<void> {
    const slot = this.slot(id);
    const server = slot.server;
    slot.server = undefined;
    await server?.stop();
  }

  /** Starts a killed member again on the same ports with its durable state. */
  async restart(id: number): Promise<QuorumServer> {
    const slot = this.slot(id);
    if (slot.server !== undefined) await this.kill(id);
    return this.startMember(slot);
  }

  /** Splits the members into groups that cannot reach each other (e.g. `[[1, 2], [3]]`). */
  partition(groups: number[][]): void {
    for (const group of groups) {
      const outside = this.slots.map((slot) => slot.member.id).filter((id) => !group.includes(id));
      for (const id of group) this.slot(id).server?.isolateFrom(outside);
    }
  }

  /** Undoes every partition. */
  heal(): void {
    for (const server of this.servers) server.heal();
  }

  /** Stops every member. */
  async stop(): Promise<void> {
    await Promise.all(this.slots.map(async (slot) => {
      const server = slot.server;
      slot.server = undefined;
      await server?.stop();
    }));
  }

  private slot(id: number): MemberSlot {
    const slot = this.slots.find((candidate) => candidate.member.id === id);
    if (slot === undefined) throw new RangeError(`no member with id ${id}`);
    return slot;
  }

  private async startMember(slot: MemberSlot): Promise<QuorumServer> {
    const server = new QuorumServer({
      ...this.options.serverOptions,
      serverId: slot.member.id,
      members: this.slots.map((s) => s.member),
      host: this.options.host,
      tcpPort: slot.tcpPort,
      wsPort: this.options.webSocket ? 0 : null,
      tickTimeMs: this.options.tickTimeMs,
      storage: slot.storage,
    });
    await server.start();
    slot.server = server;
    return server;
  }
}

/**
 * Starts an in-process ensemble on free loopback ports.
 *
 * @example
 * ```ts
 * const ensemble = await startEnsemble({ voters: 3 });
 * const client = createClient(ensemble.connectString);
 * // ...
 * await ensemble.stop();
 * ```
 */
export function startEnsemble(options: EmbeddedEnsembleOptions = {}): Promise<EmbeddedEnsemble> {
  return EmbeddedEnsemble.start(options);
}
