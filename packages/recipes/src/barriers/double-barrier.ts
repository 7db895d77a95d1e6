/**
 * A double barrier (Curator's DistributedDoubleBarrier): members `enter` and block until
 * `memberQty` members have entered; later they `leave` and block until every member has left.
 * Entering creates an ephemeral node named by a random id; the member that completes the
 * group creates a `ready` node, whose creation wakes the others. Leaving deletes our node and
 * waits, watching the highest remaining member node, until no member nodes remain.
 * @module
 */
import { type WatchedEvent, ZkError } from '@zkts/client';
import { type ClientSource, type ManagedClient, managedClientOf } from '../session/managed-client.js';
import { retrying } from '../session/retrying.js';
import { hasCode } from '../util/codes.js';
import { checkBasePath, joinPath } from '../util/paths.js';
import { randomId } from '../util/random-id.js';
import { type Deadline, type WaitOptions, deadlineAfter, isPast, throwIfAborted, waitFor, wakeup } from '../util/waiting.js';

/** Curator's ready node name. */
export const READY_NODE = 'ready';

/** A double barrier for `memberQty` members; see the module description. */
export class DoubleBarrier {
  private readonly session: ManagedClient;
  private readonly ourName = randomId();
  private readonly ourPath: string;
  private readonly readyPath: string;

  constructor(source: ClientSource, readonly path: string, readonly memberQty: number) {
    if (!Number.isInteger(memberQty) || memberQty < 1) throw new ZkError('BAD_ARGUMENTS', { message: `memberQty must be a positive integer, got ${memberQty}` });
    this.session = managedClientOf(source);
    checkBasePath(path);
    this.ourPath = joinPath(path, this.ourName);
    this.readyPath = joinPath(path, READY_NODE);
  }

  /** Enters and waits for the whole group: resolves true then, or false after `timeoutMs`. */
  async enter(options: WaitOptions = {}): Promise<boolean> {
    const deadline = deadlineAfter(options.timeoutMs);
    const ready = wakeup();
    const watcher = (event: WatchedEvent): void => {
      if (event.type !== 'None') ready.wake();
    };
    const readyExists = (await retrying(this.session, (client) => client.exists(this.readyPath, watcher), options.signal)) !== null;
    await retrying(this.session, async (client) => {
      try {
        await client.createWithParents(this.ourPath, undefined, { mode: 'EPHEMERAL', parentMode: 'CONTAINER' });
      } catch (error) {
        if (!hasCode(error, 'NODE_EXISTS')) throw error; // our earlier create did happen
      }
    });
    if (readyExists) return true;
    for (;;) {
      throwIfAborted(options.signal);
      const children = await retrying(this.session, (client) => client.getChildren(this.path), options.signal);
      if (children.filter((name) => name !== READY_NODE).length >= this.memberQty) {
        await retrying(this.session, async (client) => {
          try {
            await client.create(this.readyPath);
          } catch (error) {
            if (!hasCode(error, 'NODE_EXISTS')) throw error;
          }
        });
        return true;
      }
      if (isPast(deadline)) return false;
      if ((await waitFor(ready.promise, deadline, options.signal)) === 'timeout') return false;
      // The ready node was created (or changed): check it really exists before returning.
      if ((await retrying(this.session, (client) => client.exists(this.readyPath), options.signal)) !== null) return true;
    }
  }

  /** Leaves and waits until every member has left: resolves true then, or false after `timeoutMs`. */
  async leave(options: WaitOptions = {}): Promise<boolean> {
    const deadline: Deadline = deadlineAfter(options.timeoutMs);
    await retrying(this.session, async (client) => {
      try {
        await client.delete(this.ourPath);
      } catch (error) {
        if (!hasCode(error, 'NO_NODE')) throw error;
      }
    });
    for (;;) {
      throwIfAborted(options.signal);
      let children: string[];
      try {
        children = await retrying(this.session, (client) => client.getChildren(this.path), options.signal);
      } catch (error) {
        if (!hasCode(error, 'NO_NODE')) throw error;
        children = [];
      }
      const members = children.filter((name) => name !== READY_NODE).sort();
      if (members.length === 0) break;
      const highest = members[members.length - 1]!;
      const gone = wakeup();
      const watcher = (event: WatchedEvent): void => {
        if (event.type !== 'None') gone.wake();
      };
      const stat = await retrying(this.session, (client) => client.exists(joinPath(this.path, highest), watcher), options.signal);
      if (stat === null) continue;
      if (isPast(deadline) || (await waitFor(gone.promise, deadline, options.signal)) === 'timeout') return false;
    }
    await retrying(this.session, async (client) => {
      try {
        await client.delete(this.readyPath);
      } catch (error) {
        if (!hasCode(error, 'NO_NODE')) throw error;
      }
    });
    return true;
  }
}

/** Creates a {@link DoubleBarrier}. */
export function doubleBarrier(source: ClientSource, path: string, memberQty: number): DoubleBarrier {
  return new DoubleBarrier(source, path, memberQty);
}
