/**
 * The rule DataTree.setWatches applies when a client reconnects and re-sends
 * its watches with the last zxid it saw (`relativeZxid`): a watch whose event
 * would already have fired meanwhile fires now; the others are re-registered.
 * @module
 */

import { EventType } from '@zkts/protocol';

/** The watches a client re-sends (SetWatches / SetWatches2). */
export interface ReconnectWatchLists {
  /** Paths watched by getData. */
  dataWatches: readonly string[];
  /** Paths watched by exists (the node did not exist). */
  existWatches: readonly string[];
  /** Paths watched by getChildren. */
  childWatches: readonly string[];
  /** Paths with a persistent watch (SetWatches2 only). */
  persistentWatches?: readonly string[];
  /** Paths with a persistent-recursive watch (SetWatches2 only). */
  persistentRecursiveWatches?: readonly string[];
}

/** The zxids of a node that decide whether a watch missed an event. */
export interface NodeZxids {
  /** Last data change. */
  mzxid: number;
  /** Last change to the children. */
  pzxid: number;
}

/** What to do with re-sent watches. */
export interface ReconnectWatchPlan {
  /** Events to send now, in ZooKeeper's order (data, then exist, then child watches). */
  fire: { type: EventType; path: string }[];
  /** Standard data watches to register (getData and exists kinds). */
  data: string[];
  /** Standard child watches to register. */
  child: string[];
  /** Persistent watches to register (never fire on reconnect). */
  persistent: string[];
  /** Persistent-recursive watches to register (never fire on reconnect). */
  persistentRecursive: string[];
}

/**
 * Decides, for each re-sent watch, whether it fires now or is registered:
 * a data watch fires NodeDeleted if the node is gone and NodeDataChanged if
 * mzxid > relativeZxid; an exist watch fires NodeCreated if the node now
 * exists; a child watch fires NodeDeleted if the node is gone and
 * NodeChildrenChanged if pzxid > relativeZxid.
 */
export function watchesForReconnect(
  relativeZxid: number,
  watches: ReconnectWatchLists,
  lookup: (path: string) => NodeZxids | undefined,
): ReconnectWatchPlan {
  const plan: ReconnectWatchPlan = { fire: [], data: [], child: [], persistent: [], persistentRecursive: [] };
  for (const path of watches.dataWatches) {
    const node = lookup(path);
    if (node === undefined) plan.fire.push({ type: EventType.NodeDeleted, path });
    else if (node.mzxid > relativeZxid) plan.fire.push({ type: EventType.NodeDataChanged, path });
    else plan.data.push(path);
  }
  for (const path of watches.existWatches) {
    if (lookup(path) !== undefined) plan.fire.push({ type: EventType.NodeCreated, path });
    else plan.data.push(path);
  }
  for (const path of watches.childWatches) {
    const node = lookup(path);
    if (node === undefined) plan.fire.push({ type: EventType.NodeDeleted, path });
    else if (node.pzxid > relativeZxid) plan.fire.push({ type: EventType.NodeChildrenChanged, path });
    else plan.child.push(path);
  }
  plan.persistent.push(...(watches.persistentWatches ?? []));
  plan.persistentRecursive.push(...(watches.persistentRecursiveWatches ?? []));
  return plan;
}
