import type { Watcher, ZkClient } from '@zkts/client';
import { ZkError, joinPath } from '@zkts/protocol';

/**
 * `ZKUtil.visitSubTreeDFS`: the node itself, then at each level all children (sorted) before
 * their subtrees. A missing start node is an error (NO_NODE); nodes deleted during the walk are
 * skipped. With a watcher, every visited node gets a data watch (the start node) or child watch.
 */
export async function visitSubtree(client: ZkClient, path: string, watcher: Watcher | undefined, visit: (path: string) => Promise<void> | void): Promise<void> {
  await client.getData(path, watcher);
  await visit(path);
  await visitChildren(client, path, watcher, visit);
}

async function visitChildren(client: ZkClient, path: string, watcher: Watcher | undefined, visit: (path: string) => Promise<void> | void): Promise<void> {
  let children: string[];
  try {
    children = await client.getChildren(path, watcher);
  } catch (error) {
    if (error instanceof ZkError && error.code === 'NO_NODE') return;
    throw error;
  }
  children.sort();
  for (const child of children) await visit(joinPath(path, child));
  for (const child of children) await visitChildren(client, joinPath(path, child), watcher, visit);
}
