/**
 * A readable dump of one snapshot file in the shape of ZooKeeper's
 * SnapshotFormatter: every node with its stat fields, then the sessions with
 * their ephemeral node counts, then the last zxid.
 *
 * ```
 * ZNode Details (count=2):
 * ----
 * /
 *   cZxid = 0x00000000000000
 *   ctime = Thu Jan 01 00:00:00 UTC 1970
 *   ...
 *   dataLength = 0
 * ----
 * Session Details (sid, timeout, ephemeralCount):
 * 0x1000000a1b20000, 30000, 1
 * ----
 * Last zxid: 0x2a
 * ```
 *
 * Times are printed in UTC so output does not depend on the machine.
 * @module
 */
import { hex64 } from './format-txn-log.js';
import { SnapshotReader } from './snapshot-format.js';
import { nodeStorageFs, type StorageFs } from './storage-fs.js';
import type { PersistedStat } from '../tree/tree-types.js';
import { SNAPSHOT_PREFIX, zxidFromFileName } from './file-names.js';

/** Options of {@link formatSnapshot}. */
export interface FormatSnapshotOptions {
  /** The file system to read from. Default: the real one. */
  fs?: StorageFs;
  /** Print each node's data in base64 instead of its length (SnapshotFormatter's `-d`). */
  dumpData?: boolean;
}

/**
 * The lines of a dump of the snapshot at `path`. The file is checked in full
 * first: a corrupt snapshot throws a `CORRUPT_SNAPSHOT` StorageError before
 * any line is produced.
 */
export async function* formatSnapshot(path: string, options: FormatSnapshotOptions = {}): AsyncGenerator<string> {
  const fs = options.fs ?? nodeStorageFs;
  // First pass: validate the whole file and count, since the node count comes first.
  const ephemeralCounts = new Map<bigint, number>();
  let nodeCount = 0;
  let file = await fs.openRead(path);
  try {
    const reader = await SnapshotReader.open(file, path);
    await reader.readSessions();
    for await (const node of reader.nodes()) {
      nodeCount++;
      const owner = node.stat.ephemeralOwner;
      if (owner !== 0n) ephemeralCounts.set(owner, (ephemeralCounts.get(owner) ?? 0) + 1);
    }
    await reader.finish();
  } finally {
    await file.close();
  }

  // ZooKeeper prints DataTree.getNodeCount(), whose map holds the root twice: one more than the znodes.
  yield `ZNode Details (count=${nodeCount + 1}):`;
  let lastZxid = 0;
  let sessions: Map<bigint, number>;
  file = await fs.openRead(path);
  try {
    const reader = await SnapshotReader.open(file, path);
    sessions = await reader.readSessions();
    for await (const node of reader.nodes()) {
      yield '----';
      yield node.path === '' ? '/' : node.path;
      yield* formatStat(node.stat);
      yield options.dumpData === true
        ? `  data = ${node.data === null ? '' : Buffer.from(node.data).toString('base64')}`
        : `  dataLength = ${node.data?.length ?? 0}`;
      lastZxid = Math.max(lastZxid, node.stat.mzxid, node.stat.pzxid);
    }
  } finally {
    await file.close();
  }
  yield '----';
  yield 'Session Details (sid, timeout, ephemeralCount):';
  for (const [sessionId, timeoutMs] of sessions) yield `${javaHex(sessionId)}, ${timeoutMs}, ${ephemeralCounts.get(sessionId) ?? 0}`;
  const fileZxid = zxidFromFileName(path.slice(path.lastIndexOf('/') + 1), SNAPSHOT_PREFIX) ?? 0;
  yield '----';
  yield `Last zxid: 0x${Math.max(fileZxid, lastZxid).toString(16)}`;
}

function* formatStat(stat: PersistedStat): Generator<string> {
  yield `  cZxid = ${javaHex(BigInt(stat.czxid))}`;
  yield `  ctime = ${javaDate(stat.ctime)}`;
  yield `  mZxid = ${javaHex(BigInt(stat.mzxid))}`;
  yield `  mtime = ${javaDate(stat.mtime)}`;
  yield `  pZxid = ${javaHex(BigInt(stat.pzxid))}`;
  yield `  cversion = ${stat.cversion}`;
  yield `  dataVersion = ${stat.version}`;
  yield `  aclVersion = ${stat.aversion}`;
  yield `  ephemeralOwner = ${javaHex(stat.ephemeralOwner)}`;
}

/** Java's `String.format("%#016x", value)`: `0x` and at least 14 hex digits. */
function javaHex(value: bigint): string {
  return `0x${hex64(value).padStart(14, '0')}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Java's `Date.toString()` in UTC: `Thu Jan 01 00:00:00 UTC 1970`. */
function javaDate(timeMs: number): string {
  const d = new Date(timeMs);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
