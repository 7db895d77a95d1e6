/**
 * The quorum protocol's epoch files, as ZooKeeper's QuorumPeer keeps them
 * (`acceptedEpoch`, `currentEpoch` in the snapshot directory): the number in
 * decimal, replaced atomically (`writeLongToFile` with AtomicFileWritingIdiom).
 * @module
 */
import { TEMP_SUFFIX, type EpochName } from './file-names.js';
import { StorageError } from './storage-error.js';
import { isNotFound, joinPath, type StorageFs } from './storage-fs.js';

/** Reads an epoch file; null if it does not exist, `CORRUPT_EPOCH` if it holds no number. */
export async function readEpochFile(fs: StorageFs, dir: string, name: EpochName): Promise<number | null> {
  const path = joinPath(dir, name);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
  const text = new TextDecoder().decode(bytes).trim();
  const epoch = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(epoch)) throw new StorageError('CORRUPT_EPOCH', `found ${JSON.stringify(text.slice(0, 40))}`, { file: path });
  return epoch;
}

/**
 * Replaces an epoch file atomically and durably: temp file, fsync, rename,
 * directory fsync. Always synced, even with `forceSync` off, as ZooKeeper
 * does: the quorum protocol's safety rests on these numbers.
 */
export async function writeEpochFile(fs: StorageFs, dir: string, name: EpochName, epoch: number): Promise<void> {
  const path = joinPath(dir, name);
  const tempPath = path + TEMP_SUFFIX;
  const file = await fs.openWrite(tempPath, { truncate: true });
  try {
    await file.write([new TextEncoder().encode(String(epoch))], 0);
    await file.datasync();
  } finally {
    await file.close();
  }
  await fs.rename(tempPath, path);
  await fs.syncDir(dir);
}
