/**
 * Leader election with a latch (Curator's LeaderLatch): every participant keeps an ephemeral
 * sequential node under the latch path; the lowest is the leader, and every other participant
 * watches only its predecessor. Leadership is given up as soon as the connection is suspended
 * or the session lost (Curator's default error policy) and re-checked on reconnect, when a
 * participant whose node vanished with its session creates a new one.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import { type WatchedEvent, type ZkClient, ZkError } from '@zkts/client';
import type { ConnectionState } from '../session/connection-state.js';
import { deleteGuaranteed } from '../session/guaranteed-delete.js';
import { type ClientSource, type ManagedClient, managedClientOf } from '../session/managed-client.js';
import { createProtected } from '../session/protected-create.js';
import { retrying } from '../session/retrying.js';
import { hasCode } from '../util/codes.js';
import { checkBasePath, joinPath, nodeName } from '../util/paths.js';
import { randomId } from '../util/random-id.js';
import { sortBySequence } from '../util/sequence.js';
import { SerialQueue } from '../util/serial-queue.js';
import { type WaitOptions, deadlineAfter, waitFor, wakeup } from '../util/waiting.js';
import { type Participant, readParticipants } from './participants.js';

/** Curator's latch node name. */
export const LATCH_NAME = 'latch-';

/** Events of a {@link LeaderLatch}. */
export interface LeaderLatchEvents {
  /** This participant became leader. */
  isLeader: () => void;
  /** This participant stopped being leader (connection suspended, session lost, node gone). */
  notLeader: () => void;
  /** A background step failed; the latch retries on the next reconnect. */
  error: (error: unknown) => void;
}

/** Lifecycle of a latch. */
export type LeaderLatchState = 'LATENT' | 'STARTED' | 'CLOSED';

/** Options of {@link LeaderLatch}. */
export interface LeaderLatchOptions {
  /** Participant id stored in the node, reported by {@link LeaderLatch.getParticipants}. Default: a random UUID. */
  readonly id?: string;
}

/** How {@link LeaderLatch.close} treats listeners (Curator's `CloseMode`). */
export type LeaderLatchCloseMode = 'SILENT' | 'NOTIFY_LEADER';

/** A leader latch; see the module description. */
export class LeaderLatch extends EventEmitter<LeaderLatchEvents> {
  /** This participant's id. */
  readonly id: string;
  private readonly session: ManagedClient;
  private readonly queue = new SerialQueue((error) => this.emit('error', error));
  #state: LeaderLatchState = 'LATENT';
  #leader = false;
  #ourPath: string | undefined;
  #ourClient: ZkClient | undefined;
  readonly #onState = (state: ConnectionState): void => this.onState(state);
  readonly #onClosed = (): void => this.setLeadership(false);
  /** Wakes {@link await} callers on leadership and on close. */
  readonly #waiters = new Set<() => void>();

  constructor(source: ClientSource, readonly path: string, options: LeaderLatchOptions = {}) {
    super();
    this.session = managedClientOf(source);
    checkBasePath(path);
    this.id = options.id ?? randomId();
  }

  /** The lifecycle state. */
  get state(): LeaderLatchState {
    return this.#state;
  }

  /** Our node's path, if we have one now. Having one does not mean being leader. */
  get ourPath(): string | undefined {
    return this.#ourPath;
  }

  /** True while this participant is leader. */
  hasLeadership(): boolean {
    return this.#state === 'STARTED' && this.#leader;
  }

  /** Joins the election; resolves once our node exists and leadership has been checked. */
  start(): Promise<void> {
    if (this.#state !== 'LATENT') throw new Error('Cannot be started more than once');
    this.#state = 'STARTED';
    this.session.on('stateChanged', this.#onState);
    this.session.on('closed', this.#onClosed);
    return this.queue.run(() => this.reset());
  }

  /**
   * Waits until this participant is leader: resolves true then, or false after `timeoutMs`.
   * Rejects if the latch is (or gets) closed, or on abort.
   */
  async await(options: WaitOptions = {}): Promise<boolean> {
    const deadline = deadlineAfter(options.timeoutMs);
    for (;;) {
      if (this.#state !== 'STARTED') throw new ZkError('API_ERROR', { path: this.path, message: 'The latch is not started' });
      if (this.#leader) return true;
      const changed = wakeup();
      this.#waiters.add(changed.wake);
      try {
        if ((await waitFor(changed.promise, deadline, options.signal)) === 'timeout') return false;
      } finally {
        this.#waiters.delete(changed.wake);
      }
    }
  }

  /** The current participants, leader first (reads the server). */
  async getParticipants(): Promise<Participant[]> {
    return retrying(this.session, (client) => readParticipants(client, this.path));
  }

  /** The current leader, or undefined if there is none (reads the server). */
  async getLeader(): Promise<Participant | undefined> {
    return (await this.getParticipants())[0];
  }

  /**
   * Leaves the election and deletes our node. With `NOTIFY_LEADER` a leader's `notLeader`
   * listeners are told; by default (`SILENT`) they are not, as in Curator.
   */
  async close(mode: LeaderLatchCloseMode = 'SILENT'): Promise<void> {
    if (this.#state !== 'STARTED') throw new Error('Already closed or has not been started');
    this.#state = 'CLOSED';
    this.session.off('stateChanged', this.#onState);
    this.session.off('closed', this.#onClosed);
    const wasLeader = this.#leader;
    this.#leader = false;
    if (wasLeader && mode === 'NOTIFY_LEADER') this.emit('notLeader');
    for (const wake of this.#waiters) wake();
    await this.queue.run(() => this.setNode(undefined, undefined));
  }

  private onState(state: ConnectionState): void {
    if (state === 'SUSPENDED' || state === 'LOST') this.setLeadership(false);
    else if (state === 'RECONNECTED') void this.queue.run(() => this.checkLeadership());
  }

  private async reset(): Promise<void> {
    this.setLeadership(false);
    await this.setNode(undefined, undefined);
    if (this.#state !== 'STARTED') return;
    const client = this.session.client;
    const created = await createProtected(client, this.path, LATCH_NAME, this.id, 'EPHEMERAL_SEQUENTIAL');
    await this.setNode(created.path, client);
    if (this.#state !== 'STARTED') {
      await this.setNode(undefined, undefined);
      return;
    }
    await this.checkLeadership();
  }

  private async checkLeadership(): Promise<void> {
    for (;;) {
      if (this.#state !== 'STARTED') return;
      const ourPath = this.#ourPath;
      const client = this.#ourClient;
      if (ourPath === undefined || client === undefined || client !== this.session.client) {
        await this.reset();
        return;
      }
      let children: string[];
      try {
        children = sortBySequence(await client.getChildren(this.path));
      } catch (error) {
        // Our session ended: the next RECONNECTED (a new session) resets.
        if (hasCode(error, 'SESSION_EXPIRED')) return;
        if (hasCode(error, 'NO_NODE')) children = [];
        else throw error;
      }
      const ourIndex = children.indexOf(nodeName(ourPath));
      if (ourIndex < 0) {
        await this.reset();
        return;
      }
      if (ourIndex === 0) {
        this.setLeadership(true);
        return;
      }
      const watched = joinPath(this.path, children[ourIndex - 1]!);
      const watcher = (event: WatchedEvent): void => {
        if (event.type === 'NodeDeleted' && this.#state === 'STARTED') void this.queue.run(() => this.checkLeadership());
      };
      try {
        await client.getData(watched, watcher);
        return;
      } catch (error) {
        if (!hasCode(error, 'NO_NODE')) throw error;
        // The predecessor left before the watch was set: look again.
      }
    }
  }

  private async setNode(path: string | undefined, client: ZkClient | undefined): Promise<void> {
    const oldPath = this.#ourPath;
    const oldClient = this.#ourClient;
    this.#ourPath = path;
    this.#ourClient = client;
    if (oldPath !== undefined && oldClient !== undefined) await deleteGuaranteed(this.session, oldClient, oldPath);
  }

  private setLeadership(leader: boolean): void {
    const was = this.#leader;
    this.#leader = leader;
    if (was && !leader) this.emit('notLeader');
    else if (!was && leader) {
      for (const wake of this.#waiters) wake();
      this.emit('isLeader');
    }
  }
}

/** Creates a {@link LeaderLatch} (not yet started). */
export function leaderLatch(source: ClientSource, path: string, options?: LeaderLatchOptions): LeaderLatch {
  return new LeaderLatch(source, path, options);
}
