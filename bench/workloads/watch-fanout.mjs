// Watch fan-out: many sessions watch one node; one setData; the time until the last
// notification arrives. Each session registers `watchersPerSession` distinct watchers (the server
// keeps one watch per session and node, the client calls each watcher).
import { closeSessions, ensurePath, openSession, openSessions } from '../lib/clients.mjs';
import { LatencyRecorder } from '../lib/stats.mjs';

const PATH = '/bench/watch';
const NOTIFICATION_TIMEOUT_MS = 15_000;

/** Runs the watch fan-out workload on one cluster. */
export async function runWatchFanout(ctx, cluster) {
  if (!ctx.selected('watch')) return;
  const { sessions: sessionCount, watchersPerSession, rounds, budgetMs } = ctx.plan.watch;
  const watchers = sessionCount * watchersPerSession;
  const writer = await openSession('tcp', cluster, { memberIndex: 0, seed: 99 });
  let sessions = [];
  try {
    const data = new Uint8Array(100).fill(3);
    await ensurePath(writer, PATH, data);
    ctx.progress.status(`${cluster.target.label} watch: opening ${sessionCount} sessions`);
    sessions = await openSessions('tcp', cluster, sessionCount, 32);
    const latencies = new LatencyRecorder();
    let failed = 0;
    let notified = 0;
    let totalMs = 0;
    const errors = {};
    const began = performance.now();
    for (let round = 0; round < rounds && performance.now() - began < budgetMs; round++) {
      let remaining = watchers;
      let lastAt = 0;
      let wrong = 0;
      let finish;
      const allNotified = new Promise((resolve) => (finish = resolve));
      const watcher = (event) => {
        // Session events (type None) reach every watcher without consuming it.
        if (event.type === 'None') return;
        if (event.type !== 'NodeDataChanged' || event.path !== PATH) {
          wrong += 1;
          return;
        }
        remaining -= 1;
        if (remaining === 0) {
          lastAt = performance.now();
          finish();
        }
      };
      await Promise.all(
        sessions.flatMap((session) =>
          Array.from({ length: watchersPerSession }, () => session.getData(PATH, (event) => watcher(event))),
        ),
      );
      const setAt = performance.now();
      await writer.setData(PATH, data);
      const timer = setTimeout(finish, NOTIFICATION_TIMEOUT_MS);
      await allNotified;
      clearTimeout(timer);
      if (remaining === 0 && wrong === 0) {
        const ms = lastAt - setAt;
        latencies.record(ms);
        totalMs += ms;
        notified += watchers;
      } else {
        failed += remaining + wrong;
        errors[`round ${round}: ${remaining} notifications missing, ${wrong} unexpected`] = 1;
      }
      ctx.progress.status(`${cluster.target.label} watch fan-out ${watchers} watchers: round ${round + 1}`);
    }
    ctx.record({
      workload: 'watch',
      client: 'tcp',
      sessions: sessionCount,
      inFlight: watchersPerSession,
      ok: latencies.count,
      failed,
      measuredMs: totalMs,
      // Notifications delivered per second of fan-out time.
      opsPerSec: totalMs > 0 ? notified / (totalMs / 1000) : 0,
      ...latencies.summary(),
      errors,
      extra: { watchers, unit: 'rounds; latency = setData to last notification; ops/s = notifications/s' },
    });
  } finally {
    await closeSessions(sessions);
    await writer.close();
  }
}
