import type { Replicator, Txn, TxnRequest } from './replicator.js';

/** Where a standalone server's commits go: apply to the database, answer the client. */
export type CommitHandler = (txn: Txn) => void;

type QueueItem = { txn: Txn } | { barrier: () => void };

/**
 * The replicator of a standalone server: it numbers transactions and commits
 * them in batches, one batch per event-loop turn, so that concurrent writers
 * share the work of a commit (and, with a durable log, one fsync).
 */
export class StandaloneReplicator implements Replicator {
  private queue: QueueItem[] = [];
  private flushScheduled = false;
  private closed = false;

  constructor(
    private lastZxid: number,
    private readonly onCommit: CommitHandler,
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

  close(): Promise<void> {
    this.closed = true;
    this.queue = [];
    return Promise.resolve();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    for (const item of batch) {
      if (this.closed) return;
      if ('txn' in item) this.onCommit(item.txn);
      else item.barrier();
    }
  }
}
