import { it } from 'vitest';
import { OpCode, Perms } from '@zkts/protocol';
import { RawConnection } from '../support/raw-client.js';
import { startApache, startZkts } from '../support/targets.js';
const OPEN_ACL = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
it('check', async () => {
  for (const t of [await startZkts({}), await startApache({ tickTimeMs: 500 })]) {
    const { connection } = await RawConnection.session(t.tcpPort);
    await connection.call(OpCode.create, { path: '/checked', data: null, acl: OPEN_ACL, flags: 0 });
    const t0 = Date.now();
    const x = connection.send(OpCode.check, { path: '/checked', version: -1 });
    const r = await connection.reply(x).then((r) => JSON.stringify(r.header, (_, v) => typeof v === 'bigint' ? String(v) : v), (e) => String(e));
    console.log(t.name, r, Date.now() - t0);
    const { connection: c2 } = await RawConnection.session(t.tcpPort);
    const e = await c2.call(OpCode.exists, { path: '/checked', watch: false });
    console.log('after', e.header);
    await c2.destroy(); await connection.destroy();
    await t.stop();
  }
}, 60000);
