import { it } from 'vitest';
import { runFaultSim } from './harness/fault-sim.js';
it('one', () => {
  const r = runFaultSim({ seed: Number(process.env['SEED']) });
  if (!r.ok) console.log(r.error + '\n' + r.trace.filter(l => !/NOTIFICATION|PING/.test(l) || process.env['ALL']).join('\n'));
  else console.log(JSON.stringify(r.stats));
});
