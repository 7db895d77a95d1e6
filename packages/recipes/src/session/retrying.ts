/**
 * Curator's RetryLoop for recipes: an operation that is safe to repeat (a read, a delete that
 * tolerates NO_NODE, a conditional write) is retried after the connection comes back.
 * @module
 */
import type { ZkClient } from '@zkts/client';
import { hasCode, isConnectionError } from '../util/codes.js';
import { sleep, throwIfAborted } from '../util/waiting.js';
import type { ManagedClient } from './managed-client.js';

/** How many times one operation is retried before its error is passed on. */
export const RETRIES_MAX = 20;

/**
 * Runs `operation` with the current client. On a connection error, or on SESSION_EXPIRED while
 * a new session is being opened, it waits until connected again and retries (bounded, with a
 * short growing pause). Other errors, and the connection state turning terminal, end it.
 */
export async function retrying<T>(session: ManagedClient, operation: (client: ZkClient) => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(signal);
    const client = session.client;
    try {
      return await operation(client);
    } catch (error) {
      const renewing = hasCode(error, 'SESSION_EXPIRED') && session.renewsSession && !session.isClosed;
      if ((!isConnectionError(error) && !renewing) || attempt >= RETRIES_MAX) throw error;
      await session.connected({ signal });
      // The state can read connected for a moment before the client notices a dead link.
      if (session.client === client) await sleep(Math.min(5 * 2 ** attempt, 500), signal);
    }
  }
}
