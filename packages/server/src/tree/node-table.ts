/**
 * Column storage for znodes. A node is an integer id; each persisted Stat
 * field lives in a typed-array column, so a node costs a few dozen bytes of
 * numbers instead of an object with boxed doubles (zxids and times exceed the
 * small-integer range). Ids of deleted nodes are reused.
 * @module
 */

import { assert } from '../util/assert.js';

const INITIAL_CAPACITY = 1024;

function grownFloat64(old: Float64Array, capacity: number): Float64Array {
  const next = new Float64Array(capacity);
  next.set(old);
  return next;
}

function grownInt32(old: Int32Array, capacity: number): Int32Array {
  const next = new Int32Array(capacity);
  next.set(old);
  return next;
}

/** The columns of every node; index them with a node id from {@link NodeTable.allocate}. */
export class NodeTable {
  /** Creation zxid. */
  czxid: Float64Array = new Float64Array(INITIAL_CAPACITY);
  /** Last data-modification zxid. */
  mzxid: Float64Array = new Float64Array(INITIAL_CAPACITY);
  /** Zxid of the last change to the children (persisted pzxid). */
  pzxid: Float64Array = new Float64Array(INITIAL_CAPACITY);
  /** Creation time, ms since the epoch. */
  ctime: Float64Array = new Float64Array(INITIAL_CAPACITY);
  /** Last data-modification time, ms since the epoch. */
  mtime: Float64Array = new Float64Array(INITIAL_CAPACITY);
  /** Data version. */
  version: Int32Array = new Int32Array(INITIAL_CAPACITY);
  /** Persisted cversion: the number of children ever created (clients see 2·cversion − numChildren). */
  cversion: Int32Array = new Int32Array(INITIAL_CAPACITY);
  /** ACL version. */
  aversion: Int32Array = new Int32Array(INITIAL_CAPACITY);
  /** Raw ephemeralOwner (session id, container or TTL marker). */
  ephemeralOwner: BigInt64Array = new BigInt64Array(INITIAL_CAPACITY);
  /** Reference into the ACL cache. */
  aclRef: Int32Array = new Int32Array(INITIAL_CAPACITY);
  /** CRC-32 register after the node's digest path and data, so stat-only changes re-digest cheaply. */
  dataCrc: Uint32Array = new Uint32Array(INITIAL_CAPACITY);
  /** Emulated Java capacity of the node's children set; 0 until the first child is added. */
  childCapacity: Int32Array = new Int32Array(INITIAL_CAPACITY);
  /** The node's data, as handed to the tree (never copied). */
  readonly data: (Uint8Array | null)[] = [];
  /** Child name → child id, in insertion order; absent while the node has no children. */
  readonly children: (Map<string, number> | undefined)[] = [];

  private capacity = INITIAL_CAPACITY;
  private used = 0;
  private readonly freeIds: number[] = [];

  /** Number of live nodes. */
  get size(): number {
    return this.used - this.freeIds.length;
  }

  /** Returns an id whose columns are all zero. */
  allocate(): number {
    const reused = this.freeIds.pop();
    if (reused !== undefined) return reused;
    if (this.used === this.capacity) this.grow();
    const id = this.used++;
    this.data.push(null);
    this.children.push(undefined);
    return id;
  }

  /** Frees an id and zeroes its columns for the next user. */
  release(id: number): void {
    assert(id >= 0 && id < this.used, 'node id out of range');
    this.czxid[id] = 0;
    this.mzxid[id] = 0;
    this.pzxid[id] = 0;
    this.ctime[id] = 0;
    this.mtime[id] = 0;
    this.version[id] = 0;
    this.cversion[id] = 0;
    this.aversion[id] = 0;
    this.ephemeralOwner[id] = 0n;
    this.aclRef[id] = 0;
    this.dataCrc[id] = 0;
    this.childCapacity[id] = 0;
    this.data[id] = null;
    this.children[id] = undefined;
    this.freeIds.push(id);
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    this.czxid = grownFloat64(this.czxid, capacity);
    this.mzxid = grownFloat64(this.mzxid, capacity);
    this.pzxid = grownFloat64(this.pzxid, capacity);
    this.ctime = grownFloat64(this.ctime, capacity);
    this.mtime = grownFloat64(this.mtime, capacity);
    this.version = grownInt32(this.version, capacity);
    this.cversion = grownInt32(this.cversion, capacity);
    this.aversion = grownInt32(this.aversion, capacity);
    this.aclRef = grownInt32(this.aclRef, capacity);
    this.childCapacity = grownInt32(this.childCapacity, capacity);
    const owner = new BigInt64Array(capacity);
    owner.set(this.ephemeralOwner);
    this.ephemeralOwner = owner;
    const crc = new Uint32Array(capacity);
    crc.set(this.dataCrc);
    this.dataCrc = crc;
    this.capacity = capacity;
  }
}
