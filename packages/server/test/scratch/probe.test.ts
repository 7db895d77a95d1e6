import { it } from 'vitest';
import { OpCode, encodeRequest, encodeConnectRequest, decodeConnectResponse, CreateMode, Perms } from '@zkts/protocol';
import { startApacheZooKeeper } from '../../../../test-support/apache-zookeeper.js';
import { ZkServer } from '../../src/index.js';
import { RawConnection } from '../support/raw-client.js';

const open = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
const within = <T,>(p: Promise<T>, ms = 1500): Promise<T | 'timeout'> => Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);
type Probe = (port: number) => Promise<unknown>;
const probes: Record<string, Probe> = {
  pingZxid: async (port) => {
    const { connection } = await RawConnection.session(port);
    await connection.call(OpCode.create, { path: '/pz', data: null, acl: open, flags: 0 });
    const r = await connection.reply(connection.send(OpCode.ping, undefined, -2));
    const s = await connection.call(OpCode.sync, { path: '/pz' });
    const sBad = await within(connection.call(OpCode.sync, { path: 'pz' }).catch(String));
    if (sBad === 'timeout' || typeof sBad === 'string') return 'syncBad ' + sBad;
    const e = await connection.call(OpCode.exists, { path: '/nope', watch: false });
    const d = await connection.call(OpCode.delete, { path: '/nope', version: -1 });
    const e2 = await connection.call(OpCode.exists, { path: '/nope', watch: false });
    await connection.destroy();
    return `ping=${r.header.xid}/${r.header.zxid} sync=${s.header.zxid}/${JSON.stringify(s.body)} syncBad=${sBad.header.err} existsNoNode=${e.header.zxid} deleteNoNode=${d.header.zxid}/${d.header.err} after=${e2.header.zxid}`;
  },
  reconfig: async (port) => {
    const { connection } = await RawConnection.session(port);
    const r = await connection.call(OpCode.reconfig, { joiningServers: null, leavingServers: null, newMembers: null, curConfigId: -1n });
    const g = await connection.call(OpCode.getData, { path: '/zookeeper/config', watch: false });
    await connection.destroy();
    return `${r.header.err}/${r.header.zxid} config=${g.header.err}`;
  },
  badBodies: async (port) => {
    const out = [];
    const cases: [string, number, number[]][] = [
      ['exists-empty', 3, []],
      ['exists-trailing', 3, [0, 0, 0, 1, 47, 0, 9, 9, 9]],
      ['getData-trunc', 4, [0, 0, 0, 5, 47]],
      ['create-empty', 1, []],
      ['create-trunc', 1, [0, 0, 0, 2, 47, 97, 0, 0]],
      ['create-trailing', 1, [0, 0, 0, 2, 47, 113, 255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 7, 7]],
      ['setData-negstr', 5, [255, 255, 255, 250]],
      ['sasl-valid', 102, [0, 0, 0, 0]],
      ['getChildren-empty', 8, []],
      ['multi-empty', 14, []],
      ['setWatches-empty', 101, []],
      ['auth-empty', 100, []],
      ['whoAmI-trailing', 107, [1, 2, 3]],
      ['ping-trailing', 11, [1, 2, 3]],
      ['closeSession-trailing', -11, [1, 2, 3]],
    ];
    for (const [name, type, body] of cases) {
      const { connection } = await RawConnection.session(port);
      const xid = type === 11 ? -2 : type === 100 ? -4 : type === 101 ? -8 : 7;
      (connection as any).pendingOps.set(xid, type === 102 ? 102 : 3);
      connection.sendFrame(new Uint8Array([(xid >> 24) & 255, (xid >> 16) & 255, (xid >> 8) & 255, xid & 255, (type >> 24) & 255, (type >> 16) & 255, (type >> 8) & 255, type & 255, ...body]));
      const r = await within(connection.reply(xid).then((r) => `err=${r.header.err},zxid=${r.header.zxid}`, (e) => 'closed'));
      const x = connection.isOpen ? connection.send(OpCode.exists, { path: '/', watch: false }) : -1;
      const r2 = x < 0 ? 'closed' : await within(connection.reply(x).then((r) => `next=${r.header.err}`, () => 'closed2'));
      out.push(`${name}:${r}:${r2}`);
      await connection.destroy();
    }
    return out.join('\n    ');
  },
  oldClient: async (port) => {
    const c = await RawConnection.open(port);
    c.sendFrame(encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0n, timeOut: 10000, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false, readOnlyOmitted: true }));
    const f = await c.nextFrame();
    await c.destroy();
    return `len=${f.length} ${JSON.stringify(decodeConnectResponse(f), (_, v) => (typeof v === 'bigint' ? '' : v))}`;
  },
  badSessionReconnect: async (port) => {
    const c = await RawConnection.open(port);
    const resp = await c.handshake({ sessionId: 0x1234n, passwd: new Uint8Array(16) });
    await Promise.race([c.closed, new Promise((r) => setTimeout(r, 2000))]);
    return `${resp.timeOut} ${resp.sessionId} ${resp.passwd.length} closed=${!c.isOpen}`;
  },
  tooNewZxid: async (port) => {
    const c = await RawConnection.open(port);
    c.sendFrame(encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 1000000n, timeOut: 10000, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false }));
    const f = await Promise.race([c.nextFrame().then((f) => `frame${f.length}`, () => 'closed'), c.closed.then(() => 'closed')]);
    await c.destroy();
    return f;
  },
  garbageHandshake: async (port) => {
    const c = await RawConnection.open(port);
    c.sendFrame(new Uint8Array([1, 2, 3]));
    const f = await Promise.race([c.nextFrame().then((f) => `frame${f.length}`, () => 'closed'), c.closed.then(() => 'closed')]);
    await c.destroy();
    return f;
  },
  garbageAfter: async (port) => {
    const { connection } = await RawConnection.session(port);
    connection.sendFrame(new Uint8Array([0, 0, 0, 9, 0, 0, 0, 4, 1, 2]));
    const f = await Promise.race([connection.reply(9).then((r) => `err=${r.header.err}`, () => 'closed'), connection.closed.then(() => 'closed')]);
    await connection.destroy();
    return f;
  },
  multiReadInWrite: async (port) => {
    const { connection } = await RawConnection.session(port);
    const r = await connection.call(OpCode.multi, { ops: [{ type: OpCode.getData, body: { path: '/', watch: false } }] }).catch((e) => String(e));
    const closed = !connection.isOpen;
    await connection.destroy();
    return JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? String(v) : v)) + ' closed=' + closed;
  },
};

it('probe', async () => {
  const zk = await startApacheZooKeeper({ tickTimeMs: 200, extraConfig: {} });
  const ours = new ZkServer({ tcpPort: 0, wsPort: null, tickTimeMs: 200 });
  await ours.start();
  try {
    for (const [name, probe] of Object.entries(probes)) {
      const a = await probe(zk.servers[0]!.clientPort).catch((e) => `THREW ${e}`);
      const b = await probe(ours.tcpPort).catch((e) => `THREW ${e}`);
      console.log(`${name}\n  apache: ${a}\n  zkts:   ${b}`);
      if (String(a).startsWith('THREW') || !zk.servers[0]!.running) { console.log(zk.servers[0]!.logTail(30)); break; }
    }
  } finally {
    await ours.stop();
    await zk.stop();
  }
}, 60000);
