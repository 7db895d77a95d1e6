import { it } from 'vitest';
import { runFaultSim, describeFailure } from './harness/fault-sim.js';
it('probe', () => {
  const from = Number(process.env['FROM'] ?? 1), n = Number(process.env['N'] ?? 50);
  const t0 = Date.now();
  let fails = 0; const errs = new Map<string, number[]>();
  let committed = 0, snaps = 0;
  for (let seed = from; seed < from + n; seed++) {
    const r = runFaultSim({ seed });
    if (!r.ok) { fails++; const k = r.error.slice(0, 90); errs.set(k, [...(errs.get(k) ?? []), seed]); if (fails <= 1) console.log(describeFailure(r)); }
    else { committed += r.stats.committed; snaps += r.stats.snapshots; }
  }
  console.log(`seeds=${n} fails=${fails} ms=${Date.now() - t0} committed=${committed} snaps=${snaps}`);
  for (const [k, v] of errs) console.log(v.length, k, v.slice(0, 8).join(','));
});
