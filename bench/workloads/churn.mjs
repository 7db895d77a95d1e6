// Session churn: open a session, create ephemeral nodes, close the session — what a fleet of
// short-lived workers does. Afterwards every ephemeral must be gone; leftovers count as failures.
import { ensurePath, openSession } from '../lib/clients.mjs';
import { runClosedLoop } from '../lib/load.mjs';
import { pollUntil } from '../lib/net.mjs';

const PARENT = '/bench/churn';

/** Runs the churn workload on one cluster. */
export async function runChurn(ctx, cluster) {
  if (!ctx.selected('churn')) return;
  const { churners, ephemeralsPerSession, durationMs } = ctx.plan.churn;
  const observer = await openSession('tcp', cluster, { memberIndex: 0 });
  try {
    await ensurePath(observer, PARENT);
    const data = new Uint8Array(100).fill(1);
    const run = await runClosedLoop({
      sessions: Array.from({ length: churners }, (_, i) => i),
      inFlight: 1,
      durationMs,
      warmupMs: 0,
      operation: async (churner, _s, _w, sequence) => {
        const session = await openSession('tcp', cluster, { memberIndex: churner, seed: churner * 7919 + sequence });
        try {
          await Promise.all(
            Array.from({ length: ephemeralsPerSession }, (_, j) => session.create(`${PARENT}/c-${churner}-${sequence}-${j}`, data, 'EPHEMERAL')),
          );
        } finally {
          await session.close();
        }
      },
      onProgress: (p) => ctx.progress.status(`${cluster.target.label} churn ${churners} sessions: ${p.ok} cycles, ${p.failed} failed`),
    });
    // Closing a session deletes its ephemerals in the same transaction; allow for replication lag.
    let left = [];
    try {
      await pollUntil(
        async () => {
          left = await observer.getChildren(PARENT);
          return left.length === 0;
        },
        { timeoutMs: 15_000, intervalMs: 100, description: 'ephemerals of closed sessions to go' },
      );
    } catch {
      run.failed += left.length;
      run.errors[`ephemerals left after their sessions closed`] = left.length;
    }
    ctx.record({ workload: 'churn', client: 'tcp', sessions: churners, inFlight: 1, ...run, extra: { ephemeralsPerSession, unit: 'session cycles' } });
  } finally {
    await observer.close();
  }
}
