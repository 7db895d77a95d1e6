/**
 * Names of the files in a data directory, as ZooKeeper lays them out
 * (`Util.makeLogName`, `Util.makeSnapshotName`): the zxid in lowercase hex
 * without padding, under a `version-2` subdirectory.
 * @module
 */

/** The subdirectory of `dataDir` / `dataLogDir` that holds the files, as ZooKeeper's. */
export const VERSION_DIR = 'version-2';

/** Prefix of transaction log files; the zxid is the first record's. */
export const LOG_PREFIX = 'log';

/** Prefix of snapshot files; the zxid is the last transaction the snapshot contains. */
export const SNAPSHOT_PREFIX = 'snapshot';

/** Suffix of files being written, renamed into place once complete and durable. */
export const TEMP_SUFFIX = '.tmp';

/** ZooKeeper's epoch file names (`QuorumPeer.ACCEPTED_EPOCH_FILENAME` / `CURRENT_EPOCH_FILENAME`). */
export type EpochName = 'acceptedEpoch' | 'currentEpoch';

/** `prefix.<hex zxid>`. */
export function makeFileName(prefix: string, zxid: number): string {
  return `${prefix}.${zxid.toString(16)}`;
}

/** The zxid in a `prefix.<hex>` name, or null if the name is not of that form. */
export function zxidFromFileName(name: string, prefix: string): number | null {
  if (!name.startsWith(`${prefix}.`)) return null;
  const hex = name.slice(prefix.length + 1);
  if (!/^[0-9a-f]{1,14}$/.test(hex)) return null;
  const zxid = Number.parseInt(hex, 16);
  return Number.isSafeInteger(zxid) ? zxid : null;
}

/** One file of a data directory, with the zxid its name carries. */
export interface ZxidFile {
  name: string;
  zxid: number;
}

/** The `prefix.<hex>` files among `names`, by zxid ascending. */
export function filesWithPrefix(names: readonly string[], prefix: string): ZxidFile[] {
  const files: ZxidFile[] = [];
  for (const name of names) {
    const zxid = zxidFromFileName(name, prefix);
    if (zxid !== null) files.push({ name, zxid });
  }
  return files.sort((a, b) => a.zxid - b.zxid);
}

/**
 * The log files needed to read every transaction after `zxid`: the newest file
 * starting at or before it (it may hold later records too) and all later ones,
 * as ZooKeeper's `FileTxnLog.getLogFiles`.
 */
export function logFilesAfter<F extends ZxidFile>(logs: readonly F[], zxid: number): F[] {
  let first = 0;
  for (let i = 0; i < logs.length; i++) if (logs[i]!.zxid <= zxid) first = i;
  return logs.slice(first);
}
