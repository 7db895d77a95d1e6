/**
 * node-zookeeper-client (a ZooKeeper client written independently of zkts) behind promises,
 * for interop tests. The package has no type declarations; the few shapes the tests use are
 * declared here.
 * @module
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A node-zookeeper-client exception: `code` is ZooKeeper's numeric error code. */
export interface NzkException extends Error {
  code: number;
  getCode(): number;
  getName(): string;
}

/** A node-zookeeper-client watch event. */
export interface NzkEvent {
  type: number;
  name: string;
  path: string;
  getType(): number;
  getName(): string;
  getPath(): string;
}

/** The Stat the client decodes (longs are 8-byte buffers). */
export interface NzkStat {
  version: number;
  cversion: number;
  aversion: number;
  dataLength: number;
  numChildren: number;
  ephemeralOwner: Buffer;
  czxid: Buffer;
  mzxid: Buffer;
  pzxid: Buffer;
}

/** An ACL entry as the client builds it. */
export interface NzkAcl {
  permission: number;
  id: { scheme: string; id: string };
}

type Callback<T> = (error: NzkException | null, result: T) => void;
type Watcher = (event: NzkEvent) => void;

interface RawTransaction {
  create(path: string, data?: Buffer | null, acls?: unknown[], mode?: number): RawTransaction;
  check(path: string, version?: number): RawTransaction;
  setData(path: string, data: Buffer | null, version?: number): RawTransaction;
  remove(path: string, version?: number): RawTransaction;
  commit(callback: Callback<{ type: number; err: number; path?: string }[]>): void;
}

interface RawClient {
  connect(): void;
  close(): void;
  once(event: string, listener: (...args: unknown[]) => void): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
  getSessionId(): Buffer;
  getSessionPassword(): Buffer;
  getSessionTimeout(): number;
  addAuthInfo(scheme: string, auth: Buffer): void;
  create(path: string, data: Buffer | null, acls: unknown[], mode: number, callback: Callback<string>): void;
  remove(path: string, version: number, callback: Callback<void>): void;
  setData(path: string, data: Buffer | null, version: number, callback: Callback<NzkStat>): void;
  getData(path: string, watcher: Watcher | undefined, callback: (error: NzkException | null, data: Buffer | undefined, stat: NzkStat) => void): void;
  exists(path: string, watcher: Watcher | undefined, callback: Callback<NzkStat | null>): void;
  getChildren(path: string, watcher: Watcher | undefined, callback: (error: NzkException | null, children: string[], stat: NzkStat) => void): void;
  setACL(path: string, acls: unknown[], version: number, callback: Callback<NzkStat>): void;
  getACL(path: string, callback: (error: NzkException | null, acls: NzkAcl[], stat: NzkStat) => void): void;
  transaction(): RawTransaction;
  connectionManager: { socket?: { destroy(): void } };
}

interface NzkModule {
  createClient(connectString: string, options?: { sessionTimeout?: number; spinDelay?: number; retries?: number; sessionId?: Buffer; sessionPassword?: Buffer }): RawClient;
  CreateMode: { PERSISTENT: number; EPHEMERAL: number; PERSISTENT_SEQUENTIAL: number; EPHEMERAL_SEQUENTIAL: number };
  ACL: { new (permission: number, id: unknown): unknown; OPEN_ACL_UNSAFE: unknown[]; READ_ACL_UNSAFE: unknown[]; CREATOR_ALL_ACL: unknown[] };
  Id: new (scheme: string, id: string) => unknown;
  Permission: { READ: number; WRITE: number; CREATE: number; DELETE: number; ADMIN: number; ALL: number };
  Event: { NODE_CREATED: number; NODE_DELETED: number; NODE_DATA_CHANGED: number; NODE_CHILDREN_CHANGED: number };
  Exception: Record<string, number>;
}

/** The node-zookeeper-client module. */
export const nzk = require('node-zookeeper-client') as NzkModule;

/** The error code of a rejected call, or 'ok' when it succeeded; for `expect(...).toBe('NO_NODE')`. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    const name = (error as Partial<NzkException>).getName?.();
    if (name === undefined) throw error;
    return name;
  }
}

/** One watch registration's events: resolves with the first event it receives. */
export function watchEvent(): { watcher: Watcher; event: Promise<NzkEvent>; count: () => number } {
  let resolveEvent!: (event: NzkEvent) => void;
  const event = new Promise<NzkEvent>((resolve) => (resolveEvent = resolve));
  let fired = 0;
  return {
    watcher: (e) => {
      fired++;
      resolveEvent(e);
    },
    event,
    count: () => fired,
  };
}

function promise<T>(run: (callback: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => run((error, result) => (error ? reject(error) : resolve(result))));
}

/** A connected node-zookeeper-client with promise-returning methods. */
export class NzkClient {
  private closedPromise: Promise<void> | undefined;

  private constructor(readonly raw: RawClient) {}

  /** Connects and resolves once the session is established. */
  static async connect(connectString: string, options: { sessionTimeoutMs?: number } = {}): Promise<NzkClient> {
    const raw = nzk.createClient(connectString, { sessionTimeout: options.sessionTimeoutMs ?? 30_000, spinDelay: 100, retries: 0 });
    const client = new NzkClient(raw);
    await new Promise<void>((resolve, reject) => {
      raw.once('connected', () => resolve());
      raw.once('expired', () => reject(new Error('session expired while connecting')));
      raw.connect();
    });
    return client;
  }

  /** The session id as a bigint. */
  get sessionId(): bigint {
    return this.raw.getSessionId().readBigInt64BE(0);
  }

  /** The negotiated session timeout. */
  get sessionTimeoutMs(): number {
    return this.raw.getSessionTimeout();
  }

  /** Resolves with the next state event of this name (`connected`, `disconnected`, `expired`). */
  nextState(name: 'connected' | 'disconnected' | 'expired'): Promise<void> {
    return new Promise((resolve) => this.raw.once(name, () => resolve()));
  }

  create(path: string, data: Buffer | null = null, mode = nzk.CreateMode.PERSISTENT, acls: unknown[] = nzk.ACL.OPEN_ACL_UNSAFE): Promise<string> {
    return promise((cb) => this.raw.create(path, data, acls, mode, cb));
  }

  remove(path: string, version = -1): Promise<void> {
    return promise((cb) => this.raw.remove(path, version, cb));
  }

  setData(path: string, data: Buffer | null, version = -1): Promise<NzkStat> {
    return promise((cb) => this.raw.setData(path, data, version, cb));
  }

  getData(path: string, watcher?: Watcher): Promise<{ data: Buffer | undefined; stat: NzkStat }> {
    return new Promise((resolve, reject) =>
      this.raw.getData(path, watcher, (error, data, stat) => (error ? reject(error) : resolve({ data, stat }))),
    );
  }

  exists(path: string, watcher?: Watcher): Promise<NzkStat | null> {
    return promise((cb) => this.raw.exists(path, watcher, cb));
  }

  getChildren(path: string, watcher?: Watcher): Promise<{ children: string[]; stat: NzkStat }> {
    return new Promise((resolve, reject) =>
      this.raw.getChildren(path, watcher, (error, children, stat) => (error ? reject(error) : resolve({ children, stat }))),
    );
  }

  setACL(path: string, acls: unknown[], version = -1): Promise<NzkStat> {
    return promise((cb) => this.raw.setACL(path, acls, version, cb));
  }

  getACL(path: string): Promise<{ acls: NzkAcl[]; stat: NzkStat }> {
    return new Promise((resolve, reject) => this.raw.getACL(path, (error, acls, stat) => (error ? reject(error) : resolve({ acls, stat }))));
  }

  addAuth(scheme: string, auth: string): void {
    this.raw.addAuthInfo(scheme, Buffer.from(auth));
  }

  transaction(): RawTransaction {
    return this.raw.transaction();
  }

  /** Commits a transaction; rejects with the failing op's error, like the client's callback. */
  commit(transaction: RawTransaction): Promise<{ type: number; err: number; path?: string }[]> {
    return promise((cb) => transaction.commit(cb));
  }

  /** Closes the session (closeSession) and resolves once the client has disconnected. */
  close(): Promise<void> {
    if (this.closedPromise === undefined) {
      this.closedPromise = new Promise((resolve) => {
        this.raw.once('disconnected', () => resolve());
        this.raw.close();
      });
    }
    return this.closedPromise;
  }

  /** Drops the TCP connection without closing the session; the client reconnects by itself. */
  dropConnection(): void {
    this.raw.connectionManager.socket?.destroy();
  }
}
