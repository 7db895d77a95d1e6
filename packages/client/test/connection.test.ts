/**
 * The connection logic (ClientCnxn's behaviour) against a scripted fake server: handshake
 * fields, xid order, event ordering, connection loss and session resume, expiry, auth,
 * pings, the request bound and aborts.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { ErrorCode, OpCode, ZkError } from '@zkts/protocol';
import { type WatchedEvent, type ZkClient, type ZkClientOptions, connect, createClient } from '../src/index.js';
import { connectionOf } from '../src/internal.js';
import { FakeServer } from './support/fake-server.js';

const stat = {
  czxid: 1n, mzxid: 1n, ctime: 0n, mtime: 0n, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 0, numChildren: 0, pzxid: 1n,
};

const clients: ZkClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) {
    // Closing against a fake server that never answers: drop the connection to finish at once.
    connectionOf(client).dropConnection();
    await client.close();
  }
});

function start(options: ZkClientOptions = {}): { server: FakeServer; client: ZkClient } {
  const server = new FakeServer();
  const client = createClient('fake:2181', { transportFactory: server.factory, reconnectDelayMaxMs: 0, spinDelayMs: 0, randomSeed: 1, ...options });
  clients.push(client);
  return { server, client };
}

async function rejection(promise: Promise<unknown>): Promise<ZkError> {
  try {
    await promise;
  } catch (error) {
    return error as ZkError;
  }
  throw new Error('expected a rejection');
}

describe('handshake and request order', () => {
  test('ConnectRequest carries ClientCnxn fields; queued requests follow the handshake with xids from 1', async () => {
    const { server, client } = start({ sessionTimeoutMs: 12_000 });
    const first = client.exists('/a');
    const second = client.getChildren('/');
    const connection = await server.nextConnection();
    connection.open();
    expect(await connection.handshake()).toEqual({
      protocolVersion: 0,
      lastZxidSeen: 0n,
      timeOut: 12_000,
      sessionId: 0n,
      passwd: new Uint8Array(16),
      readOnly: false,
    });
    expect(connection.requests).toEqual([]); // nothing before the handshake answer
    connection.accept({ sessionId: 0xabcn, timeOut: 9_000 });
    const r1 = await connection.nextRequest();
    const r2 = await connection.nextRequest();
    expect([r1.header, r2.header]).toEqual([
      { xid: 1, type: OpCode.exists },
      { xid: 2, type: OpCode.getChildren },
    ]);
    expect(r1.body).toEqual({ path: '/a', watch: false });
    connection.reply(r1, { err: ErrorCode.NO_NODE, zxid: 5n });
    connection.reply(r2, { body: { children: ['x'] }, zxid: 6n });
    expect(await first).toBeNull();
    expect(await second).toEqual(['x']);
    expect(client.state).toBe('CONNECTED');
    expect(client.sessionId).toBe(0xabcn);
    expect(client.negotiatedTimeoutMs).toBe(9_000);
    const r3 = client.sync('/');
    expect((await connection.nextRequest()).header).toEqual({ xid: 3, type: OpCode.sync });
    connection.reply(connection.requests[2]!, { body: { path: '/' } });
    await r3;
  });

  test('a watch event is delivered before the continuation of the reply that follows it', async () => {
    const { server, client } = start();
    const connection = await server.establish();
    const order: string[] = [];
    const get = client.getData('/a', (event) => order.push(`watch ${event.type} ${event.path}`));
    const request = await connection.nextRequest();
    connection.reply(request, { body: { data: new Uint8Array([1]), stat } });
    await get;
    const second = client.exists('/b').then(() => order.push('exists reply'));
    const existsRequest = await connection.nextRequest();
    // Notification and reply arrive back to back, as in one TCP read.
    connection.notify('NodeDataChanged', '/a', 9n);
    connection.reply(existsRequest, { body: { stat } });
    await second;
    expect(order).toEqual(['watch NodeDataChanged /a', 'exists reply']);
  });

  test('a reply out of xid order drops the connection and fails what was pending', async () => {
    const { server, client } = start();
    const connection = await server.establish();
    const pending = client.getChildren('/');
    const request = await connection.nextRequest();
    connection.reply({ header: { xid: request.header.xid + 1 }, type: OpCode.getChildren }, { body: { children: [] } });
    expect((await rejection(pending)).code).toBe('CONNECTION_LOSS');
    expect(connection.closedByClient).toBe(true);
  });
});

describe('connection loss and session resume', () => {
  test('in-flight requests fail with CONNECTION_LOSS; the session resumes with id, password, lastZxid, auth and watches', async () => {
    const { server, client } = start({ authInfo: [{ scheme: 'digest', auth: 'u:p' }] });
    const events: string[] = [];
    client.on('connected', () => events.push('connected'));
    client.on('disconnected', () => events.push('disconnected'));
    const watched: WatchedEvent[] = [];
    const watcher = (event: WatchedEvent): void => {
      watched.push(event);
    };

    const c1 = await server.establish({ sessionId: 77n, passwd: new Uint8Array(16).fill(3) });
    const auth = await c1.nextRequest();
    expect(auth.header).toEqual({ xid: -4, type: OpCode.auth });
    expect(auth.body).toEqual({ type: 0, scheme: 'digest', auth: new TextEncoder().encode('u:p') });
    c1.replySpecial(-4);

    const get = client.getData('/w', watcher);
    const getRequest = await c1.nextRequest();
    c1.reply(getRequest, { body: { data: null, stat }, zxid: 0x500n });
    expect((await get).data).toBeNull();
    const inFlight = client.getData('/x');
    await c1.nextRequest();

    c1.fail();
    expect((await rejection(inFlight)).code).toBe('CONNECTION_LOSS');
    expect(client.state).toBe('CONNECTING');
    expect(watched).toEqual([{ type: 'None', state: 'Disconnected', path: null, zxid: -1n }]);
    // Queued while disconnected: sent after credentials and watches.
    const queued = client.exists('/q');

    const c2 = await server.nextConnection();
    // A failed attempt neither repeats the disconnected event nor loses the queued request... until it fails.
    c2.fail();
    expect((await rejection(queued)).code).toBe('CONNECTION_LOSS');
    const queuedAgain = client.exists('/q');

    const c3 = await server.nextConnection();
    c3.open();
    expect(await c3.handshake()).toMatchObject({ sessionId: 77n, passwd: new Uint8Array(16).fill(3), lastZxidSeen: 0x500n });
    c3.accept({ sessionId: 77n });
    const resentAuth = await c3.nextRequest();
    expect(resentAuth.header.xid).toBe(-4);
    const setWatches = await c3.nextRequest();
    expect(setWatches.header.type).toBe(OpCode.setWatches);
    expect(setWatches.body).toEqual({ relativeZxid: 0x500n, dataWatches: ['/w'], existWatches: [], childWatches: [] });
    const existsRequest = await c3.nextRequest();
    // xids keep counting across connections: 1 getData, 2 getData, then setWatches 3, exists 4.
    expect([setWatches.header.xid, existsRequest.header]).toEqual([3, { xid: 4, type: OpCode.exists }]);
    c3.reply(setWatches);
    c3.reply(existsRequest, { body: { stat } });
    await queuedAgain;
    expect(events).toEqual(['connected', 'disconnected', 'connected']);
    expect(watched.map((e) => e.state)).toEqual(['Disconnected', 'SyncConnected']);
    c3.notify('NodeDeleted', '/w', 0x600n);
    expect(watched.at(-1)).toEqual({ type: 'NodeDeleted', state: 'SyncConnected', path: '/w', zxid: 0x600n });
  });

  test('persistent watches are re-registered with setWatches2', async () => {
    const { server, client } = start();
    const c1 = await server.establish();
    const add = client.addWatch('/p', () => {}, 'PERSISTENT_RECURSIVE');
    c1.reply(await c1.nextRequest(), { body: { err: 0 } });
    await add;
    c1.fail();
    const c2 = await server.establish();
    const request = await c2.nextRequest();
    expect(request.header.type).toBe(OpCode.setWatches2);
    expect(request.body).toEqual({
      relativeZxid: 1n, dataWatches: [], existWatches: [], childWatches: [], persistentWatches: [], persistentRecursiveWatches: ['/p'],
    });
  });

  test('a zero timeout in the handshake answer expires the session', async () => {
    const { server, client } = start();
    const c1 = await server.establish({ sessionId: 5n });
    const watched: WatchedEvent[] = [];
    const get = client.exists('/e', (event) => watched.push(event));
    c1.reply(await c1.nextRequest(), { err: ErrorCode.NO_NODE });
    await get;
    const order: string[] = [];
    client.on('expired', () => order.push('expired'));
    client.on('closed', (reason) => order.push(`closed ${reason}`));
    c1.fail();
    const queued = client.getData('/x');
    await server.establish({ timeOut: 0 });
    expect(order).toEqual(['expired', 'closed expired']);
    expect(client.state).toBe('EXPIRED');
    expect(watched.map((e) => `${e.type} ${e.state}`)).toEqual(['None Disconnected', 'None Expired']);
    expect((await rejection(queued)).code).toBe('SESSION_EXPIRED');
    expect((await rejection(client.getData('/x'))).code).toBe('SESSION_EXPIRED');
    expect((await rejection(client.connected())).code).toBe('SESSION_EXPIRED');
    await client.close();
    expect(server.connections).toHaveLength(2);
  });
});

describe('auth', () => {
  test('addAuth resolves when the server accepts and rejects the session when it refuses', async () => {
    const { server, client } = start();
    const c1 = await server.establish();
    const ok = client.addAuth('digest', 'a:b');
    expect((await c1.nextRequest()).header).toEqual({ xid: -4, type: OpCode.auth });
    c1.replySpecial(-4, 0);
    await ok;
    const events: string[] = [];
    client.on('authFailed', () => events.push('authFailed'));
    client.on('closed', (reason) => events.push(`closed ${reason}`));
    const bad = client.addAuth('digest', 'x:y');
    await c1.nextRequest();
    const pending = client.getChildren('/');
    await c1.nextRequest();
    c1.replySpecial(-4, ErrorCode.AUTH_FAILED);
    expect((await rejection(bad)).code).toBe('AUTH_FAILED');
    expect((await rejection(pending)).code).toBe('AUTH_FAILED');
    expect(events).toEqual(['authFailed', 'closed authFailed']);
    expect(client.state).toBe('AUTH_FAILED');
    expect((await rejection(client.exists('/'))).code).toBe('AUTH_FAILED');
  });
});

describe('timeouts and pings', () => {
  test('pings when idle for half the read timeout and reconnects when the server goes silent', async () => {
    const { server, client } = start({ sessionTimeoutMs: 600 });
    const started = performance.now();
    const c1 = await server.establish({ timeOut: 600 });
    const ping = await c1.nextRequest();
    expect(ping.header).toEqual({ xid: -2, type: OpCode.ping });
    // readTimeout = 400 ms, ping after 200 ms of not sending.
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    // Never answer: after 400 ms without hearing anything the client gives up on this server.
    const disconnected = new Promise<void>((resolve) => client.once('disconnected', resolve));
    await disconnected;
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(c1.closedByClient).toBe(true);
    const c2 = await server.nextConnection();
    expect(c2).not.toBe(c1);
  });

  test('a connection attempt that does not finish within connectTimeoutMs moves on', async () => {
    const { server } = start({ connectTimeoutMs: 100 });
    const c1 = await server.nextConnection();
    const c2 = await server.nextConnection();
    // Timers may fire up to a millisecond early.
    expect(c2.createdAt - c1.createdAt).toBeGreaterThanOrEqual(99);
    expect(c1.closedByClient).toBe(true);
    expect(c2).not.toBe(c1);
  });
});

describe('queue bound, aborts and close', () => {
  test('requests beyond pendingRequestsMax fail at once with THROTTLED_OP', async () => {
    const { client } = start({ pendingRequestsMax: 2 });
    const a = client.exists('/a');
    const b = client.exists('/b');
    const error = await rejection(client.exists('/c'));
    expect(error.code).toBe('THROTTLED_OP');
    expect(error.message).toMatch(/pendingRequestsMax = 2/);
    void a.catch(() => {});
    void b.catch(() => {});
  });

  test('an aborted request is not sent if still queued, and its late reply registers no watch', async () => {
    const { server, client } = start();
    const early = new AbortController();
    const never = client.getData('/never', () => {}, { signal: early.signal });
    early.abort(new Error('stop'));
    await expect(never).rejects.toThrow('stop');
    const c1 = await server.establish();
    const late = new AbortController();
    const watcher = (): void => {};
    const aborted = client.getChildren('/late', watcher, { signal: late.signal });
    const request = await c1.nextRequest();
    expect(request.header).toEqual({ xid: 1, type: OpCode.getChildren });
    late.abort(new Error('late'));
    await expect(aborted).rejects.toThrow('late');
    c1.reply(request, { body: { children: [] } });
    const next = client.exists('/n');
    const nextRequest = await c1.nextRequest();
    c1.reply(nextRequest, { err: ErrorCode.NO_NODE });
    await next;
    expect(connectionOf(client).watches.lists().child).toEqual([]);
    expect(connectionOf(client).watches.lists().exist).toEqual([]);
    expect((await rejection(client.getData('/x', undefined, { signal: AbortSignal.abort(new ZkError('API_ERROR')) }))).code).toBe('API_ERROR');
  });

  test('close sends closeSession, waits for the answer, and delivers Closed to watchers', async () => {
    const { server, client } = start();
    const c1 = await server.establish();
    const watched: string[] = [];
    const get = client.exists('/w', (event) => watched.push(event.state));
    c1.reply(await c1.nextRequest(), { body: { stat } });
    await get;
    let closed = false;
    const closing = client.close().then(() => {
      closed = true;
    });
    const request = await c1.nextRequest();
    expect(request.header.type).toBe(OpCode.closeSession);
    expect((await rejection(client.exists('/late'))).code).toBe('CONNECTION_LOSS');
    expect(closed).toBe(false);
    c1.reply(request);
    await closing;
    expect(client.state).toBe('CLOSED');
    expect(watched).toEqual(['Closed']);
    expect((await rejection(client.exists('/after'))).code).toBe('SESSION_EXPIRED');
    expect(c1.closedByClient).toBe(true);
  });

  test('close while no connection exists stops at once', async () => {
    const { client } = start({
      transportFactory: () => {
        throw new Error('unreachable');
      },
    });
    const closed = new Promise<string>((resolve) => client.once('closed', resolve));
    await client.close();
    expect(await closed).toBe('closed');
    expect(client.state).toBe('CLOSED');
  });
});

describe('read-only servers', () => {
  test('a read-only session reports it and asks a read-write server for a new session', async () => {
    const { server, client } = start({ readOnly: true });
    const infos: boolean[] = [];
    client.on('connected', (info) => infos.push(info.readOnly));
    const c1 = await server.establish({ readOnly: true, sessionId: 9n });
    expect(client.state).toBe('CONNECTED_READ_ONLY');
    expect(c1.connectRequest?.readOnly).toBe(true);
    c1.fail();
    const c2 = await server.nextConnection();
    c2.open();
    // The read-only server's session id is a placeholder: not sent again.
    expect((await c2.handshake()).sessionId).toBe(0n);
    c2.accept({ sessionId: 10n });
    expect(client.state).toBe('CONNECTED');
    expect(infos).toEqual([true, false]);
  });
});

describe('details', () => {
  test('xids wrap from the int maximum back to 1', async () => {
    const { server, client } = start();
    const c1 = await server.establish();
    connectionOf(client)['xid'] = 0x7fffffff - 1;
    const a = client.exists('/a');
    const b = client.exists('/b');
    const ra = await c1.nextRequest();
    const rb = await c1.nextRequest();
    expect([ra.header.xid, rb.header.xid]).toEqual([0x7fffffff - 1, 1]);
    c1.reply(ra, { err: ErrorCode.NO_NODE });
    c1.reply(rb, { err: ErrorCode.NO_NODE });
    expect([await a, await b]).toEqual([null, null]);
  });

  test('a throwing watcher is reported through watcherError and does not disturb others', async () => {
    const { server, client } = start();
    const c1 = await server.establish();
    const reported: unknown[] = [];
    client.on('watcherError', (error, event) => reported.push([(error as Error).message, event?.type]));
    const calls: string[] = [];
    const first = client.getData('/t', (event) => {
      if (event.type !== 'None') throw new Error('boom');
    });
    c1.reply(await c1.nextRequest(), { body: { data: null, stat } });
    await first;
    const second = client.exists('/t', (event) => calls.push(event.type));
    c1.reply(await c1.nextRequest(), { body: { stat } });
    await second;
    c1.notify('NodeDataChanged', '/t');
    expect(reported).toEqual([['boom', 'NodeDataChanged']]);
    expect(calls).toEqual(['NodeDataChanged']);
  });

  test('removing watches locally while disconnected succeeds with a Disconnected removal event', async () => {
    const { server, client } = start();
    const c1 = await server.establish();
    const seen: string[] = [];
    const watcher = (event: WatchedEvent): void => {
      seen.push(`${event.type} ${event.state}`);
    };
    const get = client.getChildren('/r', watcher);
    c1.reply(await c1.nextRequest(), { body: { children: [] } });
    await get;
    c1.fail();
    const removal = client.removeWatches('/r', watcher, 'Children', true);
    const c2 = await server.nextConnection();
    c2.fail();
    await removal;
    expect(seen).toEqual(['None Disconnected', 'ChildWatchRemoved Disconnected']);
    expect(connectionOf(client).watches.isEmpty).toBe(true);
    // Without local, the same failure is reported and nothing is removed.
    const again = client.getChildren('/r', watcher);
    const c3 = await server.establish();
    c3.reply(await c3.nextRequest(), { body: { children: [] } });
    await again;
    const strict = client.removeWatches('/r', watcher, 'Children');
    await c3.nextRequest();
    c3.fail();
    expect((await rejection(strict)).code).toBe('CONNECTION_LOSS');
    expect(connectionOf(client).watches.lists().child).toEqual(['/r']);
  });

  test('connect() gives up after its timeout and closes the client', async () => {
    const server = new FakeServer();
    const error = await rejection(connect('fake:1', { transportFactory: server.factory, connectTimeoutMs: 10_000 }, { timeoutMs: 50 }));
    expect(error.code).toBe('OPERATION_TIMEOUT');
    expect(server.connections[0]?.closedByClient).toBe(true);
  });
});
