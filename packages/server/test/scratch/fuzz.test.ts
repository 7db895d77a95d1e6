import { it, expect } from 'vitest';
import { AddWatchMode, OpCode, Perms, WatcherType } from '@zkts/protocol';
import { RawConnection } from '../support/raw-client.js';
import { startApache, startZkts, type Target } from '../support/targets.js';

function rng(seed: number) { let s = seed >>> 0; return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; }; }
const PATHS = ['', '/', '//', 'a', '/a', '/a/', '/a/b', '/a/b/c', '/a//b', '/.', '/a/..', '/\u0000x', '/zookeeper', '/zookeeper/config', '/zookeeper/quota', '/e', '/e/x', '/c', '/c/x', '/ttl', '/a/s-', '/\u00e4\u00f6', '/x\u0001y', '/' + 'n'.repeat(300)];
const ACLS = [
  [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }],
  [],
  [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }],
  [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }],
  [{ perms: Perms.ALL, id: { scheme: 'ip', id: '127.0.0.1' } }],
  [{ perms: Perms.ALL, id: { scheme: 'ip', id: '10.0.0.0/33' } }],
  [{ perms: Perms.ALL, id: { scheme: 'digest', id: 'u:h' } }],
  [{ perms: 0, id: { scheme: 'world', id: 'anyone' } }],
  [{ perms: Perms.ALL, id: { scheme: 'nosuch', id: 'x' } }],
];
function makeOps(seed: number, n: number): [number, unknown][] {
  const r = rng(seed);
  const pick = <T,>(a: T[]): T => a[Math.floor(r() * a.length)]!;
  const path = () => pick(PATHS);
  const version = () => pick([-1, 0, 1, 2, -2, 5]);
  const data = () => (r() < 0.2 ? null : new TextEncoder().encode('d' + Math.floor(r() * 10)));
  const flags = () => pick([0, 0, 0, 1, 2, 3, 4, 5, 6, 7, -1]);
  const ops: [number, unknown][] = [];
  for (let i = 0; i < n; i++) {
    const k = Math.floor(r() * 20);
    switch (k) {
      case 0: case 1: ops.push([OpCode.create, { path: path(), data: data(), acl: pick(ACLS), flags: flags() }]); break;
      case 2: ops.push([OpCode.create2, { path: path(), data: data(), acl: pick(ACLS), flags: flags() }]); break;
      case 3: ops.push([OpCode.createContainer, { path: path(), data: data(), acl: pick(ACLS), flags: pick([4, 0, 1]) }]); break;
      case 4: ops.push([OpCode.createTTL, { path: path(), data: data(), acl: pick(ACLS), flags: pick([5, 6, 0]), ttl: BigInt(pick([0, 1, 100000])) }]); break;
      case 5: ops.push([OpCode.delete, { path: path(), version: version() }]); break;
      case 6: ops.push([OpCode.setData, { path: path(), data: data(), version: version() }]); break;
      case 7: ops.push([OpCode.getData, { path: path(), watch: r() < 0.5 }]); break;
      case 8: ops.push([OpCode.exists, { path: path(), watch: r() < 0.5 }]); break;
      case 9: ops.push([OpCode.getChildren2, { path: path(), watch: r() < 0.5 }]); break;
      case 10: ops.push([OpCode.getACL, { path: path() }]); break;
      case 11: ops.push([OpCode.setACL, { path: path(), acl: pick(ACLS), version: version() }]); break;
      case 12: ops.push([OpCode.sync, { path: path() }]); break;
      case 13: ops.push([OpCode.getEphemerals, { prefixPath: path() }]); break;
      case 14: ops.push([OpCode.getAllChildrenNumber, { path: pick(PATHS.filter((p) => p !== '')) }]); break;
      case 15: ops.push([OpCode.addWatch, { path: path(), mode: pick([2, 3]) }]); break;
      case 16: ops.push([OpCode.removeWatches, { path: path(), type: pick([4, 5, 9]) }]); break;
      case 17: ops.push([OpCode.checkWatches, { path: path(), type: pick([4, 9]) }]); break;
      case 18: ops.push([OpCode.multi, { ops: [0, 1, 2].slice(0, 1 + Math.floor(r() * 3)).map(() => pick([
        { type: OpCode.create, body: { path: path(), data: data(), acl: pick(ACLS), flags: flags() } },
        { type: OpCode.delete, body: { path: path(), version: version() } },
        { type: OpCode.setData, body: { path: path(), data: data(), version: version() } },
        { type: OpCode.check, body: { path: path(), version: version() } },
      ])) }]); break;
      case 19: ops.push([OpCode.multiRead, { ops: [0, 1].map(() => pick([
        { type: OpCode.getData, body: { path: path(), watch: false } },
        { type: OpCode.getChildren, body: { path: path(), watch: false } },
      ])) }]); break;
    }
  }
  return ops;
}
async function run(t: Target, ops: [number, unknown][]): Promise<string[]> {
  const { connection } = await RawConnection.session(t.tcpPort);
  await connection.reply(connection.send(OpCode.auth, { type: 0, scheme: 'digest', auth: new TextEncoder().encode('u:p') }, -4));
  const out: string[] = [];
  for (const [type, body] of ops) {
    try {
      const r = await connection.call(type, body);
      out.push(`${type}:${r.header.err}:${r.header.zxid}:${JSON.stringify(r.body, (k, v) => (k === 'ctime' || k === 'mtime' ? 't' : typeof v === 'bigint' ? (k === 'ephemeralOwner' && v > 1000n ? 'sess' : String(v)) : v instanceof Uint8Array ? Buffer.from(v).toString() : v))}`);
    } catch (e) { out.push(`${type}:CLOSED`); break; }
  }
  const inter = connection.received.map((f) => f.kind === 'notification' ? 'N ' + JSON.stringify((f as any).event) : 'R ' + f.xid + ' ' + f.header.err + ' ' + f.header.zxid + ' ' + JSON.stringify(f.body, (k, v) => (k === 'ctime' || k === 'mtime' ? 't' : typeof v === 'bigint' ? (k === 'ephemeralOwner' && v > 1000n ? 'sess' : String(v)) : v instanceof Uint8Array ? Buffer.from(v).toString() : v)));
  await connection.destroy();
  return process.env.INTER ? inter : out;
}
it('fuzz', async () => {
  for (const seed of (process.env.SEEDS ?? '9').split(',').map(Number)) {
    const [a, z] = await Promise.all([startApache({}), startZkts({})]);
    const ops = makeOps(seed, 300);
    const ra = await run(a, ops); const rz = await run(z, ops);
    let diffs = 0;
    for (let i = 0; i < Math.max(ra.length, rz.length); i++) if (ra[i] !== rz[i]) { if (diffs++ < 3) console.log(seed, i, String(JSON.stringify(ops[i], (k, v) => typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? '<d>' : v)).slice(0, 200), '\n A', ra[i]?.slice(0, 200), '\n Z', rz[i]?.slice(0, 200)); }
    console.log('seed', seed, 'diffs', diffs, ra.length, rz.length);
    await Promise.all([a.stop(), z.stop()]);
  }
}, 120000);
it('inspect', async () => {
  const ops = makeOps(4, 300);
  ops.forEach((op, i) => { const s = JSON.stringify(op, (k, v) => typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? '<d>' : v); if (i <= 140 && (s.includes('"path":""') )) console.log(i, s.slice(0, 200)); });
  const [a, z] = await Promise.all([startApache({}), startZkts({})]);
  const ra = await run(a, ops); const rz = await run(z, ops);
  for (const i of [0, 1]) {}
  ops.forEach((op, i) => { const s = JSON.stringify(op, (k, v) => typeof v === 'bigint' ? String(v) : v); if (i <= 140 && s.includes('"path":""')) console.log(i, 'A', ra[i]?.slice(0, 120), 'Z', rz[i]?.slice(0, 120)); });
  const firstClosed = ra.findIndex((l) => l.includes('CLOSED'));
  console.log('apache closed at', firstClosed, JSON.stringify(ops[firstClosed], (k, v) => typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? '<d>' : v), '\n', ra[firstClosed - 1], '\n', rz[firstClosed], '\n', rz[firstClosed-1]);
  await Promise.all([a.stop(), z.stop()]);
}, 60000);
it('show', () => {
  const ops = makeOps(Number(process.env.SEEDS ?? 9), 300);
  const lo = Number(process.env.LO ?? 0), hi = Number(process.env.HI ?? 300);
  ops.forEach((op, i) => { if (i >= lo && i <= hi) { const s = JSON.stringify(op, (k, v) => typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? '<d>' : v); if (!process.env.GREP || s.includes(process.env.GREP)) console.log('xid', i + 1, s.slice(0, 160)); } });
});
