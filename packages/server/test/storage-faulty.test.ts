import { OpCode } from '@zkts/protocol';
import { describe, expect, it } from 'vitest';
import { DataTree } from '../src/tree/data-tree.js';
import { FaultyFs } from '../src/storage/faulty-fs.js';
import { FaultyStorage } from '../src/storage/faulty-storage.js';
import { MemoryFs, type CrashMode } from '../src/storage/memory-fs.js';
import { MemoryStorage } from '../src/storage/memory-storage.js';
import { recoverDatabase } from '../src/storage/recover.js';
import { isStorageError } from '../src/storage/storage-error.js';
import type { Storage } from '../src/storage/storage.js';
import { encodeTxn } from '../src/storage/txn-codec.js';
import { SESSION, appendSamples, range, recoveredZxids } from './storage-helpers.js';

const settle = async (turns = 20) => {
  for (let i = 0; i < turns; i++) await Promise.resolve();
};

describe('MemoryFs durability model', () => {
  it('loses a synced file whose directory entry was not synced', async () => {
    const fs = new MemoryFs();
    await fs.mkdirp('/d');
    const file = await fs.openWrite('/d/a', { truncate: true });
    await file.write([new Uint8Array([1, 2, 3])], 0);
    await file.datasync();
    fs.crash('lose-unsynced');
    expect(await fs.list('/d')).toEqual([]);
  });

  it('keeps synced data and drops later writes and truncations', async () => {
    const fs = new MemoryFs();
    await fs.mkdirp('/d');
    const file = await fs.openWrite('/d/a', { truncate: true });
    await file.write([new Uint8Array([1, 2, 3, 4])], 0);
    await file.datasync();
    await fs.syncDir('/d');
    await file.write([new Uint8Array([9, 9])], 1);
    await file.truncate(2);
    await fs.rename('/d/a', '/d/b');
    expect([...fs.peek('/d/b')]).toEqual([1, 9]);
    fs.crash('lose-unsynced');
    expect(await fs.list('/d')).toEqual(['a']);
    expect([...fs.peek('/d/a')]).toEqual([1, 2, 3, 4]);
    await expect(file.write([new Uint8Array(1)], 0)).rejects.toThrow(/before a crash/);
  });

  it('keeps unsynced changes in a process crash', async () => {
    const fs = new MemoryFs();
    await fs.mkdirp('/d');
    const file = await fs.openWrite('/d/a', { truncate: true });
    await file.write([new Uint8Array([5])], 0);
    fs.crash('keep-unsynced');
    expect([...fs.peek('/d/a')]).toEqual([5]);
  });
});

describe('MemoryStorage crashes', () => {
  it('keeps what was synced, never what was only appended', async () => {
    for (const mode of ['lose-unsynced', 'keep-unsynced'] as const) {
      const storage = await MemoryStorage.open();
      appendSamples(storage, range(1, 10));
      await storage.sync();
      appendSamples(storage, range(11, 15));
      storage.crash(mode);
      expect(() => appendSamples(storage, [16])).toThrow(/crashed/);
      const reopened = await MemoryStorage.open({ disk: storage.disk });
      expect(await recoveredZxids(reopened), mode).toEqual(range(1, 10));
    }
  });
});

/** A faulty disk whose fsyncs can be made to hang, so a crash finds written but unsynced data. */
function hangingDisk(seed: number) {
  const control = { hang: false };
  const disk = new FaultyFs({ seed, syncDelayMs: { min: 1, max: 1 }, sleep: () => (control.hang ? new Promise<void>(() => {}) : Promise.resolve()) });
  return { disk, control };
}

/** Opens like a server that restarts until it comes up: opening syncs directories, and injected failures hit those too. */
async function openRetrying(disk: FaultyFs): Promise<FaultyStorage> {
  for (;;) {
    try {
      return await FaultyStorage.open({ disk, txnLogSizeLimitBytes: 1000 });
    } catch (error) {
      expect(isStorageError(error, 'IO_FAILED') && String(error)).toMatch(/injected/);
    }
  }
}

describe('FaultyStorage', () => {
  it('a torn crash keeps every acknowledged record and an intact prefix of the rest', async () => {
    const outcomes: string[] = [];
    for (let seed = 1; seed <= 150; seed++) {
      const { disk, control } = hangingDisk(seed);
      const storage = await FaultyStorage.open({ disk, txnLogSizeLimitBytes: 700 });
      const syncedRounds = 1 + Math.floor(disk.random() * 4);
      let zxid = 0;
      for (let round = 0; round < syncedRounds; round++) {
        appendSamples(storage, range(zxid + 1, (zxid += 1 + Math.floor(disk.random() * 6))));
        await storage.sync();
      }
      const acknowledged = zxid;
      control.hang = true;
      appendSamples(storage, range(zxid + 1, (zxid += 1 + Math.floor(disk.random() * 8))));
      const unacknowledged = storage.sync();
      unacknowledged.catch(() => {});
      await settle();
      storage.crash('tear');
      control.hang = false;
      const reopened = await FaultyStorage.open({ disk, txnLogSizeLimitBytes: 700 });
      const recovered = await recoveredZxids(reopened);
      expect(recovered.slice(0, acknowledged), `seed ${seed}`).toEqual(range(1, acknowledged));
      expect(recovered, `seed ${seed}`).toEqual(range(1, recovered.length));
      expect(recovered.length).toBeLessThanOrEqual(zxid);
      outcomes.push(`${recovered.length}/${zxid}${reopened.openReport.truncatedTail === null ? '' : 't'}`);
      // The repaired log takes new appends and recovers them too.
      appendSamples(reopened, [recovered.length + 1]);
      await reopened.sync();
      expect(await recoveredZxids(reopened)).toEqual(range(1, recovered.length + 1));
    }
    // The seeds covered torn tails, lost tails and partly kept tails.
    expect(outcomes.some((o) => o.endsWith('t'))).toBe(true);
    expect(outcomes.some((o) => { const [got, all] = o.replace('t', '').split('/').map(Number); return got! > 0 && got! < all!; })).toBe(true);
  });

  it('a power cut loses written but unsynced records, a process crash keeps them', async () => {
    for (const [mode, expected] of [
      ['lose-unsynced', range(1, 10)],
      ['keep-unsynced', range(1, 15)],
    ] as const) {
      const { disk, control } = hangingDisk(1);
      const storage = await FaultyStorage.open({ disk });
      appendSamples(storage, range(1, 10));
      await storage.sync();
      control.hang = true;
      appendSamples(storage, range(11, 15));
      const pending = storage.sync();
      await settle();
      expect(disk.memory.stats.bytesWritten).toBeGreaterThan(0);
      storage.crash(mode);
      await expect(pending).rejects.toSatisfy((error: unknown) => isStorageError(error, 'CLOSED'));
      control.hang = false;
      expect(await recoveredZxids(await FaultyStorage.open({ disk })), mode).toEqual(expected);
    }
  });

  it('drops a snapshot that was being written at the crash and loads the previous one', async () => {
    for (const mode of ['lose-unsynced', 'keep-unsynced', 'tear'] as const) {
      const { disk, control } = hangingDisk(2);
      const storage = await FaultyStorage.open({ disk });
      await storage.writeSnapshot(1, { nodes: new DataTree().snapshotNodes(), sessions: [] });
      control.hang = true;
      const big = new DataTree();
      for (let i = 0; i < 300; i++) big.create({ zxid: 2 + i, timeMs: 0, sessionId: 1n }, `/n${i}`, new Uint8Array(2000), [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], 0);
      // The dead instance's write stays stuck in its fsync forever, as a killed process's would.
      void storage.writeSnapshot(0x400, { nodes: [...big.snapshotNodes()], sessions: [] });
      await settle(200);
      expect(disk.memory.stats.bytesWritten).toBeGreaterThan(300 * 2000);
      storage.crash(mode);
      control.hang = false;
      const reopened = await FaultyStorage.open({ disk });
      if (mode === 'keep-unsynced') expect(reopened.openReport.removedTempFiles).toEqual(['snapshot.400.tmp']);
      const restored = await reopened.loadSnapshot(async (s) => DataTree.fromAsyncNodes(s.nodes));
      expect(restored?.zxid, mode).toBe(1);
    }
  });

  it('is deterministic for a seed', async () => {
    const run = async (seed: number) => {
      const { disk, control } = hangingDisk(seed);
      const storage = await FaultyStorage.open({ disk });
      appendSamples(storage, range(1, 5));
      await storage.sync();
      control.hang = true;
      appendSamples(storage, range(6, 30));
      storage.sync().catch(() => {});
      await settle();
      storage.crash('tear');
      control.hang = false;
      return recoveredZxids(await FaultyStorage.open({ disk }));
    };
    for (const seed of [3, 17, 99]) expect(await run(seed)).toEqual(await run(seed));
  });

  it('a failed fsync fails the sync, stops the storage, and loses nothing acknowledged', async () => {
    const storage = await FaultyStorage.open({ faults: { seed: 5 } });
    appendSamples(storage, range(1, 4));
    await storage.sync();
    storage.disk.failNextSyncs(1);
    appendSamples(storage, range(5, 8));
    await expect(storage.sync()).rejects.toSatisfy((error: unknown) => isStorageError(error, 'IO_FAILED'));
    expect(() => appendSamples(storage, [9])).toThrow(/injected fsync failure/);
    expect(storage.disk.faults.failedSyncs).toBe(1);
    storage.crash('lose-unsynced');
    const reopened = await FaultyStorage.open({ disk: storage.disk });
    expect(await recoveredZxids(reopened)).toEqual(range(1, 4));
  });

  it('random fsync failures and crashes never lose an acknowledged record', async () => {
    const modes: CrashMode[] = ['lose-unsynced', 'keep-unsynced', 'tear'];
    for (let seed = 1; seed <= 40; seed++) {
      const disk = new FaultyFs({ seed, syncFailureProbability: 0.15 });
      let storage = await openRetrying(disk);
      let acknowledged = 0;
      let next = 1;
      for (let step = 0; step < 30; step++) {
        const count = 1 + Math.floor(disk.random() * 5);
        try {
          appendSamples(storage, range(next, next + count - 1));
          next += count;
          await storage.sync();
          acknowledged = next - 1;
        } catch (error) {
          expect(isStorageError(error, 'IO_FAILED')).toBe(true);
          storage.crash(modes[Math.floor(disk.random() * modes.length)]!);
          storage = await openRetrying(disk);
          const recovered = await recoveredZxids(storage);
          expect(recovered.slice(0, acknowledged), `seed ${seed} step ${step}`).toEqual(range(1, acknowledged));
          expect(recovered).toEqual(range(1, recovered.length));
          next = recovered.length + 1;
        }
      }
      expect(disk.faults.failedSyncs, `seed ${seed}`).toBeGreaterThanOrEqual(0);
    }
  });

  it('group commit holds while fsyncs are slow', async () => {
    const sleeps: (() => void)[] = [];
    let slow = false;
    const sleep = () => (slow ? new Promise<void>((resolve) => sleeps.push(resolve)) : Promise.resolve());
    const disk = new FaultyFs({ seed: 1, syncDelayMs: { min: 10, max: 10 }, sleep });
    const storage = await FaultyStorage.open({ disk });
    const delayedAtOpen = disk.faults.delayedSyncs;
    slow = true;
    const syncs: Promise<void>[] = [];
    for (const zxid of range(1, 50)) {
      appendSamples(storage, [zxid]);
      syncs.push(storage.sync());
      if (zxid % 10 === 0) await settle();
    }
    // Release the slow fsyncs one at a time until every sync is done.
    let done = false;
    const all = Promise.all(syncs).then(() => (done = true));
    while (!done) {
      await settle();
      sleeps.shift()?.();
    }
    await all;
    // One fsync for the first record (plus the directory), one for the 49 that queued behind it.
    expect(storage.stats.logFsyncs).toBe(2);
    expect(disk.faults.delayedSyncs - delayedAtOpen).toBe(3);
    expect(await recoveredZxids(storage)).toEqual(range(1, 50));
  });
});

describe('FaultyStorage model check', () => {
  /** Appends records whose cxid tags the batch ("generation") that wrote them. */
  const appendTagged = (storage: Storage, from: number, count: number, generation: number) => {
    for (let zxid = from; zxid < from + count; zxid++) {
      storage.append(zxid, encodeTxn({ zxid, timeMs: 0, sessionId: SESSION, cxid: generation, type: OpCode.closeSession, body: undefined, authIds: [], superUser: false }));
    }
  };
  const stat = { czxid: 0, mzxid: 0, ctime: 0, mtime: 0, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, pzxid: 0 };
  /** Recovers the list of generations, zxid i at index i - 1; snapshots carry theirs in the root's data. */
  const recoverGenerations = async (storage: Storage) =>
    (
      await recoverDatabase<number[]>(storage, {
        initial: () => [],
        fromSnapshot: async (snapshot) => {
          let generations: number[] = [];
          for await (const node of snapshot.nodes) generations = JSON.parse(new TextDecoder().decode(node.data!)) as number[];
          expect(generations.length).toBe(snapshot.zxid);
          return generations;
        },
        apply: (state, txn) => void state.push(txn.cxid),
      })
    ).state;

  it('appends, syncs, snapshots, truncations, purges, fsync failures and crashes keep every acknowledged write', async () => {
    const modes: CrashMode[] = ['lose-unsynced', 'keep-unsynced', 'tear'];
    let refusedTruncations = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const disk = new FaultyFs({ seed, syncFailureProbability: 0.05 });
      let storage = await openRetrying(disk);
      /** Generations the storage has acknowledged as durable, and all it was given. */
      let acknowledged: number[] = [];
      let appended: number[] = [];
      let generation = 0;
      const restart = async () => {
        storage.crash(modes[Math.floor(disk.random() * modes.length)]!);
        storage = await openRetrying(disk);
        const recovered = await recoverGenerations(storage);
        const where = `seed ${seed}`;
        expect(recovered.slice(0, acknowledged.length), where).toEqual(acknowledged);
        // Anything beyond is what the dead instance appended, in order, never something truncated away.
        expect(recovered, where).toEqual(appended.slice(0, recovered.length));
        acknowledged = recovered;
        appended = [...recovered];
      };
      for (let step = 0; step < 40; step++) {
        const dice = disk.random();
        try {
          if (dice < 0.55) {
            const count = 1 + Math.floor(disk.random() * 6);
            appendTagged(storage, appended.length + 1, count, ++generation);
            appended.push(...new Array<number>(count).fill(generation));
            if (disk.random() < 0.8) {
              await storage.sync();
              acknowledged = [...appended];
            }
          } else if (dice < 0.7) {
            const zxid = acknowledged.length;
            const data = new TextEncoder().encode(JSON.stringify(acknowledged));
            await storage.writeSnapshot(zxid, { nodes: [{ path: '/', data, acl: [], stat }], sessions: [] }).catch((error: unknown) => {
              // A failed snapshot leaves the storage usable; it is just not there.
              expect(String(error)).toMatch(/injected/);
            });
          } else if (dice < 0.8 && appended.length > 0) {
            const zxid = Math.floor(disk.random() * (appended.length + 1));
            // Once asked, what lies after zxid may be gone even if the truncation fails part way.
            const before = acknowledged;
            acknowledged = acknowledged.slice(0, zxid);
            try {
              await storage.truncateAfter(zxid);
              appended.length = Math.min(appended.length, zxid);
              acknowledged = [...appended];
            } catch (error) {
              if (!isStorageError(error, 'LOG_GAP')) throw error;
              // Refused up front, after syncing what was appended: nothing was removed.
              expect(before.length).toBeLessThanOrEqual(appended.length);
              acknowledged = [...appended];
              refusedTruncations++;
            }
          } else if (dice < 0.85) {
            await storage.purge(3);
          } else {
            await restart();
          }
        } catch (error) {
          expect(isStorageError(error, 'IO_FAILED'), String(error)).toBe(true);
          await restart();
        }
      }
      await restart();
    }
    // Some truncations reached below what purges had kept, and were refused.
    expect(refusedTruncations).toBeGreaterThan(0);
  });
});
