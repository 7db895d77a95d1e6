import { EventEmitter } from 'eventemitter3';
import { type ZkClient, type ZkClientOptions, ZkError, createClient } from '@zkts/client';
import { type ConnectionState, isConnectedState } from './connection-state.js';
import { type Deadline, deadlineAfter, waitFor, wakeup } from '../util/waiting.js';

/** Events of a {@link ManagedClient}. */
export interface ManagedClientEvents {
  /** The connection state changed; see {@link ConnectionState}. */
  stateChanged: (state: ConnectionState) => void;
  /** The managed client stopped for good: closed, or (for a wrapped plain client) its session ended. */
  closed: () => void;
  /** A background task of a recipe (a guaranteed delete, a re-registration …) failed for good. */
  error: (error: unknown) => void;
}

/** Options of {@link createManagedClient}: the client's options plus how to decide a session is lost. */
export interface ManagedClientOptions extends ZkClientOptions {
  /**
   * After the connection has been suspended this long, report `LOST` and open a new session,
   * as Curator does (its session-expiration check). Default: the negotiated session timeout, the
   * time after which the server has expired the session anyway. `false` waits for the server to
   * say the session expired, which only happens once a server is reachable again.
   */
  readonly lostAfterSuspendedMs?: number | false;
}

/** What recipes accept: a plain client, or a {@link ManagedClient} that outlives session expiry. */
export type ClientSource = ZkClient | ManagedClient;

/**
 * A ZooKeeper connection that survives session expiry, like a `CuratorFramework`: when the
 * session expires (or stays unreachable for a session timeout) it reports `LOST`, closes the
 * dead client and opens a new session, then reports `RECONNECTED`. Recipes built on it
 * re-create what the old session owned — a service registration, a latch's node, a cache's
 * watches — while recipes built on a plain {@link ZkClient} stop at expiry.
 *
 * Always use {@link client} at the moment of a call: the object changes with each session.
 */
export class ManagedClient extends EventEmitter<ManagedClientEvents> {
  #client: ZkClient;
  #state: ConnectionState | undefined;
  #closed = false;
  #lostTimer: ReturnType<typeof setTimeout> | undefined;
  #detach: () => void = () => {};
  readonly #background = new Set<Promise<void>>();
  readonly #backgroundAbort = new AbortController();

  /** @internal Use {@link createManagedClient} or {@link managedClientOf}. */
  constructor(
    client: ZkClient,
    private readonly renew: (() => ZkClient) | undefined,
    private readonly lostAfterSuspendedMs: number | false | undefined,
  ) {
    super();
    this.#client = client;
    this.attach(client);
    if (client.state === 'CONNECTED') this.#state = 'CONNECTED';
    else if (client.state === 'CONNECTED_READ_ONLY') this.#state = 'READ_ONLY';
    else if (client.state !== 'CONNECTING') this.#closed = true;
  }

  /** The client of the current session. */
  get client(): ZkClient {
    return this.#client;
  }

  /** The last connection state; undefined before the first connection. */
  get state(): ConnectionState | undefined {
    return this.#state;
  }

  /** True once closed (or, for a wrapped plain client, once its session ended). */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** True if this opens a new session after expiry (created by {@link createManagedClient}). */
  get renewsSession(): boolean {
    return this.renew !== undefined;
  }

  /** An abort signal that fires when this closes; background tasks of recipes stop on it. */
  get closedSignal(): AbortSignal {
    return this.#backgroundAbort.signal;
  }

  /**
   * Resolves once connected (at once if connected now). Rejects with SESSION_EXPIRED when this
   * stops for good first, OPERATION_TIMEOUT after `timeoutMs`, or the signal's reason.
   */
  async connected(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    const deadline: Deadline = deadlineAfter(options.timeoutMs);
    for (;;) {
      if (this.#closed) throw new ZkError('SESSION_EXPIRED', { message: 'The client is closed' });
      if (isConnectedState(this.#state)) return;
      const changed = wakeup();
      const onChange = (): void => changed.wake();
      this.once('stateChanged', onChange);
      this.once('closed', onChange);
      try {
        if ((await waitFor(changed.promise, deadline, options.signal)) === 'timeout') {
          throw new ZkError('OPERATION_TIMEOUT', { message: `Not connected within ${options.timeoutMs} ms` });
        }
      } finally {
        this.off('stateChanged', onChange);
        this.off('closed', onChange);
      }
    }
  }

  /**
   * Runs a task in the background (guaranteed deletes and the like): its failure is emitted as
   * `error`, and {@link idle} waits for it.
   * @internal
   */
  background(task: (signal: AbortSignal) => Promise<void>): void {
    const running: Promise<void> = task(this.#backgroundAbort.signal)
      .catch((error: unknown) => {
        if (!this.#backgroundAbort.signal.aborted) this.emit('error', error);
      })
      .finally(() => this.#background.delete(running));
    this.#background.add(running);
  }

  /** Resolves once every background task started so far has finished (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.#background.size > 0) await Promise.all([...this.#background]);
  }

  /**
   * Stops: background tasks are abandoned, and a client this opened is closed (its session
   * ends, deleting its ephemeral nodes). A wrapped plain client is left open.
   */
  async close(): Promise<void> {
    if (this.#closed && this.#backgroundAbort.signal.aborted) return;
    const wasClosed = this.#closed;
    this.terminate();
    this.#backgroundAbort.abort(new ZkError('SESSION_EXPIRED', { message: 'The client is closed' }));
    if (this.renew !== undefined && !wasClosed) await this.#client.close();
  }

  /** For `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private attach(client: ZkClient): void {
    const onConnected = (info: { readOnly: boolean }): void => this.onConnected(info.readOnly);
    const onDisconnected = (): void => this.onDisconnected();
    const onExpired = (): void => this.onExpired();
    const onClosed = (reason: string): void => this.onClientClosed(reason);
    client.on('connected', onConnected);
    client.on('disconnected', onDisconnected);
    client.on('expired', onExpired);
    client.on('closed', onClosed);
    this.#detach = () => {
      client.off('connected', onConnected);
      client.off('disconnected', onDisconnected);
      client.off('expired', onExpired);
      client.off('closed', onClosed);
    };
  }

  private onConnected(readOnly: boolean): void {
    this.clearLostTimer();
    if (readOnly) this.setState('READ_ONLY');
    else this.setState(this.#state === undefined ? 'CONNECTED' : 'RECONNECTED');
  }

  private onDisconnected(): void {
    if (!isConnectedState(this.#state)) return;
    this.setState('SUSPENDED');
    const lostAfterMs = this.lostAfterSuspendedMs ?? this.#client.negotiatedTimeoutMs;
    if (lostAfterMs === false || !(lostAfterMs > 0)) return;
    this.#lostTimer = setTimeout(() => {
      this.#lostTimer = undefined;
      if (this.#state !== 'SUSPENDED' || this.#closed) return;
      this.setState('LOST');
      // Like Curator's injected expiration: a session unreachable this long is given up, so
      // that what it owned can be re-created under a session that works.
      if (this.renew !== undefined) this.renewSession();
    }, lostAfterMs);
  }

  private onExpired(): void {
    this.clearLostTimer();
    if (this.#state !== 'LOST') this.setState('LOST');
    if (this.renew !== undefined) this.renewSession();
    else this.terminate();
  }

  private onClientClosed(reason: string): void {
    if (reason === 'expired' || this.#closed) return;
    // The plain client was closed by its owner, or rejected credentials: its session is over.
    this.clearLostTimer();
    if (this.#state !== 'LOST') this.setState('LOST');
    this.terminate();
  }

  private renewSession(): void {
    if (this.#closed || this.renew === undefined) return;
    const old = this.#client;
    this.#detach();
    old.close().catch(() => {});
    this.#client = this.renew();
    this.attach(this.#client);
  }

  private setState(state: ConnectionState): void {
    if (this.#closed || this.#state === state) return;
    this.#state = state;
    this.emit('stateChanged', state);
  }

  private clearLostTimer(): void {
    if (this.#lostTimer !== undefined) clearTimeout(this.#lostTimer);
    this.#lostTimer = undefined;
  }

  private terminate(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.clearLostTimer();
    this.#detach();
    this.emit('closed');
  }
}

/**
 * Creates a {@link ManagedClient} and starts connecting. Each new session is opened with the same
 * options (except `sessionId`/`sessionPassword`, which only the first one resumes).
 */
export function createManagedClient(connectString: string, options: ManagedClientOptions = {}): ManagedClient {
  const { lostAfterSuspendedMs, ...clientOptions } = options;
  const { sessionId: _sessionId, sessionPassword: _sessionPassword, ...renewOptions } = clientOptions;
  return new ManagedClient(createClient(connectString, clientOptions), () => createClient(connectString, renewOptions), lostAfterSuspendedMs);
}

/** Creates a {@link ManagedClient} and resolves once it is connected (closing it on failure). */
export async function connectManaged(connectString: string, options: ManagedClientOptions = {}, wait: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ManagedClient> {
  const managed = createManagedClient(connectString, options);
  try {
    await managed.connected({ timeoutMs: wait.timeoutMs ?? options.sessionTimeoutMs ?? 30_000, signal: wait.signal });
  } catch (error) {
    await managed.close();
    throw error;
  }
  return managed;
}

const wrapped = new WeakMap<ZkClient, ManagedClient>();

/**
 * The {@link ManagedClient} behind a recipe's client source: the source itself, or a shared
 * wrapper of a plain client that reports its connection states but cannot renew its session.
 */
export function managedClientOf(source: ClientSource): ManagedClient {
  if (source instanceof ManagedClient) return source;
  let managed = wrapped.get(source);
  if (managed === undefined) {
    managed = new ManagedClient(source, undefined, undefined);
    wrapped.set(source, managed);
  }
  return managed;
}
