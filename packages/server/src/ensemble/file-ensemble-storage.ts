import type { LogEntry, PersistBatch } from '@zkts/consensus';
import { ZkDatabase } from '../database/zk-database.js';
import { DataTree } from '../tree/data-tree.js';
import { FileStorage, type FileStorageOptions } from '../storage/file-storage.js';
import type { Storage } from '../storage/storage.js';
import { snapshotContentsOf } from '../storage/durable-database.js';
import type { EnsembleStorage, RecoveredEnsembleState } from './ensemble-state.js';

/**
 * An ensemble member's durable state on disk (`dataDir`/`dataLogDir`): the
 * `acceptedEpoch` and `currentEpoch` files, snapshots, and the log of every
 * proposal it accepted. Every batch is fsynced before the driver sends the
 * acknowledgements that depend on it.
 */
export class FileEnsembleStorage implements EnsembleStorage {
  private constructor(private readonly storage: Storage) {}

  /** Opens (and repairs a torn tail of) the storage under `dataDir`. */
  static async open(options: FileStorageOptions): Promise<FileEnsembleStorage> {
    return new FileEnsembleStorage(await FileStorage.open(options));
  }

  async recover(extendedTypesEnabled: boolean): Promise<RecoveredEnsembleState> {
    const restored = await this.storage.loadSnapshot(async (snapshot) => {
      const tree = await DataTree.fromAsyncNodes<unknown>(snapshot.nodes, { extendedTypesEnabled });
      return ZkDatabase.restore(tree, snapshot.sessions, snapshot.zxid);
    });
    const snapshotZxid = restored?.zxid ?? 0;
    const log: LogEntry[] = [];
    for await (const record of this.storage.readRecords(snapshotZxid)) log.push({ zxid: record.zxid, data: record.bytes });
    return {
      acceptedEpoch: (await this.storage.readEpoch('acceptedEpoch')) ?? 0,
      currentEpoch: (await this.storage.readEpoch('currentEpoch')) ?? 0,
      database: restored?.value,
      snapshotZxid,
      log,
    };
  }

  async persist(batch: PersistBatch, database: ZkDatabase): Promise<void> {
    if (batch.snapshot !== undefined) {
      const { contents } = snapshotContentsOf(database);
      await this.storage.writeSnapshot(batch.snapshot.zxid, contents);
      // The leader's snapshot replaces our history: a divergent tail after it must go.
      if (this.storage.lastLoggedZxid > batch.snapshot.zxid) await this.storage.truncateAfter(batch.snapshot.zxid);
    }
    if (batch.truncateAfterZxid !== undefined && this.storage.lastLoggedZxid > batch.truncateAfterZxid) {
      await this.storage.truncateAfter(batch.truncateAfterZxid);
    }
    for (const entry of batch.entries) this.storage.append(entry.zxid, entry.data);
    if (batch.entries.length > 0) await this.storage.sync();
    if (batch.acceptedEpoch !== undefined) await this.storage.writeEpoch('acceptedEpoch', batch.acceptedEpoch);
    if (batch.currentEpoch !== undefined) await this.storage.writeEpoch('currentEpoch', batch.currentEpoch);
  }

  close(): Promise<void> {
    return this.storage.close();
  }
}
