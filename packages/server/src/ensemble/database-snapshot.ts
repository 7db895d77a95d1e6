import { JuteReader, JuteWriter, type ACL } from '@zkts/protocol';
import { ZkDatabase } from '../database/zk-database.js';
import { DataTree } from '../tree/data-tree.js';
import type { SnapshotNode } from '../tree/tree-types.js';
import type { ResolvedServerOptions } from '../server-options.js';

const SNAPSHOT_MAGIC = 0x7a6b736e; // "zksn"

/**
 * Serializes a database at its applied zxid, for a leader's SNAP sync: every
 * node (parents first), then the session table. Synchronous, so it is a
 * consistent cut at `lastProcessedZxid`.
 */
export function encodeDatabaseSnapshot(database: ZkDatabase): Uint8Array {
  const writer = new JuteWriter(1 << 16);
  writer.int(SNAPSHOT_MAGIC);
  writer.long(BigInt(database.lastProcessedZxid));
  writer.int(database.sessions.size);
  for (const [sessionId, timeoutMs] of database.sessions) {
    writer.long(sessionId);
    writer.int(timeoutMs);
  }
  for (const node of database.tree.snapshotNodes()) {
    writer.bool(true);
    writer.string(node.path);
    writer.buffer(node.data);
    writer.vectorLength(node.acl.length);
    for (const entry of node.acl) {
      writer.int(entry.perms);
      writer.string(entry.id.scheme);
      writer.string(entry.id.id);
    }
    const stat = node.stat;
    writer.long(BigInt(stat.czxid));
    writer.long(BigInt(stat.mzxid));
    writer.long(BigInt(stat.ctime));
    writer.long(BigInt(stat.mtime));
    writer.int(stat.version);
    writer.int(stat.cversion);
    writer.int(stat.aversion);
    writer.long(stat.ephemeralOwner);
    writer.long(BigInt(stat.pzxid));
  }
  writer.bool(false);
  return writer.toBytes();
}

function* readNodes(reader: JuteReader): Generator<SnapshotNode> {
  while (reader.bool()) {
    const path = reader.string();
    const data = reader.buffer();
    const acl: ACL[] = [];
    const aclCount = reader.vectorLength(12);
    for (let i = 0; i < aclCount; i++) acl.push({ perms: reader.int(), id: { scheme: reader.string(), id: reader.string() } });
    yield {
      path,
      data: data === null ? null : data.slice(),
      acl,
      stat: {
        czxid: Number(reader.long()),
        mzxid: Number(reader.long()),
        ctime: Number(reader.long()),
        mtime: Number(reader.long()),
        version: reader.int(),
        cversion: reader.int(),
        aversion: reader.int(),
        ephemeralOwner: reader.long(),
        pzxid: Number(reader.long()),
      },
    };
  }
}

/** Rebuilds a database from {@link encodeDatabaseSnapshot} output. Throws on a malformed snapshot. */
export function restoreDatabaseSnapshot(bytes: Uint8Array, options: Pick<ResolvedServerOptions, 'extendedTypesEnabled'>): ZkDatabase {
  const reader = new JuteReader(bytes);
  if (reader.int() !== SNAPSHOT_MAGIC) throw new Error('not a zkts database snapshot');
  const zxid = Number(reader.long());
  const sessionCount = reader.int();
  const sessions = new Map<bigint, number>();
  for (let i = 0; i < sessionCount; i++) sessions.set(reader.long(), reader.int());
  const tree = DataTree.fromNodes<unknown>(readNodes(reader), { extendedTypesEnabled: options.extendedTypesEnabled });
  reader.expectEnd('database snapshot');
  return ZkDatabase.restore(tree, sessions, zxid);
}
