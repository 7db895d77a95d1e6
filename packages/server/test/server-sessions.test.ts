/**
 * Session lifecycle: timeout negotiation, pings, closeSession, and reconnects that ZooKeeper
 * refuses. Handshake-level behaviour is compared with Apache ZooKeeper on the same raw frames.
 */
import { encodeConnectRequest, decodeConnectResponse, EventType, OpCode, Perms } from '@zkts/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawConnection } from './support/raw-client.js';
import { startApache, startZkts, type Target } from './support/targets.js';

const TICK_MS = 100;
const OPEN_ACL = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];

describe('sessions', () => {
  let zkts: Target;
  let apache: Target;

  beforeAll(async () => {
    // Both servers default to ZooKeeper's bounds: 2 and 20 ticks.
    [zkts, apache] = await Promise.all([startZkts({ tickTimeMs: TICK_MS }), startApache({ tickTimeMs: TICK_MS })]);
  });

  afterAll(async () => {
    await Promise.allSettled([zkts?.stop(), apache?.stop()]);
  });

  const targets = (): Target[] => [zkts, apache];

  it('clamps the requested timeout into [2, 20] ticks, as ZooKeeper does', async () => {
    for (const target of targets()) {
      const granted: number[] = [];
      for (const requested of [1, 150, 200, 999, 2000, 2001, 60_000]) {
        const { connection, response } = await RawConnection.session(target.tcpPort, { timeOut: requested });
        granted.push(response.timeOut);
        await connection.call(OpCode.closeSession);
        await connection.destroy();
      }
      expect([target.name, granted]).toEqual([target.name, [200, 200, 200, 999, 2000, 2000, 2000]]);
    }
  });

  it('clamps into configured bounds', async () => {
    const custom = await startZkts({ tickTimeMs: TICK_MS, minSessionTimeoutMs: 1000, maxSessionTimeoutMs: 3000 });
    try {
      const granted: number[] = [];
      for (const requested of [10, 1500, 9000]) {
        const { connection, response } = await RawConnection.session(custom.tcpPort, { timeOut: requested });
        granted.push(response.timeOut);
        await connection.destroy();
      }
      expect(granted).toEqual([1000, 1500, 3000]);
    } finally {
      await custom.stop();
    }
  });

  it('keeps a pinging session alive well past its timeout, and expires it once the pings stop', async () => {
    const timeoutMs = 300;
    const { connection, response } = await RawConnection.session(zkts.tcpPort, { timeOut: timeoutMs });
    expect(response.timeOut).toBe(timeoutMs);
    await connection.call(OpCode.create, { path: '/pinged', data: null, acl: OPEN_ACL, flags: 1 });
    // Ping every timeout/3 for four timeouts, as clients do; each ping gets its reply (xid −2).
    const startedAt = Date.now();
    let pings = 0;
    while (Date.now() - startedAt < 4 * timeoutMs) {
      const reply = await connection.reply(connection.send(OpCode.ping, undefined, -2));
      expect(reply.header.err).toBe(0);
      pings++;
      await new Promise((resolve) => setTimeout(resolve, timeoutMs / 3));
    }
    expect(pings).toBeGreaterThanOrEqual(8);
    const { connection: observer } = await RawConnection.session(zkts.tcpPort, { timeOut: 2000 });
    expect((await observer.call(OpCode.exists, { path: '/pinged', watch: true })).header.err).toBe(0);
    // Silence: the session expires, its connection is closed and its ephemeral node deleted.
    const silentSince = Date.now();
    await connection.closed;
    expect(Date.now() - silentSince).toBeLessThanOrEqual(timeoutMs + TICK_MS + 1000);
    expect(await observer.nextNotification()).toEqual({ type: EventType.NodeDeleted, state: 3, path: '/pinged' });
    await observer.destroy();
  });

  it('closeSession answers, closes the connection, deletes ephemerals and fires their watches', async () => {
    for (const target of targets()) {
      const { connection: owner } = await RawConnection.session(target.tcpPort, { timeOut: 2000 });
      const { connection: observer } = await RawConnection.session(target.tcpPort, { timeOut: 2000 });
      await owner.call(OpCode.create, { path: '/closing', data: null, acl: OPEN_ACL, flags: 0 });
      await owner.call(OpCode.create, { path: '/closing/e', data: null, acl: OPEN_ACL, flags: 1 });
      await observer.call(OpCode.getData, { path: '/closing/e', watch: true });
      await observer.call(OpCode.getChildren, { path: '/closing', watch: true });
      const reply = await owner.call(OpCode.closeSession);
      expect(reply.header.err).toBe(0);
      await owner.closed;
      const events = [await observer.nextNotification(), await observer.nextNotification()];
      expect([target.name, events]).toEqual([
        target.name,
        [
          { type: EventType.NodeDeleted, state: 3, path: '/closing/e' },
          { type: EventType.NodeChildrenChanged, state: 3, path: '/closing' },
        ],
      ]);
      expect((await observer.call(OpCode.exists, { path: '/closing/e', watch: false })).header.err).toBe(-101);
      await observer.call(OpCode.delete, { path: '/closing', version: -1 });
      await observer.destroy();
    }
  });

  it('refuses a reconnect with the wrong password (timeOut 0, then close) without ending the session', async () => {
    for (const target of targets()) {
      const { connection: original, response } = await RawConnection.session(target.tcpPort, { timeOut: 2000 });
      await original.call(OpCode.create, { path: '/kept', data: null, acl: OPEN_ACL, flags: 1 });
      const wrong = new Uint8Array(response.passwd);
      wrong[0] = wrong[0]! ^ 0xff;
      const intruder = await RawConnection.open(target.tcpPort);
      const refused = await intruder.handshake({ sessionId: response.sessionId, passwd: wrong, timeOut: 2000 });
      expect([target.name, refused.timeOut, refused.sessionId, refused.passwd]).toEqual([target.name, 0, 0n, new Uint8Array(16)]);
      await intruder.closed;
      // ZooKeeper drops the session's connection before it checks the password; the session
      // lives on, and its client resumes it with the right password.
      await original.closed;
      const resumed = await RawConnection.session(target.tcpPort, { sessionId: response.sessionId, passwd: response.passwd, timeOut: 2000 });
      expect([target.name, resumed.response.sessionId]).toEqual([target.name, response.sessionId]);
      const kept = await resumed.connection.call(OpCode.exists, { path: '/kept', watch: false });
      expect((kept.body as { stat: { ephemeralOwner: bigint } }).stat.ephemeralOwner).toBe(response.sessionId);
      expect((await resumed.connection.call(OpCode.closeSession)).header.err).toBe(0);
      await resumed.connection.closed;
      // A closed session cannot be resumed, even with the right password.
      const late = await RawConnection.open(target.tcpPort);
      expect([target.name, (await late.handshake({ sessionId: response.sessionId, passwd: response.passwd })).timeOut]).toEqual([target.name, 0]);
      await late.closed;
    }
  });

  it('leaves the readOnly flag out of its answer to a client that sent none (pre-3.4)', async () => {
    for (const target of targets()) {
      const connection = await RawConnection.open(target.tcpPort);
      connection.sendFrame(
        encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0n, timeOut: 1000, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false, readOnlyOmitted: true }),
      );
      const frame = await connection.nextFrame();
      expect([target.name, frame.length]).toEqual([target.name, 36]);
      expect(decodeConnectResponse(frame)).toMatchObject({ timeOut: 1000, readOnlyOmitted: true });
      await connection.destroy();
    }
  });

  it('gives out session ids whose top byte is the server id', async () => {
    const custom = await startZkts({ serverId: 7 });
    try {
      const first = await RawConnection.session(custom.tcpPort);
      const second = await RawConnection.session(custom.tcpPort);
      expect(first.response.sessionId >> 56n).toBe(7n);
      expect(second.response.sessionId).toBe(first.response.sessionId + 1n);
      await Promise.all([first.connection.destroy(), second.connection.destroy()]);
    } finally {
      await custom.stop();
    }
  });
});
