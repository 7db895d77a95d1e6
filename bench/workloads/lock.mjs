// Lock throughput: contenders loop acquire → hold → release on one lock, with @zkts/recipes'
// DistributedLock (ephemeral-sequential nodes, each waiter watching its predecessor).
// Mutual exclusion is checked: two holders at once count as failures.
import { lock } from '../../packages/recipes/dist/index.js';
import { closeSessions, ensurePath, openSession, openSessions } from '../lib/clients.mjs';
import { runClosedLoop } from '../lib/load.mjs';

const LOCK_PATH = '/bench/lock';
const ACQUIRE_TIMEOUT_MS = 15_000;

/** Runs the lock workload on one cluster. */
export async function runLock(ctx, cluster) {
  if (!ctx.selected('lock')) return;
  const admin = await openSession('tcp', cluster, { memberIndex: 0 });
  await ensurePath(admin, LOCK_PATH);
  await admin.close();
  for (const contenders of ctx.plan.lock.contenders) {
    const sessions = await openSessions('tcp', cluster, contenders);
    try {
      const locks = sessions.map((session) => lock(session.raw, LOCK_PATH));
      let holders = 0;
      const run = await runClosedLoop({
        sessions: locks,
        inFlight: 1,
        durationMs: ctx.plan.lock.durationMs,
        warmupMs: ctx.plan.warmupMs,
        operation: async (distributedLock) => {
          const handle = await distributedLock.acquire({ timeoutMs: ACQUIRE_TIMEOUT_MS });
          holders += 1;
          // Yield to the event loop while holding, so another holder would be seen here.
          await new Promise((resolve) => setImmediate(resolve));
          const overlapping = holders > 1;
          holders -= 1;
          await handle.release();
          if (overlapping) throw new Error('mutual exclusion violated: two holders at once');
        },
        onProgress: (p) => ctx.progress.status(`${cluster.target.label} lock ${contenders} contenders: ${p.ok} acquisitions, ${p.failed} failed`),
      });
      ctx.record({ workload: 'lock', client: 'tcp', sessions: contenders, inFlight: 1, ...run, extra: { unit: 'acquire+release cycles' } });
    } finally {
      await closeSessions(sessions);
    }
  }
}
