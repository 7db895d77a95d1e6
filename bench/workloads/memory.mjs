// Memory per 100,000 znodes of 100 bytes: RSS and heap (after a full GC) of every member before
// and after loading, averaged over the members and scaled to 100,000 znodes.
import { openSession } from '../lib/clients.mjs';
import { populate, waitForZnodeCount, znodeCount } from '../lib/populate.mjs';

const PER = 100_000;

/** Runs the memory workload on one cluster. */
export async function runMemory(ctx, cluster) {
  if (!ctx.selected('memory')) return;
  const { znodes } = ctx.plan.memory;
  const before = await Promise.all(cluster.members.map((m) => m.memory()));
  const countBefore = await znodeCount(cluster.members[0]);
  const session = await openSession('tcp', cluster, { memberIndex: 0 });
  let created;
  const began = performance.now();
  try {
    created = await populate(session, {
      root: '/bench/mem',
      to: znodes,
      onProgress: (n) => ctx.progress.status(`${cluster.target.label} memory: ${n.toLocaleString('en')} / ${znodes.toLocaleString('en')} znodes`),
    });
  } finally {
    await session.close();
  }
  const loadMs = performance.now() - began;
  await waitForZnodeCount(cluster, countBefore + created);
  const after = await Promise.all(cluster.members.map((m) => m.memory()));
  const perHundredThousand = (field) => {
    const deltas = after.map((a, i) => (a[field] !== undefined && before[i][field] !== undefined ? a[field] - before[i][field] : undefined));
    if (deltas.some((d) => d === undefined)) return undefined;
    return (deltas.reduce((a, b) => a + b, 0) / deltas.length) * (PER / created);
  };
  ctx.record({
    workload: 'memory',
    client: 'tcp',
    sessions: 1,
    inFlight: 8,
    ok: created,
    failed: 0,
    measuredMs: loadMs,
    opsPerSec: created / (loadMs / 1000),
    extra: {
      unit: 'znodes; ops/s = bulk load rate (multi of 500 creates)',
      znodes: created,
      rssBytesPer100k: perHundredThousand('rssBytes'),
      heapBytesPer100k: perHundredThousand('heapUsedBytes'),
      rssBytesAfter: after.map((m) => m.rssBytes),
      heapBytesAfter: after.map((m) => m.heapUsedBytes),
    },
  });
}
