/**
 * Every request type a client can send, one scripted session run against a fresh zkts and a fresh
 * Apache ZooKeeper: the two transcripts (every reply header and body, every notification, in
 * arrival order) must be identical once wall-clock times and the session id are blanked.
 */
import { AddWatchMode, CreateMode, OpCode, Perms, WatcherType } from '@zkts/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawConnection } from './support/raw-client.js';
import { startApache, startZkts, type Target } from './support/targets.js';

const OPEN = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The script: [op, body] pairs, sent one after another, each awaited. */
const SCRIPT: [number, unknown][] = [
  [OpCode.create2, { path: '/ops', data: bytes('root'), acl: OPEN, flags: CreateMode.PERSISTENT }],
  [OpCode.create, { path: '/ops/seq-', data: null, acl: OPEN, flags: CreateMode.PERSISTENT_SEQUENTIAL }],
  [OpCode.createContainer, { path: '/ops/box', data: bytes('c'), acl: OPEN, flags: CreateMode.CONTAINER }],
  [OpCode.createTTL, { path: '/ops/ttl', data: null, acl: OPEN, flags: CreateMode.PERSISTENT_WITH_TTL, ttl: 60_000n }],
  [OpCode.createTTL, { path: '/ops/ttl-bad', data: null, acl: OPEN, flags: CreateMode.PERSISTENT, ttl: 100n }],
  [OpCode.createTTL, { path: '/ops/ttl-zero', data: null, acl: OPEN, flags: CreateMode.PERSISTENT_WITH_TTL, ttl: 0n }],
  [OpCode.create, { path: '/ops/eph', data: bytes('e'), acl: OPEN, flags: CreateMode.EPHEMERAL }],
  [OpCode.create, { path: '/ops/eph/child', data: null, acl: OPEN, flags: CreateMode.PERSISTENT }],
  [OpCode.create, { path: '/ops/empty-acl', data: null, acl: [], flags: CreateMode.PERSISTENT }],
  [OpCode.create, { path: '/ops/bad-acl', data: null, acl: [{ perms: Perms.ALL, id: { scheme: 'digest', id: 'no-hash' } }], flags: 0 }],
  [OpCode.getData, { path: '/ops', watch: false }],
  [OpCode.exists, { path: '/ops/missing', watch: true }],
  [OpCode.getChildren, { path: '/ops', watch: false }],
  [OpCode.getChildren2, { path: '/ops', watch: true }],
  [OpCode.getACL, { path: '/ops' }],
  [OpCode.setACL, { path: '/ops', acl: [{ perms: Perms.READ | Perms.WRITE | Perms.CREATE | Perms.DELETE | Perms.ADMIN, id: { scheme: 'world', id: 'anyone' } }], version: 0 }],
  [OpCode.setACL, { path: '/ops', acl: OPEN, version: 5 }],
  [OpCode.setData, { path: '/ops', data: bytes('v1'), version: 0 }],
  [OpCode.setData, { path: '/ops', data: bytes('v2'), version: 0 }],
  [OpCode.getEphemerals, { prefixPath: '/' }],
  [OpCode.getEphemerals, { prefixPath: '/ops/e' }],
  [OpCode.getEphemerals, { prefixPath: '/elsewhere' }],
  [OpCode.getAllChildrenNumber, { path: '/ops' }],
  [OpCode.getAllChildrenNumber, { path: '/' }],
  [OpCode.addWatch, { path: '/ops', mode: AddWatchMode.PERSISTENT }],
  [OpCode.addWatch, { path: '/ops/box', mode: AddWatchMode.PERSISTENT_RECURSIVE }],
  [OpCode.checkWatches, { path: '/ops/seq-0000000000', type: WatcherType.Children }],
  [OpCode.removeWatches, { path: '/nowhere', type: WatcherType.Any }],
  [
    OpCode.multi,
    {
      ops: [
        { type: OpCode.create, body: { path: '/ops/m1', data: null, acl: OPEN, flags: 0 } },
        { type: OpCode.create2, body: { path: '/ops/m2-', data: null, acl: OPEN, flags: CreateMode.PERSISTENT_SEQUENTIAL } },
        { type: OpCode.setData, body: { path: '/ops', data: bytes('multi'), version: 1 } },
        { type: OpCode.check, body: { path: '/ops', version: 2 } },
        { type: OpCode.delete, body: { path: '/ops/m1', version: -1 } },
      ],
    },
  ],
  [
    OpCode.multi,
    {
      ops: [
        { type: OpCode.create, body: { path: '/ops/never', data: null, acl: OPEN, flags: 0 } },
        { type: OpCode.check, body: { path: '/ops', version: 99 } },
        { type: OpCode.setData, body: { path: '/ops', data: null, version: -1 } },
      ],
    },
  ],
  [OpCode.multi, { ops: [] }],
  [
    OpCode.multi,
    {
      ops: [
        { type: OpCode.create2, body: { path: '/ops/mc', data: null, acl: OPEN, flags: CreateMode.CONTAINER } },
        { type: OpCode.createContainer, body: { path: '/ops/mp', data: null, acl: OPEN, flags: CreateMode.PERSISTENT } },
        { type: OpCode.createContainer, body: { path: '/ops/me', data: null, acl: OPEN, flags: CreateMode.EPHEMERAL } },
        { type: OpCode.createTTL, body: { path: '/ops/mt', data: null, acl: OPEN, flags: CreateMode.PERSISTENT_WITH_TTL, ttl: 5000n } },
        { type: OpCode.createTTL, body: { path: '/ops/mn', data: null, acl: OPEN, flags: CreateMode.EPHEMERAL, ttl: 5n } },
      ],
    },
  ],
  [OpCode.createContainer, { path: '/ops/ce', data: null, acl: OPEN, flags: CreateMode.EPHEMERAL }],
  [OpCode.create2, { path: '/ops/c2', data: null, acl: OPEN, flags: CreateMode.CONTAINER }],
  [OpCode.getEphemerals, { prefixPath: '/ops/' }],
  [
    OpCode.multiRead,
    {
      ops: [
        { type: OpCode.getChildren, body: { path: '/ops', watch: false } },
        { type: OpCode.create, body: { path: '/ops/in-read', data: null, acl: OPEN, flags: 0 } },
      ],
    },
  ],
  [
    OpCode.multiRead,
    {
      ops: [
        { type: OpCode.getData, body: { path: '/ops', watch: false } },
        { type: OpCode.getChildren, body: { path: '/ops/box', watch: false } },
        { type: OpCode.getData, body: { path: '/ops/missing', watch: false } },
      ],
    },
  ],
  [OpCode.sync, { path: '/ops' }],
  [OpCode.whoAmI, undefined],
  [OpCode.create, { path: '/ops/box/x', data: null, acl: OPEN, flags: 0 }],
  [OpCode.setData, { path: '/ops/box/x', data: bytes('x'), version: -1 }],
  [OpCode.delete, { path: '/ops/box/x', version: -1 }],
  [OpCode.setData, { path: '/ops', data: bytes('persistent'), version: -1 }],
  [OpCode.removeWatches, { path: '/ops', type: WatcherType.Any }],
  [OpCode.setData, { path: '/ops', data: bytes('quiet'), version: -1 }],
  [OpCode.create, { path: '/ops/missing', data: null, acl: OPEN, flags: 0 }],
  [OpCode.getData, { path: '/ops/ttl', watch: false }],
  [OpCode.getData, { path: '/ops/box', watch: false }],
  [OpCode.getChildren2, { path: '/zookeeper', watch: false }],
  [OpCode.getData, { path: '/zookeeper/config', watch: false }],
  [OpCode.getACL, { path: '/zookeeper/config' }],
  [OpCode.setData, { path: '/zookeeper/config', data: bytes('x'), version: -1 }],
  [OpCode.delete, { path: '/zookeeper', version: -1 }],
  [OpCode.delete, { path: '/', version: -1 }],
  [OpCode.delete, { path: '/ops', version: -1 }],
  [OpCode.delete, { path: '/ops/seq-0000000000', version: 3 }],
  [OpCode.exists, { path: '/', watch: false }],
  [OpCode.getData, { path: '/', watch: false }],
];

/** Makes a transcript comparable: text for bytes, strings for bigints, placeholders for times and the session. */
function normalize(value: unknown, sessionId: bigint, key = ''): unknown {
  if (key === 'ctime' || key === 'mtime') return '<time>';
  if (typeof value === 'bigint') return value === sessionId ? '<session>' : value.toString();
  if (value instanceof Uint8Array) return `bytes:${new TextDecoder().decode(value)}`;
  if (Array.isArray(value)) return value.map((item) => normalize(item, sessionId));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v, sessionId, k)]));
  }
  return value;
}

async function transcript(target: Target): Promise<unknown[]> {
  const { connection, response } = await RawConnection.session(target.tcpPort, { timeOut: 30_000 });
  try {
    for (const [type, body] of SCRIPT) await connection.call(type, body);
    return connection.received.map((frame) =>
      frame.kind === 'notification'
        ? normalize({ notification: frame.event, zxid: frame.header.zxid }, response.sessionId)
        : normalize({ op: frame.opType, xid: frame.xid, header: frame.header, body: frame.body }, response.sessionId),
    );
  } finally {
    await connection.destroy();
  }
}

describe('every request type', () => {
  let zkts: Target;
  let apache: Target;

  beforeAll(async () => {
    [zkts, apache] = await Promise.all([startZkts(), startApache()]);
  });

  afterAll(async () => {
    await Promise.allSettled([zkts?.stop(), apache?.stop()]);
  });

  it('answers a scripted session exactly as ZooKeeper does', async () => {
    const theirs = await transcript(apache);
    const ours = await transcript(zkts);
    // Compare frame by frame first, for a readable failure.
    for (let i = 0; i < Math.max(ours.length, theirs.length); i++) expect([i, ours[i]]).toEqual([i, theirs[i]]);
    const notifications = ours.filter((frame) => (frame as { notification?: unknown }).notification !== undefined);
    expect(ours.length - notifications.length).toBe(SCRIPT.length);
    expect(notifications.length).toBeGreaterThanOrEqual(9);
  });

  // DataTree differences from ZooKeeper 3.8's WatchManager and DataTree, reported to the tree's
  // owner. Each scenario is checked against Apache ZooKeeper (which must pass), and against zkts
  // with `it.fails` (which passes while the difference exists and fails once it is fixed).
  const treeDifferences: { name: string; scenario: (target: Target) => Promise<unknown>; expected: unknown }[] = [
    {
      name: 'checkWatches(Data) finds a persistent watch (containsWatcher ignores the mode)',
      scenario: async (target) => {
        const { connection } = await RawConnection.session(target.tcpPort);
        await connection.call(OpCode.create, { path: '/persisted', data: null, acl: OPEN, flags: 0 });
        await connection.call(OpCode.addWatch, { path: '/persisted', mode: AddWatchMode.PERSISTENT });
        const reply = await connection.call(OpCode.checkWatches, { path: '/persisted', type: WatcherType.Data });
        await connection.call(OpCode.delete, { path: '/persisted', version: -1 });
        await connection.destroy();
        return reply.header.err;
      },
      expected: 0,
    },
    {
      name: "checkWatches finds another session's watch on the path (containsWatcher only asks whether the path is watched)",
      scenario: async (target) => {
        const a = (await RawConnection.session(target.tcpPort)).connection;
        const b = (await RawConnection.session(target.tcpPort)).connection;
        await a.call(OpCode.create, { path: '/watched-by-b', data: null, acl: OPEN, flags: 0 });
        await b.call(OpCode.getData, { path: '/watched-by-b', watch: true });
        const reply = await a.call(OpCode.checkWatches, { path: '/watched-by-b', type: WatcherType.Data });
        await a.call(OpCode.delete, { path: '/watched-by-b', version: -1 });
        await Promise.all([a.destroy(), b.destroy()]);
        return reply.header.err;
      },
      expected: 0,
    },
    {
      name: 'a standard watch set after a persistent one on the same path makes it one-shot (setWatcherMode(STANDARD))',
      scenario: async (target) => {
        const { connection } = await RawConnection.session(target.tcpPort);
        const writer = (await RawConnection.session(target.tcpPort)).connection;
        await connection.call(OpCode.create, { path: '/downgraded', data: null, acl: OPEN, flags: 0 });
        await connection.call(OpCode.addWatch, { path: '/downgraded', mode: AddWatchMode.PERSISTENT });
        await connection.call(OpCode.getData, { path: '/downgraded', watch: true });
        await writer.call(OpCode.setData, { path: '/downgraded', data: null, version: -1 });
        await writer.call(OpCode.setData, { path: '/downgraded', data: null, version: -1 });
        // Any notification for those changes precedes this reply.
        await connection.call(OpCode.exists, { path: '/downgraded', watch: false });
        const events = connection.received.filter((frame) => frame.kind === 'notification').length;
        await writer.call(OpCode.delete, { path: '/downgraded', version: -1 });
        await Promise.all([connection.destroy(), writer.destroy()]);
        return events;
      },
      expected: 1,
    },
    {
      name: 'getAllChildrenNumber("") counts every key of the node map but "" (the root is also under "/")',
      scenario: async (target) => {
        const { connection } = await RawConnection.session(target.tcpPort);
        const all = await connection.call(OpCode.getAllChildrenNumber, { path: '' });
        const root = await connection.call(OpCode.getAllChildrenNumber, { path: '/' });
        await connection.destroy();
        return (all.body as { totalNumber: number }).totalNumber - (root.body as { totalNumber: number }).totalNumber;
      },
      expected: 1,
    },
  ];

  it.each(treeDifferences)('ZooKeeper: $name', async ({ scenario, expected }) => {
    expect(await scenario(apache)).toEqual(expected);
  });

  it.fails.each(treeDifferences)('zkts (tree differs, reported): $name', async ({ scenario, expected }) => {
    const observed = await scenario(zkts);
    expect(observed).toEqual(expected);
  });
});
