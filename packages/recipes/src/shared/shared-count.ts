/**
 * A counter shared by every process (Curator's SharedCount over SharedValue): a node holding a
 * 4-byte big-endian integer, cached locally and kept fresh by a re-armed data watch. Writes are
 * either unconditional ({@link SharedCount.setCount}) or compare-and-set on the node's version
 * ({@link SharedCount.trySetCount}).
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import { type Stat, type WatchedEvent, ZkError } from '@zkts/client';
import type { ConnectionState } from '../session/connection-state.js';
import { type ClientSource, type ManagedClient, managedClientOf } from '../session/managed-client.js';
import { retrying } from '../session/retrying.js';
import { hasCode } from '../util/codes.js';
import { checkBasePath } from '../util/paths.js';
import { SerialQueue } from '../util/serial-queue.js';

/** A value with the node version it was read at, for compare-and-set. */
export interface VersionedValue<T> {
  readonly version: number;
  readonly value: T;
}

/** Events of a {@link SharedCount}. */
export interface SharedCountEvents {
  /** The count changed (seen through the watch, i.e. also changes made by this process). */
  countChanged: (count: number) => void;
  /** The connection state changed; while not connected the count may be stale. */
  stateChanged: (state: ConnectionState) => void;
  /** A background read failed; it is retried on the next reconnect. */
  error: (error: unknown) => void;
}

function encodeCount(count: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setInt32(0, count, false);
  return bytes;
}

function decodeCount(data: Uint8Array | null, path: string): number {
  if (data === null || data.length !== 4) throw new ZkError('MARSHALLING_ERROR', { path, message: 'A shared count node holds 4 bytes' });
  return new DataView(data.buffer, data.byteOffset, 4).getInt32(0, false);
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < -(2 ** 31) || count >= 2 ** 31) throw new ZkError('BAD_ARGUMENTS', { message: `A shared count is a 32-bit integer, got ${count}` });
}

/** A shared 32-bit counter; see the module description. */
export class SharedCount extends EventEmitter<SharedCountEvents> {
  private readonly session: ManagedClient;
  private readonly queue = new SerialQueue((error) => this.emit('error', error));
  #value: VersionedValue<number>;
  #mzxid = -1n;
  #state: 'LATENT' | 'STARTED' | 'CLOSED' = 'LATENT';
  readonly #watcher = (event: WatchedEvent): void => {
    if (event.type !== 'None' && this.#state === 'STARTED') void this.queue.run(() => this.read());
  };
  readonly #onState = (state: ConnectionState): void => {
    this.emit('stateChanged', state);
    if (state === 'RECONNECTED') void this.queue.run(() => this.read());
  };

  constructor(source: ClientSource, readonly path: string, private readonly seedValue: number) {
    super();
    checkCount(seedValue);
    this.session = managedClientOf(source);
    checkBasePath(path);
    this.#value = { version: -1, value: seedValue };
  }

  /** Creates the node with the seed value if it does not exist, reads it and starts watching. */
  async start(): Promise<void> {
    if (this.#state !== 'LATENT') throw new Error('Cannot be started more than once');
    this.#state = 'STARTED';
    this.session.on('stateChanged', this.#onState);
    await retrying(this.session, async (client) => {
      try {
        await client.createWithParents(this.path, encodeCount(this.seedValue));
      } catch (error) {
        if (!hasCode(error, 'NODE_EXISTS')) throw error;
      }
    });
    await this.queue.run(() => this.read());
    await this.queue.idle();
  }

  /** The cached count. */
  get count(): number {
    return this.#value.value;
  }

  /** The cached count with its version, for {@link trySetCount}. */
  get versionedValue(): VersionedValue<number> {
    return this.#value;
  }

  /** Sets the count whatever its current value. */
  async setCount(count: number): Promise<void> {
    checkCount(count);
    this.assertStarted();
    const stat = await retrying(this.session, (client) => client.setData(this.path, encodeCount(count)));
    this.update(stat, count);
  }

  /**
   * Sets the count only if it has not changed since `previous` was read. Resolves false (and
   * refreshes the cached value) when someone else changed it first.
   */
  async trySetCount(previous: VersionedValue<number>, count: number): Promise<boolean> {
    checkCount(count);
    this.assertStarted();
    try {
      const stat = await retrying(this.session, (client) => client.setData(this.path, encodeCount(count), previous.version));
      this.update(stat, count);
      return true;
    } catch (error) {
      if (!hasCode(error, 'BAD_VERSION')) throw error;
      await this.queue.run(() => this.read());
      return false;
    }
  }

  /** Stops watching. */
  async close(): Promise<void> {
    if (this.#state === 'CLOSED') return;
    this.#state = 'CLOSED';
    this.session.off('stateChanged', this.#onState);
    await this.queue.idle();
  }

  private assertStarted(): void {
    if (this.#state !== 'STARTED') throw new Error('SharedCount is not started');
  }

  private async read(): Promise<void> {
    if (this.#state !== 'STARTED') return;
    const { data, stat } = await retrying(this.session, (client) => client.getData(this.path, this.#watcher));
    this.update(stat, decodeCount(data, this.path));
  }

  /**
   * Keeps the newest value only: an answer can arrive after a newer value was already seen.
   * `mzxid` orders changes even across a delete and re-create, which resets `version`.
   */
  private update(stat: Stat, count: number): void {
    if (stat.mzxid <= this.#mzxid) return;
    this.#mzxid = stat.mzxid;
    const changed = count !== this.#value.value;
    this.#value = { version: stat.version, value: count };
    if (changed) this.emit('countChanged', count);
  }
}

/** Creates a {@link SharedCount} (not yet started). */
export function sharedCount(source: ClientSource, path: string, seedValue: number): SharedCount {
  return new SharedCount(source, path, seedValue);
}
