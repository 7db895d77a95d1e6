/**
 * Limits and ordering: connections per IP, frame size, outstanding requests per connection
 * (backpressure), FIFO replies per session, and notifications ahead of the replies that reveal
 * their change.
 */
import { OpCode, Perms } from '@zkts/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NzkClient } from './support/nzk.js';
import { RawConnection, type ReceivedFrame } from './support/raw-client.js';
import { startApache, startZkts, type Target } from './support/targets.js';

const OPEN_ACL = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];

/** Opens a raw connection and reports whether the handshake succeeded or the server closed it. */
async function tryConnect(port: number): Promise<{ connection: RawConnection | undefined; accepted: boolean }> {
  let connection: RawConnection;
  try {
    connection = await RawConnection.open(port);
  } catch {
    // Closed while connecting: the refusal can come before the client saw the connection.
    return { connection: undefined, accepted: false };
  }
  try {
    const response = await connection.handshake({ timeOut: 10_000 });
    return { connection, accepted: response.timeOut > 0 };
  } catch {
    await connection.closed;
    return { connection, accepted: false };
  }
}

describe('maxClientConnections', () => {
  it.each(['zkts', 'apache'] as const)('refuses the connection over the per-IP limit on %s, and only that one', async (name) => {
    const target: Target =
      name === 'zkts' ? await startZkts({ maxClientConnections: 3 }) : await startApache({ extraConfig: { maxClientCnxns: '3' } });
    const open: RawConnection[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const { connection, accepted } = await tryConnect(target.tcpPort);
        expect(accepted).toBe(true);
        open.push(connection!);
      }
      const extra = await tryConnect(target.tcpPort);
      expect(extra.accepted).toBe(false);
      // The others keep working.
      for (const connection of open.slice(0, 3)) {
        expect((await connection.call(OpCode.exists, { path: '/', watch: false })).header.err).toBe(0);
      }
      // A freed slot can be used again.
      await open[0]!.destroy();
      const again = await (async () => {
        for (;;) {
          const attempt = await tryConnect(target.tcpPort);
          // The server may not have noticed the close yet: retry until it has.
          if (attempt.accepted) {
            open.push(attempt.connection!);
            return attempt.connection!;
          }
        }
      })();
      expect((await again.call(OpCode.exists, { path: '/', watch: false })).header.err).toBe(0);
    } finally {
      await Promise.all(open.map((connection) => connection.destroy()));
      await target.stop();
    }
  });
});

describe('frames, backpressure and ordering', () => {
  let target: Target;
  const maxOutstandingRequests = 16;
  const maxFrameBytes = 4096;

  beforeAll(async () => {
    target = await startZkts({ maxOutstandingRequests, maxFrameBytes });
  });

  afterAll(async () => {
    await target?.stop();
  });

  it('accepts a frame of exactly maxFrameBytes and closes the connection that sends a larger one', async () => {
    const { connection } = await RawConnection.session(target.tcpPort);
    const witness = await NzkClient.connect(target.connectString);
    try {
      // create2 request: header 8, path 4+6, data 4+n, acl 4+1×(4+4+5+4+6), flags 4.
      const fixedBytes = 8 + 10 + 4 + 4 + 23 + 4;
      const fits = new Uint8Array(maxFrameBytes - fixedBytes);
      const reply = await connection.call(OpCode.create2, { path: '/big-1', data: fits, acl: OPEN_ACL, flags: 0 });
      expect(reply.header.err).toBe(0);
      const tooBig = new Uint8Array(maxFrameBytes - fixedBytes + 1);
      connection.send(OpCode.create2, { path: '/big-2', data: tooBig, acl: OPEN_ACL, flags: 0 });
      await connection.closed;
      expect((await witness.exists('/big-1'))?.dataLength).toBe(fits.length);
      expect(await witness.exists('/big-2')).toBeNull();
    } finally {
      await witness.close();
      await connection.destroy();
    }
  });

  it('throttles a client that pipelines thousands of requests, and answers them all in order', async () => {
    const { connection } = await RawConnection.session(target.tcpPort);
    const server = target.server!;
    let peakOutstanding = 0;
    let sampling = true;
    // The server runs in this process: sample its figures between event-loop turns.
    const sample = (): void => {
      peakOutstanding = Math.max(peakOutstanding, server.stats().outstandingRequests);
      if (sampling) setImmediate(sample);
    };
    sample();
    try {
      const count = 3000;
      const xids: number[] = [];
      for (let i = 0; i < count; i++) {
        const path = `/flood-${i % 50}`;
        xids.push(
          i % 3 === 0
            ? connection.send(OpCode.create, { path, data: new Uint8Array(64), acl: OPEN_ACL, flags: 0 })
            : i % 3 === 1
              ? connection.send(OpCode.setData, { path, data: new Uint8Array(64), version: -1 })
              : connection.send(OpCode.exists, { path, watch: false }),
        );
      }
      await connection.reply(xids[xids.length - 1]!);
      const replies = connection.received.filter((frame): frame is Extract<ReceivedFrame, { kind: 'reply' }> => frame.kind === 'reply');
      expect(replies.map((reply) => reply.xid)).toEqual(xids);
      // Every request got its own answer: creates of existing paths fail, the rest succeed.
      expect(replies.filter((reply) => reply.header.err === 0).length).toBeGreaterThan(count / 2);
      expect(peakOutstanding).toBeGreaterThan(0);
      expect(peakOutstanding).toBeLessThanOrEqual(maxOutstandingRequests);
    } finally {
      sampling = false;
      await connection.destroy();
    }
  });

  it('answers a session in FIFO order: a read sent right after a write sees the write', async () => {
    const { connection } = await RawConnection.session(target.tcpPort);
    try {
      const xids = [
        connection.send(OpCode.create, { path: '/fifo', data: new TextEncoder().encode('v0'), acl: OPEN_ACL, flags: 0 }),
        connection.send(OpCode.getData, { path: '/fifo', watch: false }),
        connection.send(OpCode.setData, { path: '/fifo', data: new TextEncoder().encode('v1'), version: 0 }),
        connection.send(OpCode.getData, { path: '/fifo', watch: false }),
        connection.send(OpCode.exists, { path: '/fifo', watch: false }),
        connection.send(OpCode.sync, { path: '/fifo' }),
        connection.send(OpCode.delete, { path: '/fifo', version: 1 }),
        connection.send(OpCode.exists, { path: '/fifo', watch: false }),
        connection.send(OpCode.getChildren, { path: '/', watch: false }),
      ];
      const replies = await Promise.all(xids.map((xid) => connection.reply(xid)));
      const order = connection.received.filter((frame) => frame.kind === 'reply').map((frame) => (frame.kind === 'reply' ? frame.xid : 0));
      expect(order).toEqual(xids);
      const text = (body: unknown): string => new TextDecoder().decode((body as { data: Uint8Array }).data);
      expect(replies.map((reply) => reply.header.err)).toEqual([0, 0, 0, 0, 0, 0, 0, -101, 0]);
      expect(text(replies[1]!.body)).toBe('v0');
      expect(text(replies[3]!.body)).toBe('v1');
      expect((replies[4]!.body as { stat: { version: number } }).stat.version).toBe(1);
      expect((replies[8]!.body as { children: string[] }).children).not.toContain('fifo');
      // Each reply carries the zxid the session has seen by then; they never go backwards.
      const zxids = replies.map((reply) => reply.header.zxid);
      expect([...zxids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(zxids);
    } finally {
      await connection.destroy();
    }
  });

  it('sends a watch notification before any reply that reveals the change', async () => {
    const b = (await RawConnection.session(target.tcpPort)).connection;
    const a = (await RawConnection.session(target.tcpPort)).connection;
    try {
      await a.call(OpCode.create, { path: '/notify', data: new TextEncoder().encode('0'), acl: OPEN_ACL, flags: 0 });
      await a.call(OpCode.create, { path: '/notify-other', data: null, acl: OPEN_ACL, flags: 0 });
      let revealingRounds = 0;
      for (let round = 1; round <= 40; round++) {
        await b.call(OpCode.getData, { path: '/notify', watch: true });
        const roundStart = b.received.length;
        // The writer's change races the watcher's own write and read; whatever the interleaving,
        // a reply showing the new data must come after the notification for it.
        const change = a.send(OpCode.setData, { path: '/notify', data: new TextEncoder().encode(String(round)), version: -1 });
        const ownWrite = b.send(OpCode.setData, { path: '/notify-other', data: null, version: -1 });
        const read = b.send(OpCode.getData, { path: '/notify', watch: false });
        const [, , readReply] = await Promise.all([a.reply(change), b.reply(ownWrite), b.reply(read)]);
        // The watch was set before the change, so its notification comes in any case.
        const event = await b.nextNotification();
        expect(event).toMatchObject({ type: 3, path: '/notify' });
        const frames = b.received.slice(roundStart);
        const notificationIndex = frames.findIndex((frame) => frame.kind === 'notification');
        const readIndex = frames.findIndex((frame) => frame.kind === 'reply' && frame.xid === read);
        if (new TextDecoder().decode((readReply.body as { data: Uint8Array }).data) === String(round)) {
          revealingRounds++;
          expect(notificationIndex).toBeLessThan(readIndex);
        }
      }
      expect(revealingRounds).toBeGreaterThan(0);
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
    }
  });
});
