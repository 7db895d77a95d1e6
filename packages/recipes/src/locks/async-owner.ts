/**
 * `#async-owner` in Node: owners are async contexts, tracked with AsyncLocalStorage. This is
 * the recipes' only Node built-in; package.json `imports` swaps in a stub for browsers.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { OwnerContext } from './owner.js';

/** An owner context backed by a fresh AsyncLocalStorage. */
export function createAsyncOwnerContext(): OwnerContext {
  const storage = new AsyncLocalStorage<object>();
  return {
    current: () => storage.getStore(),
    run: (owner, fn) => storage.run(owner, fn),
  };
}
