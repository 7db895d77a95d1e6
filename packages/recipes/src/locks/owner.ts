/**
 * Who owns a hold of a reentrant lock. Curator's InterProcessMutex is reentrant per thread;
 * JavaScript has no threads, so by default the owner is the lock instance (every call through
 * one `Mutex` object is the same owner), and optionally the async context (a Node
 * AsyncLocalStorage), which is the closest thing to a thread of execution.
 * @module
 */

/** How a reentrant lock tells owners apart. */
export interface OwnerContext {
  /** The owner of the code running now, if any. */
  current(): object | undefined;
  /** Runs `fn` (and everything it starts) as `owner`. */
  run<T>(owner: object, fn: () => T): T;
}

/** Every caller is the same owner, one token per lock object. */
export function instanceOwner(): OwnerContext {
  const token = Object.freeze({ kind: 'instance-owner' });
  return {
    current: () => token,
    run: (_owner, fn) => fn(),
  };
}
