import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FileStorage } from '../src/storage/file-storage.js';
import { LogFileCursor, type LogRecordView } from '../src/storage/log-format.js';
import { isStorageError } from '../src/storage/storage-error.js';
import { appendSamples, range, recoveredZxids, removeTempDirs, tempDir } from './storage-helpers.js';

afterEach(removeTempDirs);

const RECORDS = 5;
let pristine: Uint8Array;
let records: LogRecordView[];

/** A log file of RECORDS sample records, made once by the real engine. */
beforeAll(async () => {
  const dataDir = await tempDir();
  const storage = await FileStorage.open({ dataDir });
  appendSamples(storage, range(1, RECORDS));
  await storage.sync();
  await storage.close();
  pristine = new Uint8Array(await readFile(join(dataDir, 'version-2', 'log.1')));
  const cursor = new LogFileCursor(pristine, 1 << 20);
  records = [];
  for (let r = cursor.next(); r !== null; r = cursor.next()) records.push(r);
  expect(records.length).toBe(RECORDS);
  await removeTempDirs();
});

/** Opens a storage whose only log file holds `bytes`, recovers, and reports what it found. */
async function recoverFrom(bytes: Uint8Array, extraFiles: Record<string, Uint8Array> = {}) {
  const dataDir = await tempDir();
  const storage0 = await FileStorage.open({ dataDir });
  await storage0.close();
  await writeFile(join(dataDir, 'version-2', 'log.1'), bytes);
  for (const [name, content] of Object.entries(extraFiles)) await writeFile(join(dataDir, 'version-2', name), content);
  const storage = await FileStorage.open({ dataDir });
  try {
    const zxids = await recoveredZxids(storage);
    return { zxids, report: storage.openReport, lastLoggedZxid: storage.lastLoggedZxid, storage, dataDir };
  } finally {
    await storage.close();
  }
}

const withZeros = (bytes: Uint8Array, zeros: number) => {
  const out = new Uint8Array(bytes.length + zeros);
  out.set(bytes);
  return out;
};

describe('torn tail recovery', () => {
  it('recovers exactly the records before a last record cut at every byte offset', async () => {
    const last = records[RECORDS - 1]!;
    for (let cut = last.offset; cut < last.end; cut++) {
      for (const padding of [0, 4096]) {
        const bytes = withZeros(pristine.subarray(0, cut), padding);
        // When the record's missing bytes were zeros, the padding restores it exactly: it is then whole.
        if (bytes.length >= last.end && bytes.subarray(0, last.end).every((b, i) => b === pristine[i])) {
          expect((await recoverFrom(bytes)).zxids).toEqual(range(1, RECORDS));
          continue;
        }
        const { zxids, report, lastLoggedZxid } = await recoverFrom(bytes);
        expect(zxids, `cut at ${cut}, padding ${padding}`).toEqual(range(1, RECORDS - 1));
        expect(lastLoggedZxid).toBe(RECORDS - 1);
        // Left-over bytes that are all zero read as zero padding, a clean end: nothing to repair.
        const leftOverZero = pristine.subarray(last.offset, cut).every((b) => b === 0);
        if (leftOverZero) expect(report.truncatedTail).toBeNull();
        else expect(report.truncatedTail?.offset, `cut at ${cut}`).toBe(last.offset);
      }
    }
  });

  it('recovers exactly the records before a last record with any byte corrupted', async () => {
    const last = records[RECORDS - 1]!;
    for (let at = last.offset; at < last.end; at++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const damaged = pristine.slice();
        damaged[at]! ^= mask;
        const { zxids, report } = await recoverFrom(damaged);
        expect(zxids, `byte ${at} ^ ${mask}`).toEqual(range(1, RECORDS - 1));
        expect(report.truncatedTail?.offset).toBe(last.offset);
        expect(report.truncatedTail?.droppedBytes).toBe(last.end - last.offset);
      }
    }
  });

  it('appends after a repaired tail and recovers them all', async () => {
    const last = records[RECORDS - 1]!;
    const dataDir = await tempDir();
    await (await FileStorage.open({ dataDir })).close();
    await writeFile(join(dataDir, 'version-2', 'log.1'), pristine.subarray(0, last.offset + 3));
    const storage = await FileStorage.open({ dataDir });
    expect(storage.lastLoggedZxid).toBe(RECORDS - 1);
    appendSamples(storage, range(RECORDS, RECORDS + 2));
    await storage.sync();
    await storage.close();
    const reopened = await FileStorage.open({ dataDir });
    expect(await recoveredZxids(reopened)).toEqual(range(1, RECORDS + 2));
    await reopened.close();
  });

  it('fails loudly when a damaged record is followed by valid ones', async () => {
    const middle = records[2]!;
    for (let at = middle.offset; at < middle.end; at++) {
      const damaged = pristine.slice();
      damaged[at]! ^= 0xff;
      const dataDir = await tempDir();
      await (await FileStorage.open({ dataDir })).close();
      await writeFile(join(dataDir, 'version-2', 'log.1'), damaged);
      const opening = FileStorage.open({ dataDir });
      await expect(opening, `byte ${at}`).rejects.toSatisfy((error: unknown) => isStorageError(error, 'CORRUPT_LOG'));
      await expect(opening).rejects.toMatchObject({ offset: middle.offset });
      // Nothing was cut: the file is as it was, for an operator to look at.
      expect(new Uint8Array(await readFile(join(dataDir, 'version-2', 'log.1')))).toEqual(damaged);
    }
  });

  it('fails loudly on damage in an older log file, when replay reaches it', async () => {
    const damaged = pristine.slice();
    damaged[records[1]!.offset + 20]! ^= 0x10;
    // A healthy newer log file, so the damaged one is not the tail that open() checks.
    const source = await FileStorage.open({ dataDir: await tempDir() });
    appendSamples(source, [RECORDS + 1]);
    await source.sync();
    await source.close();
    const newer = new Uint8Array(await readFile(join(source.logDir, 'log.6')));
    const dataDir = await tempDir();
    await (await FileStorage.open({ dataDir })).close();
    await writeFile(join(dataDir, 'version-2', 'log.1'), damaged);
    await writeFile(join(dataDir, 'version-2', 'log.6'), newer);
    const storage = await FileStorage.open({ dataDir });
    expect(storage.lastLoggedZxid).toBe(RECORDS + 1);
    await expect(recoveredZxids(storage)).rejects.toSatisfy((error: unknown) => isStorageError(error, 'CORRUPT_LOG'));
    await storage.close();
  });

  it('removes a newest log file that holds only a torn header, or zeros', async () => {
    for (const bytes of [0, 7, 19, 20, 23].map((length) => pristine.subarray(0, length)).concat([new Uint8Array(4096)])) {
      const { zxids, report } = await recoverFrom(pristine, { 'log.6': bytes });
      expect(zxids).toEqual(range(1, RECORDS));
      expect(report.removedEmptyLogs).toEqual(['log.6']);
    }
  });

  it('refuses, and keeps, a newest log file that is not a zkts log', async () => {
    // A ZooKeeper log's header: "ZKLG", version 2, dbid 0.
    const foreign = new Uint8Array(64);
    foreign.set([0x5a, 0x4b, 0x4c, 0x47, 0, 0, 0, 2]);
    for (const bytes of [foreign, foreign.subarray(0, 6)]) {
      const dataDir = await tempDir();
      await (await FileStorage.open({ dataDir })).close();
      await writeFile(join(dataDir, 'version-2', 'log.1'), bytes);
      await expect(FileStorage.open({ dataDir })).rejects.toSatisfy((error: unknown) => isStorageError(error, 'CORRUPT_LOG'));
      expect(new Uint8Array(await readFile(join(dataDir, 'version-2', 'log.1')))).toEqual(bytes);
    }
  });
});
