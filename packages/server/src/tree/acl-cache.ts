/**
 * Interned, reference-counted ACL lists (ZooKeeper's ReferenceCountedACLCache):
 * nodes hold a small integer instead of their own list, so a million nodes
 * with the default ACL share one frozen array.
 * @module
 */

import type { ACL } from '@zkts/protocol';
import { assert } from '../util/assert.js';

interface Entry {
  readonly acl: readonly ACL[];
  readonly key: string;
  refs: number;
}

function keyOf(acl: readonly ACL[]): string {
  let key = '';
  for (const { perms, id } of acl) key += `${perms}:${id.scheme.length}:${id.scheme}${id.id.length}:${id.id};`;
  return key;
}

function freeze(acl: readonly ACL[]): readonly ACL[] {
  return Object.freeze(acl.map((a) => Object.freeze({ perms: a.perms, id: Object.freeze({ scheme: a.id.scheme, id: a.id.id }) })));
}

/** A table of distinct ACL lists, each with a count of the nodes using it. */
export class AclCache {
  private readonly entries: (Entry | undefined)[] = [];
  private readonly refsByKey = new Map<string, number>();
  private readonly freeRefs: number[] = [];

  /** Returns the reference of `acl`, adding it if new, and counts one more user. */
  intern(acl: readonly ACL[]): number {
    const key = keyOf(acl);
    const existing = this.refsByKey.get(key);
    if (existing !== undefined) {
      this.entries[existing]!.refs++;
      return existing;
    }
    const ref = this.freeRefs.pop() ?? this.entries.length;
    this.entries[ref] = { acl: freeze(acl), key, refs: 1 };
    this.refsByKey.set(key, ref);
    return ref;
  }

  /** Counts one more user of an existing reference. */
  addUsage(ref: number): void {
    const entry = this.entries[ref];
    assert(entry !== undefined, 'ACL reference is not in the cache');
    entry.refs++;
  }

  /** Counts one user fewer; the list is dropped when nobody uses it. */
  removeUsage(ref: number): void {
    const entry = this.entries[ref];
    assert(entry !== undefined && entry.refs > 0, 'ACL reference is not in use');
    if (--entry.refs > 0) return;
    this.entries[ref] = undefined;
    this.refsByKey.delete(entry.key);
    this.freeRefs.push(ref);
  }

  /** The frozen list behind a reference. Equal lists give the same array object. */
  get(ref: number): readonly ACL[] {
    const entry = this.entries[ref];
    assert(entry !== undefined, 'ACL reference is not in the cache');
    return entry.acl;
  }

  /** Number of distinct lists in use (ZooKeeper's aclCacheSize). */
  get size(): number {
    return this.refsByKey.size;
  }
}
