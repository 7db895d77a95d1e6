import type { ZkDatabase } from '../database/zk-database.js';
import type { Storage } from './storage.js';
import { snapshotContentsOf } from './durable-database.js';

/**
 * Takes a snapshot every `snapCount` committed transactions, as ZooKeeper's
 * SyncRequestProcessor does. The copy is taken synchronously at the applied
 * zxid, so the snapshot is a consistent cut; writing it to disk runs in the
 * background while commits go on.
 */
export class SnapshotScheduler {
  private sinceLastSnapshot = 0;
  private writing: Promise<unknown> = Promise.resolve();
  private inFlight = false;

  constructor(
    private readonly storage: Storage,
    private readonly snapCount: number,
  ) {}

  /** Counts a commit; starts a snapshot when enough have accumulated and none is being written. */
  afterCommit(database: ZkDatabase): void {
    this.sinceLastSnapshot++;
    if (this.sinceLastSnapshot < this.snapCount || this.inFlight) return;
    void this.takeNow(database);
  }

  /** Snapshots the database now. */
  takeNow(database: ZkDatabase): Promise<unknown> {
    this.sinceLastSnapshot = 0;
    this.inFlight = true;
    const { zxid, contents } = snapshotContentsOf(database);
    this.writing = this.storage.writeSnapshot(zxid, contents).then(
      () => {
        this.inFlight = false;
      },
      (error: unknown) => {
        this.inFlight = false;
        console.error(`zkts: snapshot at zxid 0x${zxid.toString(16)} failed: ${(error as Error).message}`);
      },
    );
    return this.writing;
  }

  /** Resolves once no snapshot is being written. */
  idle(): Promise<unknown> {
    return this.writing;
  }
}
