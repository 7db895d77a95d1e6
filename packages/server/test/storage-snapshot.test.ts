import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateMode } from '@zkts/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { OPEN_ACL_UNSAFE, READ_ACL_UNSAFE } from '../src/tree/acl.js';
import { DataTree } from '../src/tree/data-tree.js';
import type { SnapshotNode, TxnContext } from '../src/tree/tree-types.js';
import { FileStorage } from '../src/storage/file-storage.js';
import { formatSnapshot } from '../src/storage/format-snapshot.js';
import { MemoryStorage } from '../src/storage/memory-storage.js';
import { isStorageError } from '../src/storage/storage-error.js';
import type { LoadedSnapshot } from '../src/storage/storage.js';
import { SESSION, T0, appendSamples, collect, range, removeTempDirs, tempDir } from './storage-helpers.js';

afterEach(removeTempDirs);

const ctx = (zxid: number, sessionId = SESSION): TxnContext => ({ zxid, timeMs: T0 + zxid, sessionId });
const text = (s: string) => new TextEncoder().encode(s);
const OTHER_SESSION = 0x2000000000001n;

/** A tree with data, null data, ephemerals, sequential nodes, two ACLs, a TTL node and a deep path. */
function sampleTree(extraNodes = 0): { tree: DataTree; zxid: number } {
  const tree = new DataTree();
  let zxid = 0;
  tree.create(ctx(++zxid), '/app', text('config'), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  tree.create(ctx(++zxid), '/app/nulldata', null, READ_ACL_UNSAFE, CreateMode.PERSISTENT);
  tree.create(ctx(++zxid), '/app/lock-', new Uint8Array(0), OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
  tree.create(ctx(++zxid, OTHER_SESSION), '/app/other', text('x'), OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
  tree.create(ctx(++zxid), '/ttl', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 60_000);
  tree.create(ctx(++zxid), '/a', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  tree.create(ctx(++zxid), '/a/b', text('ü'.repeat(1000)), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  tree.setData(ctx(++zxid), '/app', text('config-2'), 0);
  // Spread over groups of 100 children: building one huge sibling list is slow in the tree, not the storage.
  for (let i = 0; i < extraNodes; i++) {
    if (i % 100 === 0) tree.create(ctx(++zxid), `/a/g${i / 100}`, null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    tree.create(ctx(++zxid), `/a/g${Math.floor(i / 100)}/n${i}`, text(`payload-${i}`.repeat(20)), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  }
  return { tree, zxid };
}

const sessions = new Map([
  [SESSION, 30_000],
  [OTHER_SESSION, 4_000],
]);

async function restoreTree(snapshot: LoadedSnapshot) {
  return { tree: await DataTree.fromAsyncNodes(snapshot.nodes), sessions: snapshot.sessions, zxid: snapshot.zxid };
}

const nodesOf = (tree: DataTree): SnapshotNode[] => [...tree.snapshotNodes()];

/** One line per node with every field: compared as strings, which is much faster than a deep equal. */
const linesOf = (tree: DataTree): string[] =>
  nodesOf(tree).map((n) =>
    JSON.stringify([n.path, n.data === null ? null : Buffer.from(n.data).toString('base64'), n.acl, { ...n.stat, ephemeralOwner: String(n.stat.ephemeralOwner) }]),
  );

describe('snapshots', () => {
  it('round-trips a tree and its sessions', async () => {
    const dataDir = await tempDir();
    const storage = await FileStorage.open({ dataDir });
    const { tree, zxid } = sampleTree(3000);
    const info = await storage.writeSnapshot(zxid, { nodes: tree.snapshotNodes(), sessions });
    expect(info).toMatchObject({ zxid, fileName: `snapshot.${zxid.toString(16)}`, nodeCount: nodesOf(tree).length, sessionCount: 2 });
    expect(await readdir(join(dataDir, 'version-2'))).toEqual([info.fileName]);
    await storage.close();

    const reopened = await FileStorage.open({ dataDir });
    const restored = await reopened.loadSnapshot(restoreTree);
    expect(restored?.zxid).toBe(zxid);
    expect(restored?.skipped).toEqual([]);
    expect(restored!.value.sessions).toEqual(sessions);
    expect(linesOf(restored!.value.tree)).toEqual(linesOf(tree));
    expect(restored!.value.tree.digest()).toBe(tree.digest());
    expect(restored!.value.tree.ephemeralCount).toBe(tree.ephemeralCount);
    await reopened.close();
  });

  it('returns null without snapshots and reads an empty tree back', async () => {
    const storage = await MemoryStorage.open();
    expect(await storage.loadSnapshot(restoreTree)).toBeNull();
    const empty = new DataTree();
    await storage.writeSnapshot(0, { nodes: empty.snapshotNodes(), sessions: [] });
    const restored = await storage.loadSnapshot(restoreTree);
    expect(linesOf(restored!.value.tree)).toEqual(linesOf(empty));
    expect(restored!.value.sessions.size).toBe(0);
  });

  it('falls back to the previous snapshot when the newest is corrupt, wherever the damage is', async () => {
    const dataDir = await tempDir();
    const storage = await FileStorage.open({ dataDir });
    const older = sampleTree(10);
    await storage.writeSnapshot(older.zxid, { nodes: older.tree.snapshotNodes(), sessions });
    const newer = sampleTree(2000);
    const info = await storage.writeSnapshot(newer.zxid, { nodes: newer.tree.snapshotNodes(), sessions });
    await storage.close();
    const path = join(dataDir, 'version-2', info.fileName);
    const pristine = new Uint8Array(await readFile(path));
    // Damage at the header, early, in the middle, at the very end, and a file cut short.
    const damages: [string, Uint8Array][] = [0, 30, pristine.length >> 1, pristine.length - 1].map((at) => {
      const bytes = pristine.slice();
      bytes[at]! ^= 0x20;
      return [`byte ${at}`, bytes];
    });
    damages.push(['cut short', pristine.subarray(0, pristine.length - 9)], ['empty', new Uint8Array(0)]);
    for (const [what, bytes] of damages) {
      await writeFile(path, bytes);
      const reopened = await FileStorage.open({ dataDir });
      const restored = await reopened.loadSnapshot(restoreTree);
      expect(restored?.zxid, what).toBe(older.zxid);
      expect(restored?.skipped).toEqual([info.fileName]);
      expect(restored!.value.tree.digest()).toBe(older.tree.digest());
      await reopened.close();
    }
  });

  it('fails when snapshots exist but none is valid', async () => {
    const storage = await MemoryStorage.open();
    const { tree, zxid } = sampleTree();
    const info = await storage.writeSnapshot(zxid, { nodes: tree.snapshotNodes(), sessions });
    const path = `${storage.snapDir}/${info.fileName}`;
    const bytes = storage.disk.peek(path).slice();
    bytes[bytes.length - 3]! ^= 1;
    storage.disk.poke(path, bytes);
    await expect(storage.loadSnapshot(restoreTree)).rejects.toSatisfy((error: unknown) => isStorageError(error, 'NO_VALID_SNAPSHOT'));
  });

  it('propagates errors of the restore callback that are not corruption', async () => {
    const storage = await MemoryStorage.open();
    await storage.writeSnapshot(0, { nodes: new DataTree().snapshotNodes(), sessions: [] });
    await expect(storage.loadSnapshot(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('ignores and removes a snapshot left half-written by a crash', async () => {
    const dataDir = await tempDir();
    const storage = await FileStorage.open({ dataDir });
    const { tree, zxid } = sampleTree();
    await storage.writeSnapshot(zxid, { nodes: tree.snapshotNodes(), sessions });
    await storage.close();
    await writeFile(join(dataDir, 'version-2', 'snapshot.ff.tmp'), new Uint8Array(100));
    const reopened = await FileStorage.open({ dataDir });
    expect(reopened.openReport.removedTempFiles).toEqual(['snapshot.ff.tmp']);
    expect(await reopened.listSnapshots()).toEqual([zxid]);
    await reopened.close();
  });

  it('is written in the background while appends and syncs go on', async () => {
    const storage = await MemoryStorage.open();
    const { tree, zxid } = sampleTree(20_000);
    appendSamples(storage, [zxid]);
    await storage.sync();
    let snapshotDone = false;
    const snapshot = storage.writeSnapshot(zxid, { nodes: nodesOf(tree), sessions }).then(() => (snapshotDone = true));
    appendSamples(storage, range(zxid + 1, zxid + 10));
    await storage.sync();
    // The sync did not wait for the multi-megabyte snapshot to finish.
    expect(snapshotDone).toBe(false);
    await snapshot;
    expect(storage.stats.snapshotsWritten).toBe(1);
    // Writing the snapshot rolled the log, as ZooKeeper does.
    appendSamples(storage, [zxid + 11]);
    await storage.sync();
    expect(await storage.listLogs()).toEqual([`log.${zxid.toString(16)}`, `log.${(zxid + 1).toString(16)}`]);
  });

  it('stores each distinct ACL list once, even when the caller does not intern them', async () => {
    const storage = await MemoryStorage.open();
    const stat = { czxid: 1, mzxid: 1, ctime: 0, mtime: 0, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, pzxid: 1 };
    const node = (path: string, id: string): SnapshotNode => ({ path, data: null, acl: [{ perms: 31, id: { scheme: 'world', id } }], stat });
    const nodes = [node('/', 'anyone'), ...range(1, 50).map((i) => node(`/n${i}`, i % 2 === 0 ? 'anyone' : 'other'))];
    await storage.writeSnapshot(1, { nodes, sessions: [] });
    const loaded = await storage.loadSnapshot(async (snapshot) => {
      const out: SnapshotNode[] = [];
      for await (const n of snapshot.nodes) out.push(n);
      return out;
    });
    const acls = new Set(loaded!.value.map((n) => n.acl));
    expect(acls.size).toBe(2);
    expect(loaded!.value.map((n) => n.acl[0]!.id.id)).toEqual(nodes.map((n) => n.acl[0]!.id.id));
  });

  it('formats like ZooKeeper SnapshotFormatter', async () => {
    const dataDir = await tempDir();
    const storage = await FileStorage.open({ dataDir });
    const tree = new DataTree();
    tree.create(ctx(1), '/app', text('hi'), OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    await storage.writeSnapshot(1, { nodes: tree.snapshotNodes(), sessions: new Map([[SESSION, 30_000]]) });
    await storage.close();
    const lines = await collect(formatSnapshot(join(dataDir, 'version-2', 'snapshot.1')));
    // As ZooKeeper's, the count is DataTree.getNodeCount(): one more than the znodes.
    expect(lines[0]).toBe(`ZNode Details (count=${tree.nodeCount}):`);
    const app = lines.indexOf('/app');
    expect(lines.slice(app - 1, app + 11)).toEqual([
      '----',
      '/app',
      '  cZxid = 0x00000000000001',
      `  ctime = ${new Date(T0 + 1).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) (\S+) GMT$/, '$1 $3 $2 $5 UTC $4')}`,
      '  mZxid = 0x00000000000001',
      `  mtime = ${new Date(T0 + 1).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) (\S+) GMT$/, '$1 $3 $2 $5 UTC $4')}`,
      '  pZxid = 0x00000000000001',
      '  cversion = 0',
      '  dataVersion = 0',
      '  aclVersion = 0',
      `  ephemeralOwner = 0x${SESSION.toString(16)}`,
      '  dataLength = 2',
    ]);
    expect(lines.slice(-5)).toEqual(['----', 'Session Details (sid, timeout, ephemeralCount):', `0x${SESSION.toString(16)}, 30000, 1`, '----', 'Last zxid: 0x1']);
    const withData = await collect(formatSnapshot(join(dataDir, 'version-2', 'snapshot.1'), { dumpData: true }));
    expect(withData).toContain('  data = aGk=');
  });
});
