/**
 * A barrier (Curator's DistributedBarrier): while the barrier node exists, `waitOnBarrier`
 * blocks; removing the node releases every waiter.
 * @module
 */
import type { WatchedEvent } from '@zkts/client';
import { type ClientSource, type ManagedClient, managedClientOf } from '../session/managed-client.js';
import { retrying } from '../session/retrying.js';
import { hasCode } from '../util/codes.js';
import { checkBasePath } from '../util/paths.js';
import { type WaitOptions, deadlineAfter, isPast, throwIfAborted, waitFor, wakeup } from '../util/waiting.js';

/** A barrier on one node; see the module description. */
export class DistributedBarrier {
  private readonly session: ManagedClient;

  constructor(source: ClientSource, readonly path: string) {
    this.session = managedClientOf(source);
    checkBasePath(path);
  }

  /** Raises the barrier (creates the node and missing parents); raising a raised barrier is fine. */
  async setBarrier(): Promise<void> {
    await retrying(this.session, async (client) => {
      try {
        await client.createWithParents(this.path);
      } catch (error) {
        if (!hasCode(error, 'NODE_EXISTS')) throw error;
      }
    });
  }

  /** Removes the barrier, releasing every waiter; removing a removed barrier is fine. */
  async removeBarrier(): Promise<void> {
    await retrying(this.session, async (client) => {
      try {
        await client.delete(this.path);
      } catch (error) {
        if (!hasCode(error, 'NO_NODE')) throw error;
      }
    });
  }

  /**
   * Waits until the barrier is removed: resolves true then, or false after `timeoutMs`.
   * Rejects with the signal's reason on abort.
   */
  async waitOnBarrier(options: WaitOptions = {}): Promise<boolean> {
    const deadline = deadlineAfter(options.timeoutMs);
    for (;;) {
      throwIfAborted(options.signal);
      const woken = wakeup();
      const watcher = (event: WatchedEvent): void => {
        if (event.type !== 'None') woken.wake();
      };
      const onState = (): void => woken.wake();
      const stat = await retrying(this.session, (client) => client.exists(this.path, watcher), options.signal);
      if (stat === null) return true;
      if (isPast(deadline)) return false;
      // A new session does not carry our watch over: look again after every reconnect.
      this.session.on('stateChanged', onState);
      try {
        if ((await waitFor(woken.promise, deadline, options.signal)) === 'timeout') return false;
      } finally {
        this.session.off('stateChanged', onState);
      }
    }
  }
}

/** Creates a {@link DistributedBarrier}. */
export function barrier(source: ClientSource, path: string): DistributedBarrier {
  return new DistributedBarrier(source, path);
}
