// Election at start-up: the time from spawning three fresh servers until one leads and the
// other two follow and serve (process start + election + sync; for ZooKeeper that includes JVM
// start). The main cluster's own start is the first sample; more come from fresh clusters.
// Also the time until every server has accepted a new session, which can come later.
import { Cluster } from '../lib/cluster.mjs';
import { median } from '../lib/stats.mjs';

/**
 * Records the election samples: `first` (the main cluster's `{ startupMs, sessionsReadyMs }`),
 * then `extraRuns` fresh starts.
 */
export async function runElection(ctx, target, first) {
  if (!ctx.selected('election')) return;
  const samples = [first.startupMs];
  const sessionSamples = [first.sessionsReadyMs];
  for (let run = 0; run < ctx.plan.election.extraRuns; run++) {
    ctx.progress.status(`${target.label} election: fresh ensemble ${run + 2}`);
    const cluster = await Cluster.start(target, ctx.clusterOptions);
    samples.push(cluster.startupMs);
    sessionSamples.push(cluster.sessionsReadyMs);
    await cluster.stop();
  }
  ctx.record({
    workload: 'election',
    client: '-',
    sessions: 0,
    inFlight: 0,
    ok: samples.length,
    failed: 0,
    p50Ms: median(samples),
    extra: {
      unit: 'fresh starts; p50 = median spawn-to-leader time',
      samplesMs: samples.map((ms) => Math.round(ms)),
      // Until every server has established a new session: what a client can rely on.
      sessionsReadyMedianMs: median(sessionSamples),
      sessionsReadySamplesMs: sessionSamples.map((ms) => Math.round(ms)),
    },
  });
}
