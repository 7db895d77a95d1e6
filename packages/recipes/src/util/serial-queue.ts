/**
 * Runs async tasks one at a time in submission order. Long-lived recipes react to watch events
 * and connection changes that can arrive while an earlier reaction is still awaiting the
 * server; running them serially keeps each reaction's view of the recipe's state consistent,
 * as Curator's synchronized blocks do.
 * @internal
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Queues a task; its failure goes to `onError`, never to the next task. */
  run(task: () => Promise<void>): Promise<void> {
    const next = this.tail.then(task).catch((error: unknown) => this.onError(error));
    this.tail = next;
    return next;
  }

  /** Resolves once every task queued so far has finished. */
  idle(): Promise<void> {
    return this.tail;
  }
}
