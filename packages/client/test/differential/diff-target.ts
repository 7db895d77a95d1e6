/**
 * One server under comparison, driven through `@zkts/client`: a fixed number of session
 * slots, a log of the watch events each session's watchers receive, and the sequential
 * node names this target's server chose (for `seq` path refs).
 * @module
 */
import {
  type ACL,
  type CreateModeName,
  Ids,
  type Op,
  Perms,
  type ReadOp,
  type Watcher,
  type ZkClient,
  ZkError,
  connect,
} from '../../src/index.js';
import { isSequential, isTTL } from '../../src/create-mode.js';
import { connectionOf } from '../../src/internal.js';
import type { AclName, DiffMultiOp, DiffOp, PathRef } from './diff-op.js';
import { AUTHENTICATED_SLOT, DIGEST_CREDENTIALS, SEQUENTIAL_PREFIX, SESSIONS_PER_TARGET, TTL_MS } from './generate.js';
import { skippedAt } from './known-differences.js';
import { TransportGate } from './transport-gate.js';
import { type NormalizedEvent, normalizeData, normalizeError, normalizeEvent, normalizeOpResult, normalizeStat } from './normalize.js';

/** What one op produced on one target: its result and, per session label, the events delivered since the previous op. */
export interface StepRecord {
  readonly result: unknown;
  readonly events: Readonly<Record<string, readonly NormalizedEvent[]>>;
}

const anyone = { scheme: 'world', id: 'anyone' };
const ACLS: Readonly<Record<AclName, readonly ACL[]>> = {
  open: Ids.OPEN_ACL_UNSAFE,
  noWrite: [{ perms: Perms.ALL & ~Perms.WRITE, id: anyone }],
  noCreate: [{ perms: Perms.ALL & ~Perms.CREATE, id: anyone }],
  creator: Ids.CREATOR_ALL_ACL,
  creatorWorldRead: [...Ids.CREATOR_ALL_ACL, ...Ids.READ_ACL_UNSAFE],
};


interface Slot {
  readonly client: ZkClient;
  readonly label: string;
  /** Watchers this session registered and where, in order, for the watch removal ops. */
  readonly watchers: { readonly path: string; readonly watcher: Watcher }[];
}

/** Drives one server; every method is awaited before the next is called. */
export class DiffTarget {
  private readonly slots: (Slot | undefined)[] = [];
  private readonly generations: number[] = [];
  private readonly labels = new Map<bigint, string>();
  private readonly events = new Map<string, NormalizedEvent[]>();
  /** Sequential nodes created so far, by the relative path of their parent. */
  private readonly sequential = new Map<string, string[]>();
  private root = '/';
  /** One gate per slot, so a session can be kept from reconnecting without touching the other. */
  private readonly gates = Array.from({ length: SESSIONS_PER_TARGET }, () => new TransportGate());
  /** Slots whose connection is cut: they cannot settle. */
  private readonly partitioned = new Set<number>();

  /** @param name - shown in failure messages. */
  constructor(
    readonly name: string,
    readonly connectString: string,
  ) {}

  /** Opens the sessions one after another (each createSession takes a zxid, so the order is fixed) and creates the root. */
  async begin(root: string): Promise<void> {
    this.root = root;
    this.labels.clear();
    this.events.clear();
    this.sequential.clear();
    this.generations.length = 0;
    this.partitioned.clear();
    for (let slot = 0; slot < SESSIONS_PER_TARGET; slot++) {
      this.generations.push(0);
      this.slots[slot] = await this.open(slot);
    }
    await this.slot(0).client.create(root);
  }

  /** Runs one op, waits until every notification it caused has reached its session, and collects the events. */
  async step(op: DiffOp, index: number): Promise<StepRecord> {
    const result = await this.run(op, `op${index}`);
    // The issuer's own notifications preceded its reply, except for ops that change its connection.
    await this.settle(op.type === 'reopen' || op.type === 'partition' ? undefined : op.session);
    return { result, events: this.takeEvents() };
  }

  /** The subtree under the root: every node's data, Stat, ACL and children in listing order. */
  async snapshot(): Promise<unknown> {
    const client = this.slot(AUTHENTICATED_SLOT).client;
    const label = this.labeler;
    const dump = async (path: string): Promise<unknown> => {
      try {
        const { data, stat } = await client.getData(path);
        const { acl } = await client.getACL(path);
        const children = await client.getChildren(path);
        const nodes: unknown[] = [];
        for (const child of children) nodes.push(await dump(`${path}/${child}`));
        return { path, data: normalizeData(data), stat: normalizeStat(stat, label), acl, children: nodes };
      } catch (error) {
        return { path, ...(normalizeError(error, label) as object) };
      }
    };
    return dump(this.root);
  }

  /** Deletes the root's subtree and closes every session. */
  async end(): Promise<void> {
    try {
      await this.slot(AUTHENTICATED_SLOT).client.deleteRecursive(this.root);
    } catch (error) {
      if (!(error instanceof ZkError) || error.code !== 'NO_NODE') throw error;
    } finally {
      await this.closeAll();
    }
  }

  /** Closes every session without cleaning up, after a failure. */
  async closeAll(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot?.client.close()));
    this.slots.length = 0;
  }

  private async open(slot: number): Promise<Slot> {
    const label = `s${slot}#${this.generations[slot] ?? 0}`;
    const authInfo = slot === AUTHENTICATED_SLOT ? [{ scheme: 'digest', auth: DIGEST_CREDENTIALS }] : [];
    // No reconnect pauses: a partitioned session comes back as soon as it is let through.
    const client = await connect(this.connectString, {
      sessionTimeoutMs: 30_000,
      randomSeed: slot,
      authInfo,
      reconnectDelayMaxMs: 0,
      spinDelayMs: 5,
      transportFactory: this.gate(slot).factory,
    });
    this.labels.set(client.sessionId, label);
    this.events.set(label, []);
    return { client, label, watchers: [] };
  }

  private gate(slot: number): TransportGate {
    const gate = this.gates[slot];
    if (gate === undefined) throw new Error(`${this.name}: no transport gate for slot ${slot}`);
    return gate;
  }

  private slot(index: number): Slot {
    const slot = this.slots[index];
    if (slot === undefined) throw new Error(`${this.name}: session slot ${index} is not open`);
    return slot;
  }

  private readonly labeler = (sessionId: bigint): string => this.labels.get(sessionId) ?? `unknown:0x${sessionId.toString(16)}`;

  /** A watcher that records into its session's log under the op's label. */
  private watcher(slot: Slot, label: string, path: string): Watcher {
    const log = this.events.get(slot.label);
    if (log === undefined) throw new Error(`${this.name}: no event log for ${slot.label}`);
    const watcher: Watcher = (event) => log.push(normalizeEvent(label, event));
    slot.watchers.push({ path, watcher });
    return watcher;
  }

  /**
   * A read on every connected session but `settled` (the op's issuer, whose reply came after
   * its own notifications). The server sends a notification before the reply of any request
   * that reaches it later, and the write that triggered it has been answered already, so after
   * this round trip each session has seen every notification of the op (ZooKeeper's guarantee
   * that a watcher sees the event before the data that follows it).
   */
  private async settle(settled?: number): Promise<void> {
    await Promise.all(this.slots.map((slot, index) => (this.partitioned.has(index) || index === settled ? undefined : slot?.client.exists('/'))));
  }

  private takeEvents(): Record<string, NormalizedEvent[]> {
    const taken: Record<string, NormalizedEvent[]> = {};
    for (const [label, log] of this.events) {
      if (log.length > 0) taken[label] = log.splice(0);
    }
    return taken;
  }

  private resolve(ref: PathRef): string {
    if (ref.kind === 'fixed') return ref.rel === '' ? this.root : `${this.root}/${ref.rel}`;
    const created = this.sequential.get(ref.parent) ?? [];
    const chosen = created[ref.pick % Math.max(created.length, 1)];
    return chosen ?? `${this.resolve({ kind: 'fixed', rel: ref.parent })}/${SEQUENTIAL_PREFIX}none`;
  }

  /** Remembers a sequential node the server named, under the parent the op gave. */
  private noteCreated(ref: PathRef, mode: CreateModeName, createdPath: string): void {
    if (!isSequential(mode) || ref.kind !== 'fixed') return;
    const parent = ref.rel.slice(0, -SEQUENTIAL_PREFIX.length).replace(/\/$/, '');
    const list = this.sequential.get(parent) ?? [];
    list.push(createdPath);
    this.sequential.set(parent, list);
  }

  private async run(op: DiffOp, opLabel: string): Promise<unknown> {
    const label = this.labeler;
    try {
      return await this.runUnchecked(op, opLabel);
    } catch (error) {
      return normalizeError(error, label);
    }
  }

  private async runUnchecked(op: DiffOp, opLabel: string): Promise<unknown> {
    const slot = this.slot(op.session);
    const { client } = slot;
    const label = this.labeler;
    const watcher = (watch: boolean, path: string): Watcher | undefined => (watch ? this.watcher(slot, opLabel, path) : undefined);
    switch (op.type) {
      case 'create': {
        const path = this.resolve(op.path);
        const options = { mode: op.mode, acl: ACLS[op.acl], ttlMs: isTTL(op.mode) ? TTL_MS : undefined };
        if (op.stat) {
          const created = await client.create(path, op.data, { ...options, stat: true });
          this.noteCreated(op.path, op.mode, created.path);
          return { path: created.path, stat: normalizeStat(created.stat, label) };
        }
        const created = await client.create(path, op.data, options);
        this.noteCreated(op.path, op.mode, created);
        return { path: created };
      }
      case 'delete':
        await client.delete(this.resolve(op.path), op.version);
        return 'OK';
      case 'setData':
        return normalizeStat(await client.setData(this.resolve(op.path), op.data, op.version), label);
      case 'exists': {
        const path = this.resolve(op.path);
        const stat = await client.exists(path, watcher(op.watch, path));
        return stat === null ? null : normalizeStat(stat, label);
      }
      case 'getData': {
        const path = this.resolve(op.path);
        const result = await client.getData(path, watcher(op.watch, path));
        return { data: normalizeData(result.data), stat: normalizeStat(result.stat, label) };
      }
      case 'getChildren': {
        const path = this.resolve(op.path);
        if (!op.withStat) return await client.getChildren(path, watcher(op.watch, path));
        const result = await client.getChildrenWithStat(path, watcher(op.watch, path));
        return { children: result.children, stat: normalizeStat(result.stat, label) };
      }
      case 'getACL': {
        const result = await client.getACL(this.resolve(op.path));
        return { acl: result.acl, stat: normalizeStat(result.stat, label) };
      }
      case 'setACL':
        return normalizeStat(await client.setACL(this.resolve(op.path), ACLS[op.acl], op.version), label);
      case 'getAllChildrenNumber':
        return await client.getAllChildrenNumber(this.resolve(op.path));
      case 'sync':
        await client.sync(this.resolve(op.path));
        return 'OK';
      case 'getEphemerals':
        return await client.getEphemerals(this.resolve(op.prefix));
      case 'multi': {
        const results = await client.multi(op.ops.map((sub) => this.multiOp(sub)));
        results.forEach((result, i) => {
          const sub = op.ops[i];
          if (result.type === 'create' && sub?.type === 'create') this.noteCreated(sub.path, sub.mode, result.path);
        });
        return results.map((result) => normalizeOpResult(result, label));
      }
      case 'multiRead': {
        const ops: ReadOp[] = op.ops.map((sub) => ({ type: sub.type, path: this.resolve(sub.path) }));
        return (await client.multiRead(ops)).map((result) => normalizeOpResult(result, label));
      }
      case 'addWatch': {
        const path = this.resolve(op.path);
        await client.addWatch(path, this.watcher(slot, opLabel, path), op.mode);
        return 'OK';
      }
      case 'removeAllWatches': {
        const path = op.path.kind === 'watched' ? (pickWatcher(slot, op.path.pick)?.path ?? this.root) : this.resolve(op.path);
        const skippedFor = skippedAt(op, path, this.root);
        if (skippedFor !== undefined) return { skipped: skippedFor };
        await client.removeAllWatches(path, op.watcherType);
        return 'OK';
      }
      case 'removeWatcher': {
        // With no watcher registered yet, a fresh function on the root: the client answers NO_WATCHER itself.
        const chosen = pickWatcher(slot, op.pick) ?? { path: this.root, watcher: () => undefined };
        await client.removeWatches(chosen.path, chosen.watcher, op.watcherType);
        return 'OK';
      }
      case 'reopen': {
        await client.close();
        this.generations[op.session] = (this.generations[op.session] ?? 0) + 1;
        const reopened = await this.open(op.session);
        this.slots[op.session] = reopened;
        return { closed: slot.label, opened: reopened.label };
      }
      case 'partition':
        return this.partition(op.session, op.during, opLabel);
    }
  }

  private async partition(slotIndex: number, during: readonly DiffOp[], opLabel: string): Promise<unknown> {
    const { client } = this.slot(slotIndex);
    const gate = this.gate(slotIndex);
    const disconnected = nextEvent(client, 'disconnected');
    gate.refuse(true);
    connectionOf(client).dropConnection();
    await disconnected;
    this.partitioned.add(slotIndex);
    const results: unknown[] = [];
    try {
      for (const [i, op] of during.entries()) {
        results.push(await this.run(op, `${opLabel}.${i}`));
        await this.settle(op.session);
      }
    } finally {
      this.partitioned.delete(slotIndex);
      const connected = nextEvent(client, 'connected');
      gate.refuse(false);
      await connected;
    }
    return { during: results };
  }

  private multiOp(op: DiffMultiOp): Op {
    const path = this.resolve(op.path);
    switch (op.type) {
      case 'create':
        return { type: 'create', path, data: op.data, mode: op.mode, acl: ACLS[op.acl], ttlMs: isTTL(op.mode) ? TTL_MS : undefined };
      case 'delete':
        return { type: 'delete', path, version: op.version };
      case 'setData':
        return { type: 'setData', path, data: op.data, version: op.version };
      case 'check':
        return { type: 'check', path, version: op.version };
    }
  }
}

function pickWatcher(slot: Slot, pick: number): Slot['watchers'][number] | undefined {
  return slot.watchers[pick % Math.max(slot.watchers.length, 1)];
}

function nextEvent(client: ZkClient, name: 'connected' | 'disconnected'): Promise<void> {
  return new Promise((resolve) => client.once(name, () => resolve()));
}
