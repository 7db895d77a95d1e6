/**
 * Per-file test plumbing: one target per kind for the whole file, clients that are closed
 * after each test, unique paths, and waiting for conditions with a deadline.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type ZkClient, type ZkClientOptions, connect } from '@zkts/client';
import { type ManagedClient, type ManagedClientOptions, connectManaged } from '../../src/index.js';
import { pollUntil } from '../../../../test-support/poll.js';
import { type Target, type TargetKind, fastClient, startTarget } from './targets.js';

/** What a test file gets for one target kind. */
export interface Harness {
  /** The running target (valid inside tests and hooks). */
  readonly target: Target;
  /** Connects a client that is closed after the current test. */
  client(options?: ZkClientOptions): Promise<ZkClient>;
  /** Connects a managed client (new session after expiry) that is closed after the current test. */
  managed(options?: ManagedClientOptions): Promise<ManagedClient>;
  /** A fresh path no other test uses. */
  path(name: string): string;
}

let pathCounter = 0;

/** Registers hooks that start a target of `kind` for the enclosing describe block. */
export function useTarget(kind: TargetKind): Harness {
  let target: Target | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    target = await startTarget(kind);
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  });
  afterAll(async () => {
    await target?.stop();
  });
  return {
    get target() {
      if (target === undefined) throw new Error('target not started');
      return target;
    },
    async client(options = {}) {
      const client = await connect(this.target.connectString, { ...fastClient, ...options });
      cleanups.push(() => client.close());
      return client;
    },
    async managed(options = {}) {
      const managed = await connectManaged(this.target.connectString, { ...fastClient, ...options });
      cleanups.push(() => managed.close());
      return managed;
    },
    path(name) {
      pathCounter++;
      return `/${kind}-${name}-${pathCounter}`;
    },
  };
}

/** Polls `probe` until it returns true, failing after `timeoutMs`. */
export async function eventually(description: string, probe: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  await pollUntil(async () => ((await probe()) ? true : undefined), { timeoutMs, intervalMs: 10, description });
}

/** Resolves with the arguments of the next emission of `event` (typed by the caller). */
export function nextEvent<T extends unknown[] = unknown[]>(emitter: { once: (...args: never[]) => unknown }, event: string): Promise<T> {
  const once = emitter.once as unknown as (this: unknown, event: string, listener: (...args: unknown[]) => void) => unknown;
  return new Promise((resolve) => once.call(emitter, event, (...args: unknown[]) => resolve(args as T)));
}

/** Resolves with the error a promise rejects with; fails if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** True once `promise` has settled, checked after letting pending callbacks run. */
export async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 0));
  return settled;
}

/** A tiny seeded PRNG (mulberry32) for reproducible tests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A promise with its resolve function (Promise.withResolvers arrived in Node 22). */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

/** The children of `path`, or none if it does not exist (yet). */
export async function childrenOf(client: { getChildren(path: string): Promise<string[]> }, path: string): Promise<string[]> {
  try {
    return await client.getChildren(path);
  } catch (error) {
    if (error instanceof Error && (error as { code?: unknown }).code === 'NO_NODE') return [];
    throw error;
  }
}

/** Resolves when `managed` next reports `state`. */
export function stateReached(managed: ManagedClient, state: string): Promise<void> {
  return new Promise((resolve) => {
    const listener = (next: string): void => {
      if (next !== state) return;
      managed.off('stateChanged', listener);
      resolve();
    };
    managed.on('stateChanged', listener);
  });
}
