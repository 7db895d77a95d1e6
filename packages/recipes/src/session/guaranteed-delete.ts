/**
 * Curator's `delete().guaranteed()` for ephemeral nodes: if the delete cannot be confirmed
 * (the connection failed while it was in flight), it keeps trying in the background until it
 * succeeds, the node is gone, or the session that owns the node ends (taking the node with it).
 * Without this a contender that gave up could leave its node behind and block a lock forever.
 * @module
 */
import type { ZkClient } from '@zkts/client';
import { hasCode, isConnectionError } from '../util/codes.js';
import { sleep } from '../util/waiting.js';
import type { ManagedClient } from './managed-client.js';

/**
 * Deletes the ephemeral node `path` that `owner`'s session created. The first attempt is
 * awaited, so in the common case the node is gone when this resolves; if it could not be
 * confirmed, retries continue in the background (see {@link ManagedClient.idle}).
 */
export async function deleteGuaranteed(session: ManagedClient, owner: ZkClient, path: string): Promise<void> {
  if ((await attemptDelete(owner, path)) === 'done') return;
  session.background(async (signal) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await owner.connected({ signal });
      } catch (error) {
        // The owner's session is over: its ephemeral node went with it.
        if (hasCode(error, 'SESSION_EXPIRED', 'AUTH_FAILED')) return;
        throw error;
      }
      if ((await attemptDelete(owner, path)) === 'done') return;
      await sleep(Math.min(10 * 2 ** attempt, 1_000), signal);
    }
  });
}

async function attemptDelete(owner: ZkClient, path: string): Promise<'done' | 'retry'> {
  try {
    await owner.delete(path);
    return 'done';
  } catch (error) {
    if (hasCode(error, 'NO_NODE', 'SESSION_EXPIRED', 'AUTH_FAILED')) return 'done';
    if (isConnectionError(error)) return 'retry';
    throw error;
  }
}
