import { it } from 'vitest';
import { runFaultSim } from './harness/fault-sim.js';
import { Leader } from '../src/leader.js';
it('dbg', () => {
  const orig = (Leader.prototype as any).ack;
  (Leader.prototype as any).ack = function (zxid: number, sid: number) {
    const before = this.outstanding.map((p: any) => `${p.zxid % 2**32}:${[...p.acks].join('')}`).join(' ');
    if (Math.floor(zxid / 2**32) === 6) console.log(`ack ${zxid % 2**32} from ${sid} committed=${this.ctx.committedZxid % 2**32} outstanding=[${before}]`);
    return orig.call(this, zxid, sid);
  };
  const r = runFaultSim({ seed: Number(process.env['SEED']) });
  console.log(r.ok ? 'ok' : r.error);
});
