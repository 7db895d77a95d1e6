/**
 * Session resume: the TCP connection of a client is cut (by a proxy) while it has requests in
 * flight. The client (node-zookeeper-client) reconnects with the same session id and password;
 * its in-flight requests fail with CONNECTION_LOSS, its ephemeral node survives, and the watches
 * it re-sends (setWatches, with the last zxid it saw) fire at once for changes it missed and
 * stay registered for the others.
 */
import { OpCode } from '@zkts/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../../test-support/poll.js';
import { codeOf, NzkClient, nzk, watchEvent } from './support/nzk.js';
import { RawConnection } from './support/raw-client.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { startZkts, type Target } from './support/targets.js';

describe('session resume through a cut connection', () => {
  let target: Target;
  let proxy: TcpProxy;
  let other: NzkClient;
  const sessionEvents: string[] = [];

  beforeAll(async () => {
    target = await startZkts({ tickTimeMs: 200 });
    target.server!.on('session', (kind, sessionId) => sessionEvents.push(`${kind} ${sessionId}`));
    proxy = await TcpProxy.start(target.tcpPort);
    other = await NzkClient.connect(target.connectString, { sessionTimeoutMs: 4000 });
  });

  afterAll(async () => {
    await other?.close();
    await proxy?.stop();
    await target?.stop();
  });

  it('resumes the session: in-flight requests fail, ephemerals survive, missed and pending watches fire', async () => {
    await other.create('/r', null);
    await other.create('/r/changed', Buffer.from('before'));
    await other.create('/r/stable', Buffer.from('before'));
    const client = await NzkClient.connect(proxy.connectString, { sessionTimeoutMs: 4000 });
    try {
      const sessionId = client.sessionId;
      await client.create('/r/eph', null, nzk.CreateMode.EPHEMERAL);
      const missedData = watchEvent();
      const missedChild = watchEvent();
      const missedCreate = watchEvent();
      const pending = watchEvent();
      await client.getData('/r/changed', missedData.watcher);
      await client.getChildren('/r', missedChild.watcher);
      expect(await client.exists('/r/later', missedCreate.watcher)).toBeNull();
      await client.getData('/r/stable', pending.watcher);

      // Requests go out but never reach the server; then the connection is cut under them.
      proxy.holdClientBytes();
      const inFlightRead = codeOf(client.getData('/r/changed'));
      const inFlightWrite = codeOf(client.create('/r/never', null));
      await pollUntil(async () => (proxy.heldByteCount > 0 ? true : undefined), { timeoutMs: 2000, description: 'requests to be in flight' });
      const disconnected = client.nextState('disconnected');
      const reconnected = client.nextState('connected');
      proxy.block();
      proxy.cutAll();
      await disconnected;
      expect(await inFlightRead).toBe('CONNECTION_LOSS');
      expect(await inFlightWrite).toBe('CONNECTION_LOSS');

      // Changes the client misses while it is away.
      await other.setData('/r/changed', Buffer.from('after'));
      await other.create('/r/later', null);

      proxy.unblock();
      await reconnected;
      expect(client.sessionId).toBe(sessionId);
      // setWatches carried the last zxid the client saw, so the missed changes fire at once.
      expect(await missedData.event).toMatchObject({ type: nzk.Event.NODE_DATA_CHANGED, path: '/r/changed' });
      expect(await missedCreate.event).toMatchObject({ type: nzk.Event.NODE_CREATED, path: '/r/later' });
      expect(await missedChild.event).toMatchObject({ type: nzk.Event.NODE_CHILDREN_CHANGED, path: '/r' });
      expect(pending.count()).toBe(0);

      // The ephemeral node survived, still owned by the same session; the held create never ran.
      const eph = await other.exists('/r/eph');
      expect(eph?.ephemeralOwner.readBigInt64BE(0)).toBe(sessionId);
      expect(await other.exists('/r/never')).toBeNull();

      // The watch that had nothing to report was registered again by setWatches and fires now.
      await other.setData('/r/stable', Buffer.from('after'));
      expect(await pending.event).toMatchObject({ type: nzk.Event.NODE_DATA_CHANGED, path: '/r/stable' });
      expect((await client.getData('/r/changed')).data?.toString()).toBe('after');
      expect(sessionEvents.filter((event) => event.endsWith(` ${sessionId}`))).toEqual([`created ${sessionId}`]);
    } finally {
      await client.close();
    }
    expect(await other.exists('/r/eph')).toBeNull();
  });

  it('hands a session over to the newest connection and closes the old one', async () => {
    const first = await RawConnection.session(target.tcpPort, { timeOut: 4000 });
    const { sessionId, passwd } = first.response;
    const second = await RawConnection.session(target.tcpPort, { timeOut: 4000, sessionId, passwd, lastZxidSeen: 0n });
    expect(second.response.sessionId).toBe(sessionId);
    expect(second.response.timeOut).toBe(4000);
    // ZooKeeper closes the connection the session was on.
    await first.connection.closed;
    expect((await second.connection.call(OpCode.exists, { path: '/', watch: false })).header.err).toBe(0);
    await second.connection.call(OpCode.closeSession);
    await second.connection.closed;
  });

  it('drops the reply of a write sent on a connection the session has left, as ZooKeeper answers on the request’s connection', async () => {
    const open = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
    for (let round = 0; round < 30; round++) {
      const first = await RawConnection.session(target.tcpPort, { timeOut: 4000 });
      const { sessionId, passwd } = first.response;
      // The write and the takeover reach the server in the same event-loop turn: the write
      // commits after the session has moved to the second connection.
      const second = await RawConnection.open(target.tcpPort);
      first.connection.send(OpCode.create, { path: `/moved-${round}`, data: null, acl: open, flags: 0 });
      const response = await second.handshake({ timeOut: 4000, sessionId, passwd });
      expect(response.sessionId).toBe(sessionId);
      await first.connection.closed;
      // The new connection is in order: its first reply is for its first request.
      const reply = await second.call(OpCode.exists, { path: `/moved-${round}`, watch: false });
      expect(reply.header.err).toBe(0);
      await second.call(OpCode.closeSession);
      await second.closed;
    }
  });
});
