/**
 * `#async-owner` in browsers: there is no AsyncLocalStorage, so async-context owners cannot be
 * told apart and asking for them fails with a message that says what to use instead.
 * @module
 */
import type { OwnerContext } from './owner.js';

/** Always throws: browsers have no AsyncLocalStorage. */
export function createAsyncOwnerContext(): OwnerContext {
  throw new Error("owner: 'async-context' needs AsyncLocalStorage (Node); in browsers use the default owner: 'instance'");
}
