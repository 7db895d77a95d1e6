/**
 * The iteration order of `java.util.HashSet<String>`, which ZooKeeper exposes to
 * clients: getChildren lists a node's children in its HashSet order, and
 * getEphemerals and closeSession walk a session's ephemerals in the order of a
 * cloned HashSet. Emulating it makes our replies match ZooKeeper's byte for byte.
 *
 * A HashMap iterates bucket by bucket (bucket = spread(hash) & (capacity − 1)),
 * and within a bucket in insertion order (resizes split chains preserving
 * order). Treeified bins (8+ colliding keys in a 64+ table) are not emulated.
 * @module
 */

/** Java's `String.hashCode()`: s[0]·31^(n−1) + … + s[n−1] over UTF-16 units, in 32-bit arithmetic. */
export function javaStringHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/** The bucket of `text` in a HashMap table of `capacity` (a power of two). */
export function javaBucket(text: string, capacity: number): number {
  const h = javaStringHash(text);
  return (h ^ (h >>> 16)) & (capacity - 1);
}

/** Capacity of `new HashSet<>()`'s table after its first insertion. */
export const JAVA_HASHSET_DEFAULT_CAPACITY = 16;

/** Capacity of the children set DataNode.addChild creates: `new HashSet<>(8)`. */
export const JAVA_CHILDREN_SET_CAPACITY = 8;

/** The table capacity after an insertion brought the set to `size` elements (HashMap resizes past 0.75 load). */
export function javaCapacityAfterAdd(capacity: number, size: number): number {
  return size > capacity * 0.75 ? capacity * 2 : capacity;
}

/** Java's `HashMap.tableSizeFor`: the smallest power of two ≥ `cap` (at least 1). */
function tableSizeFor(cap: number): number {
  let n = 1;
  while (n < cap) n *= 2;
  return n;
}

/**
 * Capacity of `set.clone()` for a set of `size` elements: HashMap.putMapEntries
 * sizes the copy's table as tableSizeFor((int)(size / 0.75f + 1.0f)).
 */
export function javaCloneCapacity(size: number): number {
  const ft = Math.fround(Math.fround(size / 0.75) + 1);
  return tableSizeFor(Math.trunc(ft));
}

/**
 * Orders `items` (given in insertion order) as a HashSet of `capacity` iterates
 * them: a stable counting sort by bucket.
 */
export function javaHashSetOrder(items: readonly string[], capacity: number): string[] {
  if (items.length < 2) return items.slice();
  const buckets = new Int32Array(items.length);
  const starts = new Int32Array(capacity + 1);
  for (let i = 0; i < items.length; i++) {
    const b = javaBucket(items[i]!, capacity);
    buckets[i] = b;
    starts[b + 1]!++;
  }
  for (let b = 0; b < capacity; b++) starts[b + 1]! += starts[b]!;
  const out = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) out[starts[buckets[i]!]!++] = items[i]!;
  return out;
}

/**
 * Orders the elements of a HashSet of `capacity` (insertion order `items`) as a
 * clone of it iterates them: the clone is filled in the original's iteration
 * order, into a table sized for the element count.
 */
export function javaClonedHashSetOrder(items: readonly string[], capacity: number): string[] {
  return javaHashSetOrder(javaHashSetOrder(items, capacity), javaCloneCapacity(items.length));
}

/**
 * A string set that remembers insertion order and its Java table capacity, so
 * it can be listed in the order ZooKeeper's HashSet would list it.
 */
export class JavaOrderedStringSet {
  /** The elements, in insertion order (a re-added element moves to the end, as in a bucket chain). */
  readonly items = new Set<string>();
  /** The emulated table capacity; it only grows, as Java's does. */
  capacity: number;

  constructor(initialCapacity: number = JAVA_HASHSET_DEFAULT_CAPACITY) {
    this.capacity = initialCapacity;
  }

  /** Adds `item`; returns false if it was already present. */
  add(item: string): boolean {
    if (this.items.has(item)) return false;
    this.items.add(item);
    this.capacity = javaCapacityAfterAdd(this.capacity, this.items.size);
    return true;
  }

  /** Removes `item`; returns false if it was absent. */
  delete(item: string): boolean {
    return this.items.delete(item);
  }

  /** The elements in the order `HashSet.clone()` iterates them. */
  clonedOrder(): string[] {
    return javaClonedHashSetOrder([...this.items], this.capacity);
  }
}
