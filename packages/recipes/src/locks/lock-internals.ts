/**
 * The engine behind every lock-like recipe (Curator's `LockInternals`): create an ephemeral
 * sequential node under the lock path, ask the driver whether it holds, and otherwise watch
 * the one node the driver names until it goes away. On timeout, abort or error the node is
 * deleted with a guaranteed delete, so a contender that gave up never blocks the others.
 * @module
 */
import { type NodeData, type WatchedEvent, type ZkClient, ZkError } from '@zkts/client';
import { deleteGuaranteed } from '../session/guaranteed-delete.js';
import type { ManagedClient } from '../session/managed-client.js';
import { type ProtectedNode, createProtected } from '../session/protected-create.js';
import { RETRIES_MAX } from '../session/retrying.js';
import { assert } from '../util/assert.js';
import { hasCode, isConnectionError } from '../util/codes.js';
import { joinPath } from '../util/paths.js';
import { sequenceOf, sortBySequence } from '../util/sequence.js';
import { type Deadline, isPast, remainingMs, throwIfAborted, waitFor, wakeup } from '../util/waiting.js';
import type { LockDriver } from './lock-driver.js';

/** A lock node this process created and holds. */
export interface LockNode {
  readonly path: string;
  readonly name: string;
  /** The zxid of the create: increases with every later holder, so it serves as a fencing token. */
  readonly czxid: bigint;
  /** The node's sequence number. */
  readonly sequence: number;
  /** The client whose session owns the node. */
  readonly owner: ZkClient;
}

/** How often a whole attempt is restarted after the session that owned our node ended. */
const SESSION_RETRIES_MAX = 3;

/** Lock engine for one lock path and driver. */
export class LockInternals {
  constructor(
    readonly session: ManagedClient,
    readonly basePath: string,
    readonly driver: LockDriver,
    private readonly data: NodeData | undefined,
  ) {}

  /**
   * Contends for the lock until it is held (resolving with our node), the deadline passes
   * (resolving undefined) or the signal aborts (rejecting with its reason). `holdsAnyway` lets
   * a caller skip waiting (a read lock whose owner holds the write lock).
   */
  async attempt(deadline: Deadline, signal: AbortSignal | undefined, holdsAnyway?: () => boolean): Promise<LockNode | undefined> {
    for (let restart = 0; ; restart++) {
      throwIfAborted(signal);
      try {
        await this.session.connected({ timeoutMs: remainingMs(deadline), signal });
      } catch (error) {
        if (hasCode(error, 'OPERATION_TIMEOUT') && isPast(deadline)) return undefined;
        throw error;
      }
      const client = this.session.client;
      let created: ProtectedNode;
      try {
        created = await createProtected(client, this.basePath, this.driver.lockName, this.data, 'EPHEMERAL_SEQUENTIAL');
      } catch (error) {
        if (this.canRestart(error) && restart < SESSION_RETRIES_MAX) continue;
        throw error;
      }
      const sequence = sequenceOf(created.name);
      assert(sequence !== undefined, `sequential node ${created.name} has a sequence suffix`);
      const node: LockNode = { path: created.path, name: created.name, czxid: created.stat.czxid, sequence, owner: client };
      let held = false;
      try {
        held = await this.waitUntilHeld(node, deadline, signal, holdsAnyway);
      } catch (error) {
        await this.deleteQuietly(node);
        if (this.canRestart(error) && restart < SESSION_RETRIES_MAX) continue;
        throw error;
      }
      if (held) return node;
      await this.deleteQuietly(node);
      return undefined;
    }
  }

  /** True if our node vanished with its session and a managed client is opening a new one to retry in. */
  private canRestart(error: unknown): boolean {
    return hasCode(error, 'NO_NODE', 'SESSION_EXPIRED') && this.session.renewsSession && !this.session.isClosed;
  }

  /** Gives up a held node (guaranteed delete). */
  release(node: LockNode): Promise<void> {
    return deleteGuaranteed(this.session, node.owner, node.path);
  }

  /** The lock path's children sorted by sequence; empty if the path does not exist. */
  async sortedChildren(client: ZkClient = this.session.client): Promise<string[]> {
    try {
      return sortBySequence(await client.getChildren(this.basePath));
    } catch (error) {
      if (hasCode(error, 'NO_NODE')) return [];
      throw error;
    }
  }

  private async waitUntilHeld(node: LockNode, deadline: Deadline, signal: AbortSignal | undefined, holdsAnyway?: () => boolean): Promise<boolean> {
    const client = node.owner;
    for (let retries = 0; ; ) {
      throwIfAborted(signal);
      try {
        const children = await this.sortedChildren(client);
        const predicate = this.driver.getsTheLock(children, node.name);
        if (holdsAnyway?.() === true || predicate.holds) return true;
        assert(predicate.watch !== undefined, 'a contender that does not hold watches a node');
        const woken = wakeup();
        const watcher = (event: WatchedEvent): void => {
          // Session events reach every watcher without consuming it; only the node's own event matters.
          if (event.type !== 'None') woken.wake();
        };
        // A LOST session takes our node with it: wake up to find that out instead of waiting forever.
        const onState = (state: string): void => {
          if (state === 'LOST' || state === 'RECONNECTED') woken.wake();
        };
        this.session.on('stateChanged', onState);
        this.session.once('closed', woken.wake);
        try {
          try {
            // getData rather than exists: no watch is left behind when the predecessor is already gone.
            await client.getData(joinPath(this.basePath, predicate.watch), watcher);
          } catch (error) {
            if (hasCode(error, 'NO_NODE')) continue; // the predecessor went away first: look again
            throw error;
          }
          if (isPast(deadline)) return false;
          if ((await waitFor(woken.promise, deadline, signal)) === 'timeout') return false;
        } finally {
          this.session.off('stateChanged', onState);
          this.session.off('closed', woken.wake);
        }
        retries = 0;
      } catch (error) {
        if (!isConnectionError(error) || retries++ >= RETRIES_MAX) throw error;
        // Rejects with SESSION_EXPIRED if the session (and our node) ended meanwhile.
        await client.connected({ signal });
      }
    }
  }

  private async deleteQuietly(node: LockNode): Promise<void> {
    try {
      await this.release(node);
    } catch (error) {
      this.session.emit('error', error);
    }
  }
}

/** Error for `acquire` calls that timed out. */
export function lockTimeout(path: string, timeoutMs: number | undefined): ZkError {
  return new ZkError('OPERATION_TIMEOUT', { path, message: `Lock not acquired within ${timeoutMs} ms` });
}
