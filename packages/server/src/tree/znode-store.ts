/**
 * The znode store: nodes, their children, ACL references, the indexes of
 * ephemerals, containers and TTL nodes, and the running tree digest. Its
 * mutators are DataTree.java's createNode / deleteNode / setData / setACL:
 * they apply a change that was already validated and never fail on user input.
 * @module
 */

import type { ACL, Stat } from '@zkts/protocol';
import { assert } from '../util/assert.js';
import { OPEN_ACL_UNSAFE } from './acl.js';
import { AclCache } from './acl-cache.js';
import { CRC32_START, crc32Finish, crc32Update, crc32UpdateUtf8 } from './crc32.js';
import { clientEphemeralOwner, type EphemeralType, ephemeralTypeOf } from './ephemeral-type.js';
import { JAVA_CHILDREN_SET_CAPACITY, JavaOrderedStringSet, javaCapacityAfterAdd, javaHashSetOrder } from './java-hash-set.js';
import { NodeTable } from './node-table.js';
import type { PersistedStat } from './tree-types.js';

/** Id of the root node; it is never freed. */
export const ROOT_ID = 0;

/** ZooKeeper leaves everything under `/zookeeper/` out of the digest (DigestCalculator). */
const DIGEST_EXCLUDED_PREFIX = '/zookeeper/';

const TWO_32 = 2 ** 32;

/** Parent path as ZooKeeper computes it: everything before the last slash (`""` for children of the root). */
export function parentPathOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

/** The path ZooKeeper's watch events use for a parent: `""` becomes `/`. */
export function eventPathOf(parentPath: string): string {
  return parentPath === '' ? '/' : parentPath;
}

/** Nodes and indexes of one tree. */
export class ZnodeStore {
  /** The node columns. */
  readonly nodes = new NodeTable();
  /** Interned ACL lists. */
  readonly acls = new AclCache();
  private readonly ephemerals = new Map<bigint, JavaOrderedStringSet>();
  private readonly containerPaths = new Set<string>();
  private readonly ttlPaths = new Set<string>();
  private digestHigh = 0;
  private digestLow = 0;
  private dataSize = 0;
  private readonly statBytes = new Uint8Array(60);
  private readonly statView = new DataView(this.statBytes.buffer);

  /** Creates a store holding only an empty root with the open ACL. */
  constructor(readonly extendedTypesEnabled: boolean) {
    const root = this.nodes.allocate();
    assert(root === ROOT_ID, 'the root must get id 0');
    this.nodes.aclRef[ROOT_ID] = this.acls.intern(OPEN_ACL_UNSAFE);
    this.nodes.data[ROOT_ID] = new Uint8Array(0);
    // ZooKeeper's node map holds the root under both "" and "/", so its size estimate counts "/" once.
    this.dataSize = 1;
    this.refreshDataCrc(ROOT_ID, '/');
    this.addDigest(this.nodeDigest(ROOT_ID, '/'));
  }

  /** The id of the node at `path` (the root is both `/` and `""`), or −1. */
  find(path: string): number {
    if (path === '/' || path === '') return ROOT_ID;
    if (path.charCodeAt(0) !== 47) return -1;
    let id = ROOT_ID;
    let start = 1;
    for (;;) {
      const children = this.nodes.children[id];
      if (children === undefined) return -1;
      const slash = path.indexOf('/', start);
      const child = children.get(slash < 0 ? path.slice(start) : path.slice(start, slash));
      if (child === undefined) return -1;
      if (slash < 0) return child;
      id = child;
      start = slash + 1;
    }
  }

  /** Number of children of a node. */
  childCount(id: number): number {
    return this.nodes.children[id]?.size ?? 0;
  }

  /** A node's child names in ZooKeeper's order (its children HashSet's iteration order). */
  childNames(id: number): string[] {
    const children = this.nodes.children[id];
    if (children === undefined) return [];
    return javaHashSetOrder([...children.keys()], this.nodes.childCapacity[id]!);
  }

  /** The id of child `name` of node `id`, or undefined. */
  childId(id: number, name: string): number | undefined {
    return this.nodes.children[id]?.get(name);
  }

  /** The node's ACL list (interned, frozen). */
  aclOf(id: number): readonly ACL[] {
    return this.acls.get(this.nodes.aclRef[id]!);
  }

  /** The node's kind, from its ephemeralOwner. */
  typeOf(id: number): EphemeralType {
    return ephemeralTypeOf(this.nodes.ephemeralOwner[id]!, this.extendedTypesEnabled);
  }

  /** The Stat a client sees (DataNode.copyStat): cversion becomes 2·cversion − numChildren. */
  stat(id: number): Stat {
    const n = this.nodes;
    const numChildren = this.childCount(id);
    return {
      czxid: BigInt(n.czxid[id]!),
      mzxid: BigInt(n.mzxid[id]!),
      ctime: BigInt(n.ctime[id]!),
      mtime: BigInt(n.mtime[id]!),
      version: n.version[id]!,
      cversion: (Math.imul(n.cversion[id]!, 2) - numChildren) | 0,
      aversion: n.aversion[id]!,
      ephemeralOwner: clientEphemeralOwner(n.ephemeralOwner[id]!, this.extendedTypesEnabled),
      dataLength: n.data[id]?.length ?? 0,
      numChildren,
      pzxid: BigInt(n.pzxid[id]!),
    };
  }

  /** The persisted stat fields, as snapshots and digests use them. */
  persistedStat(id: number): PersistedStat {
    const n = this.nodes;
    return {
      czxid: n.czxid[id]!,
      mzxid: n.mzxid[id]!,
      ctime: n.ctime[id]!,
      mtime: n.mtime[id]!,
      version: n.version[id]!,
      cversion: n.cversion[id]!,
      aversion: n.aversion[id]!,
      ephemeralOwner: n.ephemeralOwner[id]!,
      pzxid: n.pzxid[id]!,
    };
  }

  /**
   * Adds a node under an existing parent with the given stat, indexing it and
   * counting it in the digest; the parent's stat is left alone. `aclRef` must
   * already count this node as a user.
   */
  attach(parentId: number, path: string, data: Uint8Array | null, aclRef: number, stat: PersistedStat): number {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const n = this.nodes;
    const id = n.allocate();
    n.czxid[id] = stat.czxid;
    n.mzxid[id] = stat.mzxid;
    n.pzxid[id] = stat.pzxid;
    n.ctime[id] = stat.ctime;
    n.mtime[id] = stat.mtime;
    n.version[id] = stat.version;
    n.cversion[id] = stat.cversion;
    n.aversion[id] = stat.aversion;
    n.ephemeralOwner[id] = BigInt.asIntN(64, stat.ephemeralOwner);
    n.aclRef[id] = aclRef;
    n.data[id] = data;
    this.addChild(parentId, name, id);
    this.refreshDataCrc(id, path);
    this.addDigest(this.nodeDigest(id, path));
    this.dataSize += path.length + (data?.length ?? 0);
    this.index(id, path);
    return id;
  }

  /**
   * Sets the root's fields (snapshot restore). `aclRef` must already count the
   * root as a user. ZooKeeper's size estimate counts the root's data under both
   * of its keys.
   */
  restoreRoot(data: Uint8Array | null, aclRef: number, stat: PersistedStat): void {
    this.subDigest(this.nodeDigest(ROOT_ID, '/'));
    const n = this.nodes;
    this.acls.removeUsage(n.aclRef[ROOT_ID]!);
    this.dataSize += 2 * ((data?.length ?? 0) - (n.data[ROOT_ID]?.length ?? 0));
    n.czxid[ROOT_ID] = stat.czxid;
    n.mzxid[ROOT_ID] = stat.mzxid;
    n.pzxid[ROOT_ID] = stat.pzxid;
    n.ctime[ROOT_ID] = stat.ctime;
    n.mtime[ROOT_ID] = stat.mtime;
    n.version[ROOT_ID] = stat.version;
    n.cversion[ROOT_ID] = stat.cversion;
    n.aversion[ROOT_ID] = stat.aversion;
    n.ephemeralOwner[ROOT_ID] = BigInt.asIntN(64, stat.ephemeralOwner);
    n.aclRef[ROOT_ID] = aclRef;
    n.data[ROOT_ID] = data;
    this.refreshDataCrc(ROOT_ID, '/');
    this.addDigest(this.nodeDigest(ROOT_ID, '/'));
  }

  /**
   * DataTree.createNode: adds the node and, if `parentCVersion` is larger than
   * the parent's cversion, makes it the parent's cversion with pzxid = zxid
   * (an overflowed counter therefore stops advancing, as in ZooKeeper).
   */
  createNode(
    path: string,
    data: Uint8Array | null,
    aclRef: number,
    ephemeralOwner: bigint,
    parentCVersion: number,
    zxid: number,
    timeMs: number,
  ): { id: number; parentId: number } {
    const parentPath = parentPathOf(path);
    const parentId = this.find(parentPath);
    assert(parentId >= 0, 'create: the parent was checked to exist');
    const n = this.nodes;
    this.subDigest(this.nodeDigest(parentId, parentPath));
    if (parentCVersion > n.cversion[parentId]!) {
      n.cversion[parentId] = parentCVersion;
      n.pzxid[parentId] = zxid;
    }
    const stat: PersistedStat = { czxid: zxid, mzxid: zxid, pzxid: zxid, ctime: timeMs, mtime: timeMs, version: 0, cversion: 0, aversion: 0, ephemeralOwner };
    const id = this.attach(parentId, path, data, aclRef, stat);
    this.addDigest(this.nodeDigest(parentId, parentPath));
    return { id, parentId };
  }

  /**
   * DataTree.deleteNode: detaches the node (which must have no children) and
   * raises the parent's pzxid to `zxid`. The parent's cversion is unchanged;
   * clients see it grow because it is reported as 2·cversion − numChildren.
   * Returns the ACLs watch events need, or undefined if the node is gone.
   */
  deleteNode(path: string, zxid: number): { acl: readonly ACL[]; parentAcl: readonly ACL[] } | undefined {
    const parentPath = parentPathOf(path);
    const parentId = this.find(parentPath);
    const id = this.find(path);
    if (parentId < 0 || id < 0 || id === ROOT_ID) return undefined;
    assert(this.childCount(id) === 0, 'delete: the node has children');
    const n = this.nodes;
    this.subDigest(this.nodeDigest(parentId, parentPath));
    this.removeChild(parentId, path.slice(path.lastIndexOf('/') + 1));
    if (zxid > n.pzxid[parentId]!) n.pzxid[parentId] = zxid;
    this.addDigest(this.nodeDigest(parentId, parentPath));
    this.subDigest(this.nodeDigest(id, path));
    const acl = this.aclOf(id);
    this.acls.removeUsage(n.aclRef[id]!);
    this.dataSize -= path.length + (n.data[id]?.length ?? 0);
    this.unindex(id, path);
    n.release(id);
    return { acl, parentAcl: this.aclOf(parentId) };
  }

  /** DataTree.setData: new data, mtime, mzxid and the already-incremented version. */
  setData(id: number, path: string, data: Uint8Array | null, version: number, zxid: number, timeMs: number): void {
    const n = this.nodes;
    this.subDigest(this.nodeDigest(id, path));
    this.dataSize += (data?.length ?? 0) - (n.data[id]?.length ?? 0);
    n.data[id] = data;
    n.mtime[id] = timeMs;
    n.mzxid[id] = zxid;
    n.version[id] = version;
    this.refreshDataCrc(id, path);
    this.addDigest(this.nodeDigest(id, path));
  }

  /** DataTree.setACL: swaps the ACL reference and sets the already-incremented aversion. */
  setAcl(id: number, path: string, aclRef: number, aversion: number): void {
    const n = this.nodes;
    this.subDigest(this.nodeDigest(id, path));
    this.acls.removeUsage(n.aclRef[id]!);
    n.aclRef[id] = aclRef;
    n.aversion[id] = aversion;
    this.addDigest(this.nodeDigest(id, path));
  }

  private addChild(parentId: number, name: string, id: number): void {
    const n = this.nodes;
    let children = n.children[parentId];
    if (children === undefined) {
      children = new Map();
      n.children[parentId] = children;
    }
    children.set(name, id);
    const capacity = n.childCapacity[parentId] || JAVA_CHILDREN_SET_CAPACITY;
    n.childCapacity[parentId] = javaCapacityAfterAdd(capacity, children.size);
  }

  private removeChild(parentId: number, name: string): void {
    const children = this.nodes.children[parentId];
    children?.delete(name);
    // Java keeps the (now empty) HashSet and its capacity; we keep only the capacity.
    if (children?.size === 0) this.nodes.children[parentId] = undefined;
  }

  private index(id: number, path: string): void {
    const type = this.typeOf(id);
    if (type === 'CONTAINER') this.containerPaths.add(path);
    else if (type === 'TTL') this.ttlPaths.add(path);
    else if (type === 'NORMAL') {
      const owner = this.nodes.ephemeralOwner[id]!;
      let paths = this.ephemerals.get(owner);
      if (paths === undefined) {
        paths = new JavaOrderedStringSet();
        this.ephemerals.set(owner, paths);
      }
      paths.add(path);
    }
  }

  private unindex(id: number, path: string): void {
    const type = this.typeOf(id);
    if (type === 'CONTAINER') this.containerPaths.delete(path);
    else if (type === 'TTL') this.ttlPaths.delete(path);
    else if (type === 'NORMAL') this.ephemerals.get(this.nodes.ephemeralOwner[id]!)?.delete(path);
  }

  /** The session's ephemeral paths in the order ZooKeeper reports them (a cloned HashSet's order). */
  ephemeralsOf(sessionId: bigint): string[] {
    return this.ephemerals.get(BigInt.asIntN(64, sessionId))?.clonedOrder() ?? [];
  }

  /** Forgets the session's ephemeral index (killSession) and returns its paths in deletion order. */
  takeEphemerals(sessionId: bigint): string[] {
    const key = BigInt.asIntN(64, sessionId);
    const paths = this.ephemerals.get(key);
    this.ephemerals.delete(key);
    return paths?.clonedOrder() ?? [];
  }

  /** Sessions that own ephemerals (possibly none left), with their paths. */
  ephemeralsBySession(): Map<bigint, string[]> {
    const out = new Map<bigint, string[]>();
    for (const [session, paths] of this.ephemerals) out.set(session, [...paths.items]);
    return out;
  }

  /** Total number of ephemeral nodes. */
  get ephemeralCount(): number {
    let n = 0;
    for (const paths of this.ephemerals.values()) n += paths.items.size;
    return n;
  }

  /** Paths of container nodes, in creation order. */
  get containers(): ReadonlySet<string> {
    return this.containerPaths;
  }

  /** Paths of TTL nodes, in creation order. */
  get ttls(): ReadonlySet<string> {
    return this.ttlPaths;
  }

  /** ZooKeeper's cachedApproximateDataSize: Σ path length + data length. */
  get approximateDataSize(): number {
    return this.dataSize;
  }

  // ---- digest (DigestCalculator, digest version 2) ----

  /** The tree digest: Σ node digests modulo 2^64, as a signed 64-bit value like ZooKeeper's long. */
  digest(): bigint {
    return BigInt.asIntN(64, BigInt(this.digestHigh) * BigInt(TWO_32) + BigInt(this.digestLow));
  }

  /** Recomputes the digest from every node, for tests and consistency checks. */
  computeDigest(): bigint {
    let sum = 0n;
    const stack: [number, string][] = [[ROOT_ID, '/']];
    for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
      const [id, path] = item;
      const data = this.nodes.data[id] ?? null;
      sum += BigInt(this.nodeDigestOf(path, data, id));
      for (const [name, child] of this.nodes.children[id] ?? []) stack.push([child, path === '/' ? `/${name}` : `${path}/${name}`]);
    }
    return BigInt.asIntN(64, sum);
  }

  private nodeDigestOf(path: string, data: Uint8Array | null, id: number): number {
    if (path.startsWith(DIGEST_EXCLUDED_PREFIX)) return 0;
    let crc = crc32UpdateUtf8(CRC32_START, path === '/' ? '' : path);
    if (data !== null) crc = crc32Update(crc, data);
    return crc32Finish(this.updateWithStat(crc, id));
  }

  private refreshDataCrc(id: number, path: string): void {
    if (path.startsWith(DIGEST_EXCLUDED_PREFIX)) return;
    const data = this.nodes.data[id];
    let crc = crc32UpdateUtf8(CRC32_START, path === '/' || path === '' ? '' : path);
    if (data != null) crc = crc32Update(crc, data);
    this.nodes.dataCrc[id] = crc;
  }

  private nodeDigest(id: number, path: string): number {
    if (path.startsWith(DIGEST_EXCLUDED_PREFIX)) return 0;
    return crc32Finish(this.updateWithStat(this.nodes.dataCrc[id]!, id));
  }

  private updateWithStat(crc: number, id: number): number {
    const n = this.nodes;
    const v = this.statView;
    writeLong(v, 0, n.czxid[id]!);
    writeLong(v, 8, n.mzxid[id]!);
    writeLong(v, 16, n.pzxid[id]!);
    writeLong(v, 24, n.ctime[id]!);
    writeLong(v, 32, n.mtime[id]!);
    v.setInt32(40, n.version[id]!);
    v.setInt32(44, n.cversion[id]!);
    v.setInt32(48, n.aversion[id]!);
    v.setBigInt64(52, n.ephemeralOwner[id]!);
    return crc32Update(crc, this.statBytes);
  }

  private addDigest(value: number): void {
    this.digestLow += value;
    if (this.digestLow >= TWO_32) {
      this.digestLow -= TWO_32;
      this.digestHigh++;
    }
  }

  private subDigest(value: number): void {
    this.digestLow -= value;
    if (this.digestLow < 0) {
      this.digestLow += TWO_32;
      this.digestHigh--;
    }
  }
}

/** Writes a JS integer as a big-endian signed 64-bit value. */
function writeLong(view: DataView, offset: number, value: number): void {
  if (value >= 0 && value < Number.MAX_SAFE_INTEGER) {
    view.setUint32(offset, Math.floor(value / TWO_32));
    view.setUint32(offset + 4, value >>> 0);
  } else {
    view.setBigInt64(offset, BigInt.asIntN(64, BigInt(value)));
  }
}
