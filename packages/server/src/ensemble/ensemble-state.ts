import type { LogEntry, PersistBatch, Snapshot } from '@zkts/consensus';
import type { ZkDatabase } from '../database/zk-database.js';
import { restoreDatabaseSnapshot } from './database-snapshot.js';

/** What a member recovers at start: epochs, the database of the newest snapshot, and the log after it. */
export interface RecoveredEnsembleState {
  acceptedEpoch: number;
  currentEpoch: number;
  /** The database restored from the newest snapshot, if there is one. */
  database: ZkDatabase | undefined;
  /** Zxid of that snapshot (0 without one). */
  snapshotZxid: number;
  /** Log entries after the snapshot, possibly with an uncommitted tail. */
  log: LogEntry[];
}

/** Durable state of an ensemble member, as the consensus core asks for it. */
export interface EnsembleStorage {
  recover(extendedTypesEnabled: boolean): Promise<RecoveredEnsembleState>;
  /**
   * Makes a Ready's persist batch durable (fsync) before the driver sends anything.
   * With a snapshot in the batch, `database` is the database just installed from it.
   */
  persist(batch: PersistBatch, database: ZkDatabase): Promise<void>;
  /** Releases files. */
  close(): Promise<void>;
}

/**
 * In-memory ensemble storage: durable for the life of the object, so an
 * in-process ensemble can kill and restart a member and keep what it synced.
 */
export class MemoryEnsembleStorage implements EnsembleStorage {
  private acceptedEpoch = 0;
  private currentEpoch = 0;
  private snapshot: Snapshot | undefined;
  private log: LogEntry[] = [];

  recover(extendedTypesEnabled: boolean): Promise<RecoveredEnsembleState> {
    const snapshot = this.snapshot;
    return Promise.resolve({
      acceptedEpoch: this.acceptedEpoch,
      currentEpoch: this.currentEpoch,
      database: snapshot === undefined ? undefined : restoreDatabaseSnapshot(snapshot.data, { extendedTypesEnabled }),
      snapshotZxid: snapshot?.zxid ?? 0,
      log: [...this.log],
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  persist(batch: PersistBatch): Promise<void> {
    if (batch.snapshot !== undefined) {
      this.snapshot = batch.snapshot;
      this.log = [];
    }
    if (batch.truncateAfterZxid !== undefined) {
      const limit = batch.truncateAfterZxid;
      this.log = this.log.filter((entry) => entry.zxid <= limit);
    }
    for (const entry of batch.entries) this.log.push(entry);
    if (batch.acceptedEpoch !== undefined) this.acceptedEpoch = batch.acceptedEpoch;
    if (batch.currentEpoch !== undefined) this.currentEpoch = batch.currentEpoch;
    return Promise.resolve();
  }
}

/** Wraps the member's storage (in memory by default). */
export class EnsembleState implements EnsembleStorage {
  private readonly storage: EnsembleStorage;

  constructor(storage?: EnsembleStorage) {
    this.storage = storage ?? new MemoryEnsembleStorage();
  }

  recover(extendedTypesEnabled: boolean): Promise<RecoveredEnsembleState> {
    return this.storage.recover(extendedTypesEnabled);
  }

  close(): Promise<void> {
    return this.storage.close();
  }

  persist(batch: PersistBatch, database: ZkDatabase): Promise<void> {
    const empty =
      batch.snapshot === undefined &&
      batch.truncateAfterZxid === undefined &&
      batch.entries.length === 0 &&
      batch.acceptedEpoch === undefined &&
      batch.currentEpoch === undefined;
    return empty ? Promise.resolve() : this.storage.persist(batch, database);
  }
}
