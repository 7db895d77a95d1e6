import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStorage } from '../src/storage/file-storage.js';
import { isStorageError } from '../src/storage/storage-error.js';
import { nodeStorageFs, type StorageFs } from '../src/storage/storage-fs.js';
import { decodeTxn } from '../src/storage/txn-codec.js';
import { appendSamples, collect, range, recoveredZxids, removeTempDirs, sampleTxn, tempDir } from './storage-helpers.js';

afterEach(removeTempDirs);

/** The real file system, counting and optionally failing fdatasyncs. */
function countingFs(options: { failSyncs?: number } = {}): StorageFs & { datasyncs: number } {
  let failures = options.failSyncs ?? 0;
  const fs: StorageFs & { datasyncs: number } = {
    ...nodeStorageFs,
    datasyncs: 0,
    async openWrite(path, openOptions) {
      const file = await nodeStorageFs.openWrite(path, openOptions);
      return {
        ...file,
        write: (chunks, position) => file.write(chunks, position),
        truncate: (length) => file.truncate(length),
        close: () => file.close(),
        datasync: async () => {
          fs.datasyncs++;
          if (failures > 0) {
            failures--;
            throw Object.assign(new Error('EIO: injected'), { code: 'EIO' });
          }
          await file.datasync();
        },
      };
    },
  };
  return fs;
}

describe('FileStorage transaction log', () => {
  it('round-trips records through a reopen, in the ZooKeeper layout', async () => {
    const dataDir = await tempDir();
    const storage = await FileStorage.open({ dataDir });
    appendSamples(storage, range(1, 50));
    expect(storage.lastLoggedZxid).toBe(50);
    expect(storage.lastSyncedZxid).toBe(0);
    await storage.sync();
    expect(storage.lastSyncedZxid).toBe(50);
    await storage.close();
    expect(await readdir(join(dataDir, 'version-2'))).toEqual(['log.1']);

    const reopened = await FileStorage.open({ dataDir });
    expect(reopened.lastLoggedZxid).toBe(50);
    expect(reopened.openReport.truncatedTail).toBeNull();
    const records = await collect(reopened.readRecords(20));
    expect(records.map((r) => r.zxid)).toEqual(range(21, 50));
    expect(decodeTxn(records[0]!.bytes)).toEqual(sampleTxn(21));
    // A restart continues in a new file, as ZooKeeper does.
    appendSamples(reopened, [51]);
    await reopened.sync();
    expect(await reopened.listLogs()).toEqual(['log.1', 'log.33']);
    expect((await collect(reopened.readRecords(0))).map((r) => r.zxid)).toEqual(range(1, 51));
    await reopened.close();
  });

  it('keeps the log in dataLogDir when set', async () => {
    const dataDir = await tempDir();
    const dataLogDir = await tempDir();
    const storage = await FileStorage.open({ dataDir, dataLogDir });
    appendSamples(storage, range(1, 3));
    await storage.sync();
    await storage.writeEpoch('currentEpoch', 1);
    await storage.close();
    expect(await readdir(join(dataLogDir, 'version-2'))).toEqual(['log.1']);
    expect(await readdir(join(dataDir, 'version-2'))).toEqual(['currentEpoch']);
  });

  it('group commit: concurrent syncs share fdatasyncs', async () => {
    const fs = countingFs();
    const storage = await FileStorage.open({ dataDir: await tempDir(), fs });
    // 64 writers each append then wait for durability, 20 times over.
    let zxid = 0;
    const writer = async () => {
      for (let i = 0; i < 20; i++) {
        appendSamples(storage, [++zxid]);
        await storage.sync();
      }
    };
    await Promise.all(range(1, 64).map(writer));
    expect(storage.stats.syncCalls).toBe(1280);
    expect(storage.stats.logFsyncs).toBe(fs.datasyncs);
    // Each round's fsync covers every writer waiting for it: about one per writer iteration, not one per txn.
    expect(fs.datasyncs).toBeLessThanOrEqual(2 * 20 + 2);
    expect(storage.lastSyncedZxid).toBe(1280);
    expect((await collect(storage.readRecords(0))).length).toBe(1280);
    await storage.close();
  });

  it('group commit: syncs issued in one turn take at most two rounds', async () => {
    const fs = countingFs();
    const storage = await FileStorage.open({ dataDir: await tempDir(), fs });
    const syncs: Promise<void>[] = [];
    for (const zxid of range(1, 100)) {
      appendSamples(storage, [zxid]);
      syncs.push(storage.sync());
    }
    await Promise.all(syncs);
    expect(fs.datasyncs).toBe(2);
    expect(storage.stats.flushes).toBe(2);
    // A sync with nothing new appended needs no fsync.
    await storage.sync();
    expect(fs.datasyncs).toBe(2);
    await storage.close();
  });

  it('does not fsync with forceSync off', async () => {
    const fs = countingFs();
    const storage = await FileStorage.open({ dataDir: await tempDir(), fs, forceSync: false });
    appendSamples(storage, range(1, 10));
    await storage.sync();
    expect(fs.datasyncs).toBe(0);
    expect((await collect(storage.readRecords(0))).length).toBe(10);
    await storage.close();
  });

  it('rolls over to a new file at the size limit, each named by its first zxid', async () => {
    const dataDir = await tempDir();
    const storage = await FileStorage.open({ dataDir, txnLogSizeLimitBytes: 1024 });
    for (const zxid of range(1, 100)) {
      appendSamples(storage, [zxid]);
      if (zxid % 7 === 0) await storage.sync();
    }
    await storage.sync();
    const logs = await storage.listLogs();
    expect(logs.length).toBeGreaterThan(5);
    const starts = logs.map((name) => Number.parseInt(name.slice(4), 16));
    for (const name of logs) {
      const size = (await stat(join(dataDir, 'version-2', name))).size;
      expect(size).toBeLessThanOrEqual(1024);
    }
    expect(starts[0]).toBe(1);
    expect((await collect(storage.readRecords(0))).map((r) => r.zxid)).toEqual(range(1, 100));
    expect((await collect(storage.readRecords(starts[2]! + 1))).map((r) => r.zxid)).toEqual(range(starts[2]! + 2, 100));
    await storage.close();
    const reopened = await FileStorage.open({ dataDir });
    expect(await recoveredZxids(reopened)).toEqual(range(1, 100));
    await reopened.close();
  });

  it('preallocates log files and reads through the zero padding', async () => {
    const dataDir = await tempDir();
    const storage = await FileStorage.open({ dataDir, preAllocSizeBytes: 64 * 1024 });
    appendSamples(storage, range(1, 20));
    await storage.sync();
    expect((await stat(join(dataDir, 'version-2', 'log.1'))).size).toBe(64 * 1024);
    await storage.close();
    const reopened = await FileStorage.open({ dataDir, preAllocSizeBytes: 64 * 1024 });
    expect(reopened.lastLoggedZxid).toBe(20);
    expect(reopened.openReport.truncatedTail).toBeNull();
    appendSamples(reopened, range(21, 30));
    await reopened.sync();
    expect(await recoveredZxids(reopened)).toEqual(range(1, 30));
    await reopened.close();
  });

  it('truncates after a zxid across files, dropping newer snapshots, and appends on', async () => {
    const dataDir = await tempDir();
    const storage = await FileStorage.open({ dataDir, txnLogSizeLimitBytes: 1024 });
    appendSamples(storage, range(1, 60));
    await storage.sync();
    await storage.writeSnapshot(20, { nodes: [], sessions: [] });
    await storage.writeSnapshot(45, { nodes: [], sessions: [] });
    const before = await storage.listLogs();
    await storage.truncateAfter(30);
    expect(storage.lastLoggedZxid).toBe(30);
    expect(await storage.listSnapshots()).toEqual([20]);
    const after = await storage.listLogs();
    expect(after.length).toBeLessThan(before.length);
    expect((await collect(storage.readRecords(0))).map((r) => r.zxid)).toEqual(range(1, 30));
    appendSamples(storage, range(31, 35));
    await storage.sync();
    await storage.close();
    const reopened = await FileStorage.open({ dataDir });
    expect((await collect(reopened.readRecords(0))).map((r) => r.zxid)).toEqual(range(1, 35));
    // Truncating at or past the end changes nothing.
    await reopened.truncateAfter(99);
    expect(reopened.lastLoggedZxid).toBe(35);
    await reopened.truncateAfter(0);
    expect(reopened.lastLoggedZxid).toBe(0);
    expect(await reopened.listLogs()).toEqual([]);
    await reopened.close();
  });

  it('refuses to truncate below what purging kept, changing nothing', async () => {
    const storage = await FileStorage.open({ dataDir: await tempDir(), txnLogSizeLimitBytes: 1024 });
    for (const zxid of [10, 20, 30, 40]) {
      appendSamples(storage, range(zxid - 9, zxid));
      await storage.sync();
      await storage.writeSnapshot(zxid, { nodes: [], sessions: [] });
    }
    await storage.purge(3);
    const logs = await storage.listLogs();
    expect(logs[0]).not.toBe('log.1');
    await expect(storage.truncateAfter(5)).rejects.toSatisfy((error: unknown) => isStorageError(error, 'LOG_GAP'));
    expect(await storage.listLogs()).toEqual(logs);
    expect(await storage.listSnapshots()).toEqual([40, 30, 20]);
    // Still usable, and truncating to a kept snapshot or above works.
    await storage.truncateAfter(25);
    expect(await storage.listSnapshots()).toEqual([20]);
    expect(storage.lastLoggedZxid).toBe(25);
    await storage.close();
  });

  it('stops for good after a failed fsync', async () => {
    const dataDir = await tempDir();
    const fs = countingFs({ failSyncs: 1 });
    const storage = await FileStorage.open({ dataDir, fs });
    appendSamples(storage, range(1, 5));
    const failed = storage.sync();
    await expect(failed).rejects.toSatisfy((error: unknown) => isStorageError(error, 'IO_FAILED'));
    expect(() => appendSamples(storage, [6])).toThrow(/log write failed/);
    await expect(storage.sync()).rejects.toSatisfy((error: unknown) => isStorageError(error, 'IO_FAILED'));
    await storage.close();
  });

  it('rejects appends that do not advance the zxid', async () => {
    const storage = await FileStorage.open({ dataDir: await tempDir() });
    appendSamples(storage, [5]);
    expect(() => appendSamples(storage, [5])).toThrow(/invariant/);
    expect(() => appendSamples(storage, [4])).toThrow(/invariant/);
    await storage.close();
    await expect(storage.sync()).rejects.toSatisfy((error: unknown) => isStorageError(error, 'CLOSED'));
  });
});
