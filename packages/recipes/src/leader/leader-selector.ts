/**
 * Leader election that runs a task while leading (Curator's LeaderSelector): participants
 * queue on a distributed lock at the election path; the holder's `takeLeadership` runs, and
 * leadership is given up when it returns. When the connection is suspended or the session lost
 * the task's AbortSignal is aborted (Curator's CancelLeadershipException interrupting the
 * leader thread), and a queued participant stops waiting. With `autoRequeue` a participant
 * queues again after each turn, so it takes part until closed.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import { ZkError } from '@zkts/client';
import type { ConnectionState } from '../session/connection-state.js';
import { type ClientSource, type ManagedClient, managedClientOf } from '../session/managed-client.js';
import { retrying } from '../session/retrying.js';
import { DistributedLock, type LockHandle } from '../locks/distributed-lock.js';
import { randomId } from '../util/random-id.js';
import { sleep } from '../util/waiting.js';
import { type Participant, readParticipants } from './participants.js';

/** What a {@link LeaderSelector} runs while it leads. */
export interface LeaderSelectorListener {
  /**
   * Called when this participant becomes leader; leadership lasts until the returned promise
   * settles. Stop promptly when `signal` aborts: the connection was suspended or the session
   * lost, or the selector was closed or interrupted, and another participant may lead soon.
   */
  takeLeadership(signal: AbortSignal, selector: LeaderSelector): Promise<void> | void;
}

/** Options of {@link LeaderSelector}. */
export interface LeaderSelectorOptions {
  /** Participant id stored in our node. Default: a random UUID. */
  readonly id?: string;
  /** Queue again after each turn of leadership (Curator's `autoRequeue()`). Default false. */
  readonly autoRequeue?: boolean;
}

/** Events of a {@link LeaderSelector}. */
export interface LeaderSelectorEvents {
  /** `takeLeadership` threw, or queueing failed. */
  error: (error: unknown) => void;
}

/** A leader selector; see the module description. */
export class LeaderSelector extends EventEmitter<LeaderSelectorEvents> {
  /** This participant's id. */
  readonly id: string;
  private readonly session: ManagedClient;
  private readonly lock: DistributedLock;
  #autoRequeue: boolean;
  #state: 'LATENT' | 'STARTED' | 'CLOSED' = 'LATENT';
  #running: Promise<void> | undefined;
  #turn: AbortController | undefined;
  #leader = false;
  readonly #onState = (state: ConnectionState): void => {
    if (state === 'SUSPENDED' || state === 'LOST') this.interruptLeadership();
  };

  constructor(
    source: ClientSource,
    readonly path: string,
    private readonly listener: LeaderSelectorListener,
    options: LeaderSelectorOptions = {},
  ) {
    super();
    this.session = managedClientOf(source);
    this.id = options.id ?? randomId();
    this.lock = new DistributedLock(this.session, path, { data: this.id });
    this.#autoRequeue = options.autoRequeue ?? false;
  }

  /** Joins the election (queues once; see {@link requeue} and `autoRequeue`). */
  start(): void {
    if (this.#state !== 'LATENT') throw new Error('Cannot be started more than once');
    this.#state = 'STARTED';
    this.session.on('stateChanged', this.#onState);
    this.requeue();
  }

  /** From now on queue again after each turn. */
  autoRequeue(): void {
    this.#autoRequeue = true;
  }

  /** Queues for leadership unless already queued or leading; returns whether it queued. */
  requeue(): boolean {
    if (this.#state !== 'STARTED') throw new Error('close() has already been called or start() has not');
    if (this.#running !== undefined) return false;
    this.#running = this.runTurn().finally(() => {
      this.#running = undefined;
      if (this.#autoRequeue && this.#state === 'STARTED') this.requeue();
    });
    return true;
  }

  /** True while `takeLeadership` runs. */
  hasLeadership(): boolean {
    return this.#leader;
  }

  /** Aborts the current turn: a leader's `takeLeadership` signal, or a queued attempt. */
  interruptLeadership(): void {
    this.#turn?.abort(new ZkError('CONNECTION_LOSS', { path: this.path, message: 'Leadership interrupted' }));
  }

  /** The current participants, leader first (reads the server). */
  async getParticipants(): Promise<Participant[]> {
    return retrying(this.session, (client) => readParticipants(client, this.path));
  }

  /** The current leader, or undefined if there is none. */
  async getLeader(): Promise<Participant | undefined> {
    return (await this.getParticipants())[0];
  }

  /** Leaves the election: aborts a running turn, waits for it to end, and releases our node. */
  async close(): Promise<void> {
    if (this.#state === 'CLOSED') return;
    this.#state = 'CLOSED';
    this.session.off('stateChanged', this.#onState);
    this.#turn?.abort(new ZkError('SESSION_EXPIRED', { path: this.path, message: 'LeaderSelector closed' }));
    await this.#running;
  }

  private async runTurn(): Promise<void> {
    const turn = new AbortController();
    this.#turn = turn;
    let handle: LockHandle;
    try {
      handle = await this.lock.acquire({ signal: turn.signal });
    } catch (error) {
      if (!turn.signal.aborted) {
        this.emit('error', error);
        // Do not spin when the service is unreachable: give the connection a moment.
        await sleep(100, this.session.closedSignal).catch(() => {});
      }
      return;
    }
    const onLost = (): void => turn.abort(new ZkError('SESSION_EXPIRED', { path: this.path, message: 'Leadership lost with the session' }));
    handle.on('lost', onLost);
    this.#leader = true;
    try {
      if (!turn.signal.aborted) await this.listener.takeLeadership(turn.signal, this);
    } catch (error) {
      if (!turn.signal.aborted) this.emit('error', error);
    } finally {
      this.#leader = false;
      await handle.release().catch((error: unknown) => this.emit('error', error));
    }
  }
}

/** Creates a {@link LeaderSelector} (not yet started). */
export function leaderSelector(source: ClientSource, path: string, listener: LeaderSelectorListener, options?: LeaderSelectorOptions): LeaderSelector {
  return new LeaderSelector(source, path, listener, options);
}
