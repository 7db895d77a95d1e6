import type { LogEntry, PersistBatch, Snapshot } from '@zkts/consensus';

/** What a member recovers at start: epochs, the newest snapshot, and the log after it. */
export interface RecoveredEnsembleState {
  acceptedEpoch: number;
  currentEpoch: number;
  snapshot: Snapshot | undefined;
  log: LogEntry[];
}

/** Durable state of an ensemble member, as the consensus core asks for it. */
export interface EnsembleStorage {
  recover(): Promise<RecoveredEnsembleState>;
  /** Makes a Ready's persist batch durable (fsync) before the driver sends anything. */
  persist(batch: PersistBatch): Promise<void>;
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

  recover(): Promise<RecoveredEnsembleState> {
    return Promise.resolve({ acceptedEpoch: this.acceptedEpoch, currentEpoch: this.currentEpoch, snapshot: this.snapshot, log: [...this.log] });
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

  recover(): Promise<RecoveredEnsembleState> {
    return this.storage.recover();
  }

  persist(batch: PersistBatch): Promise<void> {
    const empty =
      batch.snapshot === undefined &&
      batch.truncateAfterZxid === undefined &&
      batch.entries.length === 0 &&
      batch.acceptedEpoch === undefined &&
      batch.currentEpoch === undefined;
    return empty ? Promise.resolve() : this.storage.persist(batch);
  }
}
