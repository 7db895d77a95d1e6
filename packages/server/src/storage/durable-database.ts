import { ZkDatabase } from '../database/zk-database.js';
import { DataTree } from '../tree/data-tree.js';
import type { Txn } from '../replication/replicator.js';
import type { SnapshotNode } from '../tree/tree-types.js';
import { recoverDatabase, type RecoveredDatabase } from './recover.js';
import type { Storage } from './storage.js';

/**
 * Rebuilds a standalone server's database from its storage: the newest valid
 * snapshot, then every logged transaction after it (a standalone server logs
 * only what it committed). Watches do not survive a restart, so the outcomes'
 * notifications are dropped.
 */
export function recoverStandaloneDatabase(storage: Storage, extendedTypesEnabled: boolean): Promise<RecoveredDatabase<ZkDatabase>> {
  return recoverDatabase<ZkDatabase>(storage, {
    initial: () => new ZkDatabase({ extendedTypesEnabled }),
    fromSnapshot: async (snapshot) => {
      const tree = await DataTree.fromAsyncNodes<unknown>(snapshot.nodes, { extendedTypesEnabled });
      return ZkDatabase.restore(tree, snapshot.sessions, snapshot.zxid);
    },
    apply: (database: ZkDatabase, txn: Txn) => {
      database.apply(txn);
    },
  });
}

/** A point-in-time copy of the database for a snapshot, taken synchronously at its applied zxid. */
export function snapshotContentsOf(database: ZkDatabase): { zxid: number; contents: { nodes: SnapshotNode[]; sessions: Map<bigint, number> } } {
  return {
    zxid: database.lastProcessedZxid,
    contents: { nodes: [...database.tree.snapshotNodes()], sessions: new Map(database.sessions) },
  };
}
