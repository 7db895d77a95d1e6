// Failover: kill -9 the leader while sessions write; measure the time to the first successful
// write issued after the kill and the time until a survivor reports `Mode: leader` in `srvr`.
// The killed server is restarted (and rejoins as a follower) before the next run.
import { closeSessions, ensurePath, openSession } from '../lib/clients.mjs';
import { pollUntil, serverMode, sleep } from '../lib/net.mjs';
import { median } from '../lib/stats.mjs';

const RECOVERY_TIMEOUT_MS = 60_000;
const WARM_WRITES = 50;

/** Runs the failover workload on one cluster. */
export async function runFailover(ctx, cluster) {
  if (!ctx.selected('failover')) return;
  const { runs, writers } = ctx.plan.failover;
  const admin = await openSession('tcp', cluster, { memberIndex: 0 });
  await ensurePath(admin, '/bench/failover');
  const data = new Uint8Array(100).fill(5);
  await Promise.all(Array.from({ length: writers }, (_, i) => ensurePath(admin, `/bench/failover/w-${i}`, data)));
  await admin.close();
  // Every session knows all three servers, so it can move when its server dies.
  const sessions = await Promise.all(Array.from({ length: writers }, (_, i) => openSession('tcp', cluster, { seed: 1000 + i })));
  const firstWriteMs = [];
  const newLeaderMs = [];
  const samples = [];
  let failedWrites = 0;
  let failedRuns = 0;
  const errors = {};
  try {
    for (let run = 0; run < runs; run++) {
      const leader = await cluster.leader();
      let ok = 0;
      let killedAt = Infinity;
      let firstOkAfterKill;
      let stop = false;
      const writer = async (session, i) => {
        while (!stop) {
          const issuedAt = performance.now();
          try {
            await session.setData(`/bench/failover/w-${i}`, data);
            ok += 1;
            if (issuedAt >= killedAt && firstOkAfterKill === undefined) firstOkAfterKill = performance.now() - killedAt;
          } catch (error) {
            failedWrites += 1;
            const key = `${error?.code ?? 'Error'}: ${String(error?.message ?? error).split('\n')[0]}`;
            errors[key] = (errors[key] ?? 0) + 1;
            await sleep(5); // Bounded retry rate while the ensemble has no leader.
          }
        }
      };
      const load = Promise.all(sessions.map(writer));
      const survivors = cluster.members.filter((m) => m !== leader);
      try {
        ctx.progress.status(`${cluster.target.label} failover run ${run + 1}/${runs}: warming up`);
        await pollUntil(() => ok >= WARM_WRITES, { timeoutMs: 20_000, intervalMs: 10, description: 'writes to flow before the kill' });
        ctx.progress.status(`${cluster.target.label} failover run ${run + 1}/${runs}: killing leader ${leader.id}`);
        killedAt = performance.now();
        leader.exitExpected = true;
        process.kill(leader.pid, 'SIGKILL');
        const electedMs = await pollUntil(
          async () => {
            const modes = await Promise.all(survivors.map((m) => serverMode(m.clientPort, 1_000)));
            return modes.includes('leader') ? performance.now() - killedAt : undefined;
          },
          { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 5, description: 'a new leader among the survivors' },
        );
        await pollUntil(() => firstOkAfterKill !== undefined, { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 5, description: 'a successful write after the kill' });
        newLeaderMs.push(electedMs);
        firstWriteMs.push(firstOkAfterKill);
        samples.push({ run, killed: leader.id, newLeaderMs: round(electedMs), firstWriteMs: round(firstOkAfterKill) });
      } catch (error) {
        failedRuns += 1;
        errors[`run ${run}: ${error.message.split('\n')[0]}`] = 1;
      } finally {
        stop = true;
        await load;
      }
      if (leader.running && killedAt !== Infinity) await leader.exited;
      if (leader.running) continue;
      ctx.progress.status(`${cluster.target.label} failover run ${run + 1}/${runs}: restarting server ${leader.id}`);
      leader.launch();
      await leader.waitServing();
      await cluster.leader();
    }
  } finally {
    await closeSessions(sessions);
  }
  ctx.record({
    workload: 'failover',
    client: 'tcp',
    sessions: writers,
    inFlight: 1,
    ok: firstWriteMs.length,
    failed: failedRuns,
    measuredMs: undefined,
    opsPerSec: undefined,
    p50Ms: median(firstWriteMs),
    p99Ms: undefined,
    p999Ms: undefined,
    errors,
    extra: {
      unit: 'runs; p50 = median time from kill -9 to first successful write',
      firstWriteMedianMs: median(firstWriteMs),
      newLeaderMedianMs: median(newLeaderMs),
      failedWritesDuringFailover: failedWrites,
      samples,
    },
  });
}

const round = (ms) => Math.round(ms * 10) / 10;
