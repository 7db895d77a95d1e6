/**
 * A client wrapped so a test can count watch registrations and firings: every watcher passed
 * to `getData`, `exists` or `getChildren` is replaced by one that counts node events (session
 * events, which reach every watcher without consuming it, are not counted).
 */
import type { WatchedEvent, Watcher, ZkClient } from '@zkts/client';

/** Counters shared by every client wrapped with them. */
export interface WatchCounters {
  /** Watches set (calls with a watcher that the server answered). */
  registered: number;
  /** Node events delivered to watchers. */
  fired: number;
  /** Node events, by the path they name. */
  firedPaths: string[];
  /** Calls of any client method that talks to the server, by name. */
  calls: Map<string, number>;
}

/** Creates empty counters. */
export function watchCounters(): WatchCounters {
  return { registered: 0, fired: 0, firedPaths: [], calls: new Map() };
}

const watched = new Set(['getData', 'exists', 'getChildren', 'getChildrenWithStat']);
const requests = new Set([...watched, 'create', 'createWithParents', 'delete', 'setData', 'multi', 'sync', 'addWatch', 'removeWatches', 'getACL', 'setACL']);

/** The number of server requests counted so far. */
export function requestCount(counters: WatchCounters): number {
  let total = 0;
  for (const count of counters.calls.values()) total += count;
  return total;
}

/** Wraps `client` so its watches update `counters`. */
export function countingClient(client: ZkClient, counters: WatchCounters): ZkClient {
  const wrappers = new WeakMap<Watcher, Watcher>();
  return new Proxy(client, {
    get(target, property, _receiver) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (typeof property === 'string' && requests.has(property)) counters.calls.set(property, (counters.calls.get(property) ?? 0) + 1);
      if (typeof property === 'string' && watched.has(property)) {
        return (path: string, watcher?: Watcher, ...rest: unknown[]) => {
          if (watcher === undefined) return (value as (...args: unknown[]) => unknown).call(target, path, watcher, ...rest);
          let wrapper = wrappers.get(watcher);
          if (wrapper === undefined) {
            wrapper = (event: WatchedEvent) => {
              if (event.type !== 'None') {
                counters.fired++;
                counters.firedPaths.push(event.path ?? '');
              }
              watcher(event);
            };
            wrappers.set(watcher, wrapper);
          }
          const pending = (value as (...args: unknown[]) => Promise<unknown>).call(target, path, wrapper, ...rest);
          // Counted once the server has answered, i.e. once the watch is set there.
          void pending.then(() => counters.registered++, () => {});
          return pending;
        };
      }
      return (value as (...args: unknown[]) => unknown).bind(target);
    },
  });
}
