import type { Replicator, Txn, TxnRequest } from './replicator.js';
import type { Storage } from '../storage/storage.js';
import { encodeTxn } from '../storage/txn-codec.js';

/** Where a standalone server's commits go: apply to the database, answer the client. */
export type CommitHandler = (txn: Txn) => void;

/** Called when the log cannot be made durable: the server must stop, as ZooKeeper exits. */
export type StorageFailureHandler = (error: unknown) => void;

type QueueItem = { txn: Txn } | { barrier: () => void };

/**
 * The replicator of a standalone server: it numbers transactions and commits
 * them in batches. Each batch is appended to the log and made durable by one
 * fsync (group commit: concurrent writers share it) before any of it is
 * applied or acknowledged. Batches commit strictly in order.
 */
export class StandaloneReplicator implements Replicator {
  private queue: QueueItem[] = [];
  private flushScheduled = false;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private lastZxid: number,
    private readonly onCommit: CommitHandler,
    private readonly storage?: Storage,
    private readonly onStorageFailure: StorageFailureHandler = (error) => {
      throw error;
    },
    private readonly nowMs: () => number = Date.now,
  ) {}

  propose(request: TxnRequest): void {
    if (this.closed) return;
    this.lastZxid++;
    this.queue.push({ txn: { ...request, zxid: this.lastZxid, timeMs: this.nowMs() } });
    this.scheduleFlush();
  }

  sync(done: () => void): void {
    if (this.closed) return;
    this.queue.push({ barrier: done });
    this.scheduleFlush();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue = [];
    await this.flushing.catch(() => undefined);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const batch = this.queue;
      this.queue = [];
      if (batch.length === 0) return;
      const storage = this.storage;
      if (storage !== undefined) for (const item of batch) if ('txn' in item) storage.append(item.txn.zxid, encodeTxn(item.txn));
      // The fsync of this batch may run while the previous batch is still being applied; commits stay in order.
      const durable = storage === undefined ? Promise.resolve() : storage.sync();
      this.flushing = this.flushing.then(() => durable).then(
        () => this.commit(batch),
        (error: unknown) => {
          this.closed = true;
          this.onStorageFailure(error);
        },
      );
    });
  }

  private commit(batch: QueueItem[]): void {
    for (const item of batch) {
      if (this.closed) return;
      if ('txn' in item) this.onCommit(item.txn);
      else item.barrier();
    }
  }
}
