import { it } from 'vitest';
import { runFaultSim, describeFailure } from './harness/fault-sim.js';
it('unsafe', () => {
  for (const check of [true, false]) {
    let caught = 0; let first = -1; const errs = new Map<string, number>();
    for (let seed = 1; seed <= 1000; seed++) {
      const r = runFaultSim({ seed, unsafe: { commitWithoutQuorum: true }, checkQuorumPersisted: check });
      if (!r.ok) { caught++; if (first < 0) { first = seed; console.log(describeFailure(r).split('\n').slice(0, 3).join('\n')); } const k = r.error.replace(/[0-9:]+/g, '#').slice(0, 80); errs.set(k, (errs.get(k) ?? 0) + 1); }
    }
    console.log(`check=${check} caught=${caught}/1000 first=${first}`);
    console.log([...errs].map(([k, v]) => `${v} ${k}`).join('\n'));
  }
});
