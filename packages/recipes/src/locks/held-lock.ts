/**
 * What a lock holder hears about its session while it holds the lock: Curator delivers
 * SUSPENDED and LOST to connection-state listeners, and a holder must stop trusting its lock
 * on either. Here a held lock is a typed emitter of those events plus an AbortSignal that is
 * aborted when the lock is lost, to pass straight to the work done under the lock.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import { ZkError } from '@zkts/client';
import type { ConnectionState } from '../session/connection-state.js';
import type { ManagedClient } from '../session/managed-client.js';
import type { LockNode } from './lock-internals.js';

/** Events of a held lock. */
export interface LockEvents {
  /** The connection was lost; the session (and the lock) may still be alive. Pause work that needs exclusivity. */
  suspended: () => void;
  /** Connected again within the same session: the lock is still held. */
  reconnected: () => void;
  /** The session ended or has been unreachable for a session timeout: the lock is no longer held. */
  lost: () => void;
}

/** Orders lock holders: later holders have larger tokens. */
export interface FencingToken {
  /** The lock node's creation zxid; strictly increases from one holder to the next, even if the lock path was re-created. */
  readonly czxid: bigint;
  /** The lock node's sequence number (resets if the lock path is deleted and re-created). */
  readonly sequence: number;
}

/** Tracks one held lock node's session; emits {@link LockEvents}. @internal */
export class HeldLock extends EventEmitter<LockEvents> {
  #lost = false;
  #released = false;
  readonly #abort = new AbortController();
  readonly #onState = (state: ConnectionState): void => this.onState(state);
  readonly #onClosed = (): void => this.markLost();

  constructor(
    private readonly session: ManagedClient,
    readonly node: LockNode,
    private readonly onLost: (node: LockNode) => void,
  ) {
    super();
    session.on('stateChanged', this.#onState);
    session.on('closed', this.#onClosed);
    if (session.isClosed || node.owner !== session.client) this.markLost();
  }

  /** True until released or lost. */
  get isHeld(): boolean {
    return !this.#lost && !this.#released;
  }

  /** True once lost. */
  get isLost(): boolean {
    return this.#lost;
  }

  /** Aborted when the lock is lost (not when it is released). */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** The fencing token of the held node. */
  get fencingToken(): FencingToken {
    return { czxid: this.node.czxid, sequence: this.node.sequence };
  }

  /** Stops tracking; called on release. */
  dispose(): void {
    this.#released = true;
    this.detach();
  }

  private onState(state: ConnectionState): void {
    if (state === 'SUSPENDED') this.emit('suspended');
    else if (state === 'LOST') this.markLost();
    else if (state === 'RECONNECTED') {
      // A reconnect under a new session means the old session, and our node, are gone.
      if (this.session.client !== this.node.owner) this.markLost();
      else this.emit('reconnected');
    }
  }

  private markLost(): void {
    if (this.#lost || this.#released) return;
    this.#lost = true;
    this.detach();
    this.#abort.abort(new ZkError('SESSION_EXPIRED', { path: this.node.path, message: 'Lock lost with its session' }));
    this.onLost(this.node);
    this.emit('lost');
  }

  private detach(): void {
    this.session.off('stateChanged', this.#onState);
    this.session.off('closed', this.#onClosed);
  }
}
