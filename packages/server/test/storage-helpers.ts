/**
 * Shared fixtures of the storage tests: temp directories, sample transactions,
 * and a recovery that just collects the replayed transactions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateMode, OpCode, Perms } from '@zkts/protocol';
import type { Txn } from '../src/replication/replicator.js';
import { recoverDatabase } from '../src/storage/recover.js';
import type { Storage } from '../src/storage/storage.js';
import { encodeTxn } from '../src/storage/txn-codec.js';

const dirs: string[] = [];

/** A fresh directory under the OS temp dir; {@link removeTempDirs} deletes it. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zkts-storage-'));
  dirs.push(dir);
  return dir;
}

/** Deletes every directory {@link tempDir} made (call in afterEach). */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export const SESSION = 0x1000000a1b20000n;
export const T0 = 1_700_000_000_000;
export const OPEN_ACL = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];

/** A setData-like create transaction whose body varies with the zxid. */
export function sampleTxn(zxid: number, sessionId = SESSION): Txn {
  return {
    zxid,
    timeMs: T0 + zxid,
    sessionId,
    cxid: zxid,
    type: OpCode.create,
    body: { path: `/n${zxid}`, data: new TextEncoder().encode(`value-${zxid}`), acl: OPEN_ACL, flags: CreateMode.PERSISTENT },
    authIds: [],
    superUser: false,
  };
}

/** Appends sample transactions for the given zxids. */
export function appendSamples(storage: Storage, zxids: Iterable<number>): void {
  for (const zxid of zxids) storage.append(zxid, encodeTxn(sampleTxn(zxid)));
}

/** 1..n. */
export function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

/** Everything an async iterable yields. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Recovers with a state that is just the list of replayed zxids (no snapshot restore). */
export async function recoveredZxids(storage: Storage): Promise<number[]> {
  const result = await recoverDatabase<number[]>(storage, {
    initial: () => [],
    fromSnapshot: async () => [],
    apply: (state, txn) => void state.push(txn.zxid),
  });
  return result.state;
}
