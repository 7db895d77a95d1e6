/**
 * The snapshot file format (zkts's own, in ZooKeeper's spirit), written and
 * read as a stream so neither side holds the whole tree's bytes:
 *
 * ```
 * Snapshot := Header Block*
 * Header   := magic u32 "ZTSN" | version u32 | dbId u64 | zxid u64 | crc32 u32 (of the 24 bytes before)
 * Block    := length u32 | crc32 u32 (of the length bytes and the payload) | payload (whole entries)
 * Entry    := int tag, then by tag (jute encoding):
 *   1 session: long sessionId, int timeoutMs           (all sessions come first)
 *   2 acl:     int index, vector<ACL>                  (before the first node that uses it)
 *   3 node:    ustring path, buffer data, int aclIndex, StatPersisted fields
 *   4 end:     long nodeCount, long sessionCount       (last entry of the last block; the file ends there)
 * ```
 *
 * Nodes are in `DataTree.snapshotNodes` order (parents first). ACL lists are
 * stored once per distinct list, as ZooKeeper's ReferenceCountedACLCache does.
 * A snapshot is valid only if every block checks out and the end entry is
 * present with matching counts: a snapshot cut short by a crash is rejected.
 * @module
 */
import { JuteReader, JuteWriter, codecs, type ACL } from '@zkts/protocol';
import type { PersistedStat, SnapshotNode } from '../tree/tree-types.js';
import { CRC32_START, crc32Finish, crc32Update } from '../tree/crc32.js';
import { StorageError } from './storage-error.js';
import type { ReadableFile } from './storage-fs.js';

/** "ZTSN" as a big-endian u32. */
export const SNAPSHOT_MAGIC = 0x5a54534e;

/** Version of this layout. */
export const SNAPSHOT_FORMAT_VERSION = 1;

/** Bytes of the snapshot header. */
export const SNAPSHOT_HEADER_BYTES = 28;

/** Target payload size of one block: big enough to amortize checksums and writes, small enough to stream. */
const BLOCK_TARGET_BYTES = 256 * 1024;

/** Largest block a reader accepts; a single node with jute.maxbuffer of data fits easily. */
const MAX_BLOCK_BYTES = 256 * 1024 * 1024;

const TAG_SESSION = 1;
const TAG_ACL = 2;
const TAG_NODE = 3;
const TAG_END = 4;

/** What a snapshot holds, as the caller hands it over: a consistent view at one zxid. */
export interface SnapshotContents {
  /**
   * Every node, parents before children (`DataTree.snapshotNodes` order). It is
   * read while the server goes on applying transactions, so it must not change
   * under the iteration: pass a copy taken at the snapshot's zxid.
   */
  nodes: Iterable<SnapshotNode> | AsyncIterable<SnapshotNode>;
  /** Live sessions at the snapshot's zxid: session id → timeout in ms. */
  sessions: Iterable<readonly [bigint, number]>;
}

/** A snapshot being read back: sessions first (read eagerly), then the nodes as a stream. */
export interface LoadedSnapshot {
  /** The last transaction the snapshot contains. */
  zxid: number;
  /** Session id → timeout in ms. */
  sessions: Map<bigint, number>;
  /**
   * The nodes, parents first; iterate once. Damage found while streaming throws
   * a `CORRUPT_SNAPSHOT` StorageError out of the iteration.
   */
  nodes: AsyncIterable<SnapshotNode>;
}

/** Counts of what a snapshot holds. */
export interface SnapshotCounts {
  nodeCount: number;
  sessionCount: number;
  /** Bytes of the whole file. */
  bytes: number;
}

/** Receives the encoded file as a sequence of chunk groups, in order. */
export type SnapshotSink = (chunks: readonly Uint8Array[]) => Promise<void>;

/** Encodes the header of a snapshot file. */
export function encodeSnapshotHeader(dbId: bigint, zxid: number): Uint8Array {
  const bytes = new Uint8Array(SNAPSHOT_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, SNAPSHOT_MAGIC);
  view.setUint32(4, SNAPSHOT_FORMAT_VERSION);
  view.setBigUint64(8, BigInt.asUintN(64, dbId));
  view.setBigUint64(16, BigInt(zxid));
  view.setUint32(24, crc32Finish(crc32Update(CRC32_START, bytes.subarray(0, 24))));
  return bytes;
}

/**
 * Streams a snapshot into `sink`, one block at a time, awaiting the sink
 * between blocks so other work (log appends, fsyncs) runs in between.
 */
export async function encodeSnapshot(zxid: number, dbId: bigint, contents: SnapshotContents, sink: SnapshotSink): Promise<SnapshotCounts> {
  let total = SNAPSHOT_HEADER_BYTES;
  await sink([encodeSnapshotHeader(dbId, zxid)]);
  let writer = new JuteWriter(BLOCK_TARGET_BYTES + 4096);
  const flush = async (): Promise<void> => {
    if (writer.length === 0) return;
    const payload = writer.toBytes();
    writer = new JuteWriter(BLOCK_TARGET_BYTES + 4096);
    const prefix = blockPrefix(payload);
    total += prefix.length + payload.length;
    await sink([prefix, payload]);
  };

  let sessionCount = 0;
  for (const [sessionId, timeoutMs] of contents.sessions) {
    writer.int(TAG_SESSION);
    writer.long(sessionId);
    writer.int(timeoutMs);
    sessionCount++;
    if (writer.length >= BLOCK_TARGET_BYTES) await flush();
  }

  // The tree interns ACL lists, so identity finds nearly every repeat; content catches the rest.
  const aclIndexes = new Map<readonly ACL[], number>();
  const aclIndexesByContent = new Map<string, number>();
  let nodeCount = 0;
  const visit = (node: SnapshotNode): Promise<void> | undefined => {
    let aclIndex = aclIndexes.get(node.acl);
    if (aclIndex === undefined) {
      const key = JSON.stringify(node.acl.map((a) => [a.perms, a.id.scheme, a.id.id]));
      aclIndex = aclIndexesByContent.get(key);
      if (aclIndex === undefined) {
        aclIndex = aclIndexesByContent.size;
        aclIndexesByContent.set(key, aclIndex);
        writer.int(TAG_ACL);
        writer.int(aclIndex);
        writer.vector(node.acl, codecs.ACL.write);
      }
      aclIndexes.set(node.acl, aclIndex);
    }
    writer.int(TAG_NODE);
    writer.string(node.path);
    writer.buffer(node.data);
    writer.int(aclIndex);
    writeStat(writer, node.stat);
    nodeCount++;
    return writer.length >= BLOCK_TARGET_BYTES ? flush() : undefined;
  };
  // A sync iterable is walked without a promise per node; only block flushes await.
  if (Symbol.asyncIterator in contents.nodes) {
    for await (const node of contents.nodes) await visit(node);
  } else {
    for (const node of contents.nodes) {
      const pending = visit(node);
      if (pending !== undefined) await pending;
    }
  }

  writer.int(TAG_END);
  writer.long(BigInt(nodeCount));
  writer.long(BigInt(sessionCount));
  await flush();
  return { nodeCount, sessionCount, bytes: total };
}

function blockPrefix(payload: Uint8Array): Uint8Array {
  const prefix = new Uint8Array(8);
  const view = new DataView(prefix.buffer);
  view.setUint32(0, payload.length);
  view.setUint32(4, crc32Finish(crc32Update(crc32Update(CRC32_START, prefix.subarray(0, 4)), payload)));
  return prefix;
}

function writeStat(w: JuteWriter, s: PersistedStat): void {
  w.long(BigInt(s.czxid));
  w.long(BigInt(s.mzxid));
  w.long(BigInt(s.ctime));
  w.long(BigInt(s.mtime));
  w.int(s.version);
  w.int(s.cversion);
  w.int(s.aversion);
  w.long(s.ephemeralOwner);
  w.long(BigInt(s.pzxid));
}

function readStat(r: JuteReader): PersistedStat {
  return {
    czxid: safeNumber(r.long()),
    mzxid: safeNumber(r.long()),
    ctime: safeNumber(r.long()),
    mtime: safeNumber(r.long()),
    version: r.int(),
    cversion: r.int(),
    aversion: r.int(),
    ephemeralOwner: r.long(),
    pzxid: safeNumber(r.long()),
  };
}

function safeNumber(value: bigint): number {
  if (value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`value ${value} is not a safe integer`);
  }
  return Number(value);
}

type Entry =
  | { tag: typeof TAG_SESSION; sessionId: bigint; timeoutMs: number }
  | { tag: typeof TAG_NODE; node: SnapshotNode }
  | { tag: typeof TAG_END; nodeCount: number; sessionCount: number };

/**
 * Reads one snapshot file as a stream. Every failure to read it as a whole,
 * well-formed snapshot is a `CORRUPT_SNAPSHOT` StorageError.
 */
export class SnapshotReader {
  /** The snapshot's zxid, from its header. */
  readonly zxid: number;
  /** The database id from the header. */
  readonly dbId: bigint;
  private position = SNAPSHOT_HEADER_BYTES;
  private readonly entries: AsyncGenerator<Entry>;
  /** An entry read ahead while collecting sessions. */
  private lookahead: Entry | null = null;
  private readonly acls: (readonly ACL[])[] = [];
  private nodeCount = 0;
  private sessionCount = 0;
  private ended = false;

  private constructor(
    private readonly file: ReadableFile,
    private readonly name: string,
    header: Uint8Array,
  ) {
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    if (view.getUint32(0) !== SNAPSHOT_MAGIC) throw this.corrupt('not a zkts snapshot (bad magic)', 0);
    if (view.getUint32(24) !== crc32Finish(crc32Update(CRC32_START, header.subarray(0, 24)))) throw this.corrupt('header checksum mismatch', 0);
    const version = view.getUint32(4);
    if (version !== SNAPSHOT_FORMAT_VERSION) throw this.corrupt(`unknown snapshot format version ${version}`, 0);
    this.dbId = view.getBigInt64(8);
    const zxid = view.getBigUint64(16);
    if (zxid > BigInt(Number.MAX_SAFE_INTEGER)) throw this.corrupt(`zxid ${zxid} out of range`, 16);
    this.zxid = Number(zxid);
    this.entries = this.readEntries();
  }

  /** Opens a snapshot: reads and checks its header. `name` is used in error messages. */
  static async open(file: ReadableFile, name: string): Promise<SnapshotReader> {
    const header = new Uint8Array(SNAPSHOT_HEADER_BYTES);
    const got = await readFully(file, header, 0);
    if (got < SNAPSHOT_HEADER_BYTES) throw new StorageError('CORRUPT_SNAPSHOT', 'truncated snapshot header', { file: name, offset: got });
    return new SnapshotReader(file, name, header);
  }

  /** Reads the sessions, which precede every node. Call once, before {@link nodes}. */
  async readSessions(): Promise<Map<bigint, number>> {
    const sessions = new Map<bigint, number>();
    for (;;) {
      const next = await this.entries.next();
      if (next.done === true) throw this.corrupt('snapshot ends without an end entry', this.position);
      const entry = next.value;
      if (entry.tag !== TAG_SESSION) {
        this.lookahead = entry;
        return sessions;
      }
      sessions.set(entry.sessionId, entry.timeoutMs);
    }
  }

  /** The nodes, in file order. Stops at the end entry; does not close the file. */
  async *nodes(): AsyncGenerator<SnapshotNode> {
    for (;;) {
      const entry = await this.nextEntry();
      if (entry === null) return;
      if (entry.tag === TAG_SESSION) throw this.corrupt('session entry after the first node', this.position);
      yield entry.node;
    }
  }

  /** Reads whatever the consumer left unread and checks the end entry and counts. */
  async finish(): Promise<{ nodeCount: number; sessionCount: number }> {
    while ((await this.nextEntry()) !== null) {
      // Draining: the checks happen as entries are read.
    }
    return { nodeCount: this.nodeCount, sessionCount: this.sessionCount };
  }

  private async nextEntry(): Promise<Exclude<Entry, { tag: typeof TAG_END }> | null> {
    if (this.ended) return null;
    let entry: Entry;
    if (this.lookahead !== null) {
      entry = this.lookahead;
      this.lookahead = null;
    } else {
      const next = await this.entries.next();
      if (next.done === true) throw this.corrupt('snapshot ends without an end entry', this.position);
      entry = next.value;
    }
    if (entry.tag === TAG_END) {
      this.ended = true;
      return null;
    }
    return entry;
  }

  private async *readEntries(): AsyncGenerator<Entry> {
    for (;;) {
      const payload = await this.readBlock();
      if (payload === null) return;
      const blockOffset = this.position - payload.length;
      const reader = new JuteReader(payload);
      while (reader.remaining > 0) {
        let entry: Entry | null;
        try {
          entry = this.parseEntry(reader);
        } catch (error) {
          if (error instanceof StorageError) throw error;
          throw this.corrupt(`malformed entry: ${error instanceof Error ? error.message : String(error)}`, blockOffset + reader.offset);
        }
        if (entry === null) continue;
        if (entry.tag === TAG_END) {
          if (reader.remaining !== 0) throw this.corrupt('bytes after the end entry', blockOffset + reader.offset);
          if (entry.nodeCount !== this.nodeCount || entry.sessionCount !== this.sessionCount) {
            throw this.corrupt(`end entry counts ${entry.nodeCount} nodes / ${entry.sessionCount} sessions, found ${this.nodeCount} / ${this.sessionCount}`, this.position);
          }
          const extra = await this.file.read(new Uint8Array(1), this.position);
          if (extra !== 0) throw this.corrupt('bytes after the end entry', this.position);
        }
        yield entry;
        if (entry.tag === TAG_END) return;
      }
    }
  }

  /** Parses one entry; ACL entries update the table and yield null. */
  private parseEntry(reader: JuteReader): Entry | null {
    const tag = reader.int();
    switch (tag) {
      case TAG_SESSION: {
        if (this.nodeCount > 0) throw this.corrupt('session entry after the first node', this.position);
        this.sessionCount++;
        return { tag, sessionId: reader.long(), timeoutMs: reader.int() };
      }
      case TAG_ACL: {
        const index = reader.int();
        if (index !== this.acls.length) throw this.corrupt(`ACL index ${index} out of sequence`, this.position);
        this.acls.push(Object.freeze(reader.vector(codecs.ACL.read, codecs.ACL.minBytes)));
        return null;
      }
      case TAG_NODE: {
        const path = reader.string();
        const data = reader.buffer();
        const aclIndex = reader.int();
        const acl = this.acls[aclIndex];
        if (acl === undefined) throw this.corrupt(`node ${path} refers to unknown ACL ${aclIndex}`, this.position);
        const stat = readStat(reader);
        this.nodeCount++;
        // Copy the data out of the block so a kept node does not pin the whole block.
        return { tag, node: { path, data: data === null ? null : data.slice(), acl, stat } };
      }
      case TAG_END:
        return { tag, nodeCount: safeNumber(reader.long()), sessionCount: safeNumber(reader.long()) };
      default:
        throw this.corrupt(`unknown entry tag ${tag}`, this.position);
    }
  }

  /** The next block's verified payload, or null at the end of the file. */
  private async readBlock(): Promise<Uint8Array | null> {
    const prefix = new Uint8Array(8);
    const got = await readFully(this.file, prefix, this.position);
    if (got === 0) return null;
    if (got < 8) throw this.corrupt('truncated block header', this.position);
    const view = new DataView(prefix.buffer);
    const length = view.getUint32(0);
    if (length === 0 || length > MAX_BLOCK_BYTES) throw this.corrupt(`bad block length ${length}`, this.position);
    const payload = new Uint8Array(length);
    const read = await readFully(this.file, payload, this.position + 8);
    if (read < length) throw this.corrupt(`truncated block (${read} of ${length} bytes)`, this.position);
    const crc = crc32Finish(crc32Update(crc32Update(CRC32_START, prefix.subarray(0, 4)), payload));
    if (crc !== view.getUint32(4)) throw this.corrupt('block checksum mismatch', this.position);
    this.position += 8 + length;
    return payload;
  }

  private corrupt(message: string, offset: number): StorageError {
    return new StorageError('CORRUPT_SNAPSHOT', message, { file: this.name, offset });
  }
}

/** Reads until `into` is full or the file ends; returns the bytes read. */
async function readFully(file: ReadableFile, into: Uint8Array, position: number): Promise<number> {
  let total = 0;
  while (total < into.length) {
    const n = await file.read(into.subarray(total), position + total);
    if (n === 0) break;
    total += n;
  }
  return total;
}
