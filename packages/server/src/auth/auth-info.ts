import type { Id } from '@zkts/protocol';
import { javaStringHash } from '../tree/java-hash-set.js';

/** Java's jute-generated `Id.hashCode()`. */
function javaIdHash(id: Id): number {
  let result = 17;
  result = (Math.imul(37, result) + javaStringHash(id.scheme)) | 0;
  result = (Math.imul(37, result) + javaStringHash(id.id)) | 0;
  return result;
}

/** ConcurrentHashMap's first table size, and the count at which it doubles (`sizeCtl`, 0.75 of it). */
const INITIAL_CAPACITY = 16;

/**
 * The identities a connection has proven (ZooKeeper's `ServerCnxn.authInfo`).
 * ZooKeeper keeps them in a ConcurrentHashMap-backed set, and its iteration
 * order is visible to clients: whoAmI lists ids in it, and an `auth` ACL
 * entry expands to the ids in it. So {@link ids} iterates as that set does:
 * bucket by bucket, insertion order within a bucket. (After 12 ids the table
 * resizes, and Java's transfer may reverse parts of a bucket; that case is
 * ordered as if it did not.)
 */
export class AuthInfo {
  private readonly inserted: Id[] = [];
  private ordered: readonly Id[] = [];

  constructor(initial: readonly Id[] = []) {
    for (const id of initial) this.add(id);
  }

  /** Adds an identity unless it is already there; returns whether it was new. */
  add(id: Id): boolean {
    if (this.inserted.some((existing) => existing.scheme === id.scheme && existing.id === id.id)) return false;
    this.inserted.push({ scheme: id.scheme, id: id.id });
    this.ordered = orderAsJavaSet(this.inserted);
    return true;
  }

  /** The identities in ZooKeeper's iteration order. The array is not changed later: callers may keep it. */
  get ids(): readonly Id[] {
    return this.ordered;
  }
}

function orderAsJavaSet(inserted: readonly Id[]): readonly Id[] {
  let capacity = INITIAL_CAPACITY;
  while (inserted.length >= capacity * 0.75) capacity *= 2;
  const bucketOf = (id: Id): number => {
    const h = javaIdHash(id);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  const withBuckets = inserted.map((id, index) => ({ id, index, bucket: bucketOf(id) }));
  withBuckets.sort((a, b) => a.bucket - b.bucket || a.index - b.index);
  return Object.freeze(withBuckets.map((entry) => entry.id));
}
