// Recovery with a large tree (1,000,000 znodes): the time for a kill -9'd follower to restart and
// serve the whole tree again, and — for targets whose members keep their data on disk — the time
// for the whole ensemble to restart after all three were killed. Also the snapshot size on disk.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openSession } from '../lib/clients.mjs';
import { pollUntil } from '../lib/net.mjs';
import { populate, waitForZnodeCount, znodeCount } from '../lib/populate.mjs';

const RESTART_TIMEOUT_MS = 300_000;

/** Runs the recovery workload on one cluster. */
export async function runRecovery(ctx, cluster) {
  if (!ctx.selected('recovery') || ctx.plan.recovery === undefined) return;
  const { znodes } = ctx.plan.recovery;
  const present = (await znodeCount(cluster.members[0])) ?? 0;
  let created = 0;
  if (present < znodes) {
    const session = await openSession('tcp', cluster, { memberIndex: 0 });
    try {
      // Parents add one znode per thousand, so slightly fewer leaves reach the total.
      const leaves = Math.ceil((znodes - present) / 1.001);
      created = await populate(session, {
        root: '/bench/rec',
        to: leaves,
        onProgress: (n) => ctx.progress.status(`${cluster.target.label} recovery: loading ${n.toLocaleString('en')} / ${leaves.toLocaleString('en')} znodes`),
      });
    } finally {
      await session.close();
    }
  }
  // Every member must have applied the whole load before the restarts are timed.
  const expected = Math.min(...(await waitForZnodeCount(cluster, present + created)));
  const errors = {};
  let failed = 0;

  const leader = await cluster.leader();
  const follower = cluster.members.find((m) => m !== leader);
  ctx.progress.status(`${cluster.target.label} recovery: restarting follower ${follower.id} with ${expected.toLocaleString('en')} znodes`);
  await follower.kill();
  const memberRestartMs = await timeUntilServingWithTree(cluster, [follower], expected, () => follower.launch()).catch((error) => {
    failed += 1;
    errors[`member restart: ${error.message.split('\n')[0]}`] = 1;
    return undefined;
  });

  let ensembleRestartMs;
  let snapshotBytes;
  if (cluster.durable) {
    ctx.progress.status(`${cluster.target.label} recovery: kill -9 all three, restart with ${expected.toLocaleString('en')} znodes`);
    await Promise.all(cluster.members.map((m) => m.kill()));
    ensembleRestartMs = await timeUntilServingWithTree(cluster, cluster.members, expected, () => cluster.members.forEach((m) => m.launch())).catch((error) => {
      failed += 1;
      errors[`ensemble restart: ${error.message.split('\n')[0]}`] = 1;
      return undefined;
    });
    // null: the target keeps data on disk but wrote no snapshot (it replays its whole log).
    snapshotBytes = newestSnapshotBytes((await cluster.leader()).dataDir) ?? null;
  }
  ctx.record({
    workload: 'recovery',
    client: '-',
    sessions: 0,
    inFlight: 0,
    ok: [memberRestartMs, ensembleRestartMs].filter((ms) => ms !== undefined).length,
    failed,
    p50Ms: memberRestartMs,
    errors,
    extra: {
      unit: 'p50 = follower restart to serving the whole tree',
      znodes: expected,
      memberRestartMs,
      ensembleRestartMs,
      snapshotBytes,
      snapshotBytesPer100k: snapshotBytes == null ? snapshotBytes : (snapshotBytes * 100_000) / expected,
    },
  });
}

/** Launches, then polls until the members serve and each holds at least `expected` znodes. */
async function timeUntilServingWithTree(cluster, members, expected, launch) {
  const began = performance.now();
  launch();
  await Promise.all(members.map((m) => m.waitServing(RESTART_TIMEOUT_MS)));
  await cluster.leader(RESTART_TIMEOUT_MS);
  await pollUntil(
    async () => {
      const counts = await Promise.all(members.map((m) => znodeCount(m)));
      return counts.every((count) => count !== undefined && count >= expected);
    },
    { timeoutMs: RESTART_TIMEOUT_MS, intervalMs: 50, description: `${expected} znodes after restart` },
  );
  return performance.now() - began;
}

/** Size of the newest snapshot file under a data dir (ZooKeeper: version-2/snapshot.<zxid>). */
function newestSnapshotBytes(dir) {
  let newest;
  const visit = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/^snap/i.test(entry.name)) {
        const stat = statSync(full);
        if (newest === undefined || stat.mtimeMs > newest.mtimeMs) newest = stat;
      }
    }
  };
  visit(dir);
  return newest?.size;
}
