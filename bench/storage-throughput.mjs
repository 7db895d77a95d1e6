// Transaction log throughput with fsync on, with and without group commit.
//
//   npx tsc -b && node bench/storage-throughput.mjs [txns] [dir]
//
// Writes `txns` (default 20,000) create transactions of 100 data bytes each
// through FileStorage in a fresh directory under `dir` (default: the OS temp
// dir, which should be on the disk you care about), in these ways:
//   - serial:        one writer, append + await sync() per transaction (one fdatasync each);
//   - group commit:  W concurrent writers, each append + await sync(); a sync round's
//                    fdatasync covers everyone waiting for it;
//   - forceSync off: group commit without fdatasync, the ceiling the disk imposes nothing on.
// It first measures the raw fdatasync latency of a small append on the same file system,
// and finally the speed of writing a snapshot. Prints txns/s and fsyncs per run.

import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpCode } from '../packages/protocol/dist/index.js';
import { FileStorage } from '../packages/server/dist/storage/file-storage.js';
import { encodeTxn } from '../packages/server/dist/storage/txn-codec.js';

const txnCount = Number(process.argv[2] ?? 20_000);
const baseDir = process.argv[3] ?? tmpdir();
const root = await mkdtemp(join(baseDir, 'zkts-bench-storage-'));

const acl = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const data = new Uint8Array(100).fill(7);
const payload = (zxid) =>
  encodeTxn({
    zxid,
    timeMs: 1_700_000_000_000 + zxid,
    sessionId: 0x100000a1b20000n,
    cxid: zxid,
    type: OpCode.create,
    body: { path: `/bench/n-${String(zxid).padStart(10, '0')}`, data, acl, flags: 0 },
    authIds: [],
    superUser: false,
  });

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function fdatasyncLatency(samples) {
  const file = await open(join(root, 'latency'), 'w');
  const record = new Uint8Array(200);
  const times = [];
  for (let i = 0; i < samples; i++) {
    await file.write(record, 0, record.length, i * record.length);
    const started = process.hrtime.bigint();
    await file.datasync();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  await file.close();
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return { mean, p50: percentile(times, 50), p99: percentile(times, 99) };
}

let runNumber = 0;
async function run(name, writers, options = {}) {
  const dataDir = join(root, `run-${++runNumber}`);
  const storage = await FileStorage.open({ dataDir, ...options });
  const payloads = Array.from({ length: txnCount }, (_, i) => payload(i + 1));
  let next = 0;
  const latencies = [];
  const writer = async () => {
    while (next < txnCount) {
      const index = next++;
      const started = process.hrtime.bigint();
      storage.append(index + 1, payloads[index]);
      await storage.sync();
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: writers }, writer));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { logFsyncs, logFsyncTotalMs, logBytesWritten } = storage.stats;
  await storage.close();
  latencies.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(34)} ${fmt(txnCount / seconds).padStart(9)} txns/s  ${String(logFsyncs).padStart(6)} fsyncs  ` +
      `${fmt(logFsyncs === 0 ? 0 : txnCount / logFsyncs, 1).padStart(6)} txns/fsync  ` +
      `fsync ${fmt(logFsyncs === 0 ? 0 : logFsyncTotalMs / logFsyncs, 3)} ms  ` +
      `commit p50 ${fmt(percentile(latencies, 50), 3)} ms p99 ${fmt(percentile(latencies, 99), 3)} ms  ` +
      `${fmt(logBytesWritten / seconds / 1024 / 1024, 1)} MiB/s`,
  );
}

async function snapshotSpeed(nodeCount) {
  const storage = await FileStorage.open({ dataDir: join(root, 'snapshot') });
  const stat = { czxid: 1, mzxid: 1, ctime: 0, mtime: 0, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, pzxid: 1 };
  const nodes = [{ path: '/', data: null, acl, stat }];
  for (let i = 0; i < nodeCount; i++) nodes.push({ path: `/n-${String(i).padStart(10, '0')}`, data, acl, stat });
  const started = process.hrtime.bigint();
  const info = await storage.writeSnapshot(1, { nodes, sessions: [] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const loadStarted = process.hrtime.bigint();
  let loaded = 0;
  await storage.loadSnapshot(async (snapshot) => {
    for await (const _node of snapshot.nodes) loaded++;
  });
  const loadSeconds = Number(process.hrtime.bigint() - loadStarted) / 1e9;
  await storage.close();
  console.log(
    `snapshot of ${fmt(nodeCount)} nodes (${fmt(info.bytes / 1024 / 1024, 1)} MiB): write ${fmt(nodeCount / seconds)} nodes/s ` +
      `(${fmt(info.bytes / seconds / 1024 / 1024, 1)} MiB/s), read ${fmt(loaded / loadSeconds)} nodes/s`,
  );
}

try {
  console.log(`node ${process.version}, ${txnCount} txns of ${payload(1).length} bytes, in ${root}`);
  const latency = await fdatasyncLatency(2000);
  console.log(`fdatasync of a 200-byte append: mean ${fmt(latency.mean, 3)} ms, p50 ${fmt(latency.p50, 3)} ms, p99 ${fmt(latency.p99, 3)} ms`);
  await run('serial (1 writer, fsync each)', 1);
  await run('serial, preallocated 64 MiB', 1, { preAllocSizeBytes: 64 * 1024 * 1024 });
  for (const writers of [8, 64, 256]) await run(`group commit, ${writers} writers`, writers);
  await run('group commit, 64 writers, prealloc', 64, { preAllocSizeBytes: 64 * 1024 * 1024 });
  await run('forceSync off, 64 writers', 64, { forceSync: false });
  await snapshotSpeed(200_000);
} finally {
  await rm(root, { recursive: true, force: true });
}
