/**
 * The randomized fault test over the pure core (see harness/fault-sim.ts): at least 1,000
 * seeds per run. A failure names the seed and prints the last events; replay one seed with
 * `runFaultSim({ seed })`. FAULT_SEEDS / FAULT_SEED_START widen or move the window locally.
 */
import { describe, expect, it } from 'vitest';
import { describeFailure, runFaultSim } from './harness/fault-sim.js';

const SEEDS = Number(process.env['FAULT_SEEDS'] ?? 1000);
const FIRST_SEED = Number(process.env['FAULT_SEED_START'] ?? 1);

describe('randomized fault test', () => {
  it(`keeps every invariant over ${SEEDS} seeds`, () => {
    const started = performance.now();
    const totals = { committed: 0, acked: 0, snapshots: 0, epochs: 0, crashes: 0, delivered: 0, observers: 0 };
    const failures: string[] = [];
    for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
      const result = runFaultSim({ seed });
      if (!result.ok) {
        failures.push(describeFailure(result));
        if (failures.length >= 3) break;
        continue;
      }
      for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += result.stats[key];
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`fault test: ${SEEDS} seeds in ${seconds} s; totals ${JSON.stringify(totals)}`);
    expect(failures, failures.join('\n\n')).toEqual([]);
    // The runs must actually exercise the protocol, or passing proves nothing.
    expect(totals.committed).toBeGreaterThan(SEEDS * 20);
    expect(totals.snapshots).toBeGreaterThan(SEEDS / 10);
    expect(totals.epochs).toBeGreaterThan(SEEDS * 2);
    expect(totals.crashes).toBeGreaterThan(SEEDS);
  });

  it('catches a leader that commits without a quorum within 1,000 seeds', () => {
    // With the direct "committed ⇒ on a quorum's disks" check off, only the end-to-end
    // properties (agreement, leader completeness, no lost acknowledged write) remain.
    let caught: Extract<ReturnType<typeof runFaultSim>, { ok: false }> | undefined;
    for (let seed = 1; seed <= 1000 && caught === undefined; seed++) {
      const result = runFaultSim({ seed, unsafe: { commitWithoutQuorum: true }, checkQuorumPersisted: false });
      if (!result.ok) caught = result;
    }
    expect(caught, 'the broken protocol survived 1,000 seeds').toBeDefined();
    const report = describeFailure(caught!);
    console.log(`as expected, unsafe commitWithoutQuorum was caught:\n${report.split('\n').slice(0, 2).join('\n')}`);
    expect(report).toContain(`seed ${caught!.seed}`);
    expect(caught!.trace.length).toBeGreaterThan(0);
  });
});
