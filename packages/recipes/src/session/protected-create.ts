/**
 * Curator's protection mode (`create().withProtection()`): the node's name starts with
 * `_c_<uuid>-`, so when the reply to a create is lost (the connection failed while it was in
 * flight) the creator finds its node by that prefix instead of creating a second one and
 * leaving the first as an orphan that nobody deletes — fatal for a lock, where the orphan
 * would block every waiter until the session ends.
 * @module
 */
import type { CreateModeName, NodeData, Stat, ZkClient } from '@zkts/client';
import { hasCode, isConnectionError } from '../util/codes.js';
import { joinPath, nodeName } from '../util/paths.js';
import { randomId } from '../util/random-id.js';
import { RETRIES_MAX } from './retrying.js';

/** The prefix Curator gives protected names. */
export const PROTECTED_PREFIX = '_c_';

/** A node created by {@link createProtected}. */
export interface ProtectedNode {
  /** Full path, with the sequence suffix for sequential modes. */
  readonly path: string;
  /** The last path segment. */
  readonly name: string;
  /** The node's Stat at creation (its `czxid` orders it among all writes). */
  readonly stat: Stat;
}

/** Strips a protection prefix (`_c_<uuid>-`) from a node name, if it has one. */
export function withoutProtection(name: string): string {
  if (!name.startsWith(PROTECTED_PREFIX)) return name;
  const dash = name.indexOf('-', PROTECTED_PREFIX.length + 36);
  return dash < 0 ? name : name.slice(dash + 1);
}

/**
 * Creates `parent/_c_<uuid>-<name>` (missing ancestors become containers, as Curator's
 * `creatingParentContainersIfNeeded`) and resolves with its path and Stat. On a connection
 * error it waits for the connection, looks for a child with its prefix and, if the first create
 * did happen, returns that node; otherwise it creates again.
 *
 * No abort signal is passed to the client: an aborted create may still be applied, and only
 * by waiting for its answer can the caller delete what it made.
 */
export async function createProtected(client: ZkClient, parent: string, name: string, data: NodeData | undefined, mode: CreateModeName): Promise<ProtectedNode> {
  const prefix = `${PROTECTED_PREFIX}${randomId()}-`;
  const path = joinPath(parent, prefix + name);
  for (let attempt = 0; ; attempt++) {
    try {
      const created = await client.createWithParents(path, data, { mode, stat: true, parentMode: 'CONTAINER' });
      return { path: created.path, name: nodeName(created.path), stat: created.stat };
    } catch (error) {
      if (attempt >= RETRIES_MAX) throw error;
      // A container parent can be removed by the server between creating it and our child: create it again.
      if (hasCode(error, 'NO_NODE')) continue;
      if (!isConnectionError(error)) throw error;
      const found = await findProtected(client, parent, prefix);
      if (found !== undefined) return found;
    }
  }
}

/** Looks for the child of `parent` named with `prefix`, once the connection is back. */
async function findProtected(client: ZkClient, parent: string, prefix: string): Promise<ProtectedNode | undefined> {
  for (let attempt = 0; ; attempt++) {
    // Rejects with SESSION_EXPIRED once the session is over: an ephemeral node went with it.
    await client.connected();
    try {
      // In an ensemble the server we reconnected to may lag the one that took the create.
      await client.sync(parent);
      const children = await client.getChildren(parent);
      const name = children.find((child) => child.startsWith(prefix));
      if (name === undefined) return undefined;
      const path = joinPath(parent, name);
      const stat = await client.exists(path);
      return stat === null ? undefined : { path, name, stat };
    } catch (error) {
      if (isConnectionError(error) && attempt < RETRIES_MAX) continue;
      if (hasCode(error, 'NO_NODE')) return undefined;
      throw error;
    }
  }
}
