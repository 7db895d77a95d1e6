/**
 * Sessions against Apache ZooKeeper 3.8: a connection cut mid-stream through a loopback proxy
 * (same session resumed, watches re-registered and fired, ephemerals kept), retries,
 * session expiry, resuming a session by id, aborts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type ApacheZooKeeper, startApacheZooKeeper } from '../../../test-support/apache-zookeeper.js';
import { pollUntil } from '../../../test-support/poll.js';
import { type WatchedEvent, type ZkClient, type ZkClientOptions, ZkError, connect, createClient, isRetryable } from '../src/index.js';
import { type TcpProxy, startTcpProxy } from './support/tcp-proxy.js';

let zk: ApacheZooKeeper;
let other: ZkClient;
let proxy: TcpProxy;
const opened: ZkClient[] = [];

/** Short pauses between reconnect attempts keep the tests quick; ZooKeeper's own are up to 1 s. */
const fast: ZkClientOptions = { spinDelayMs: 20, reconnectDelayMaxMs: 20, randomSeed: 3 };

beforeAll(async () => {
  // A 200 ms tick lets sessions as short as 200 ms be granted, so expiry tests run quickly.
  zk = await startApacheZooKeeper({ tickTimeMs: 200 });
  other = await connect(zk.connectString);
});

afterEach(async () => {
  for (const client of opened.splice(0)) await client.close();
  await proxy?.close();
});

afterAll(async () => {
  await other?.close();
  await zk?.stop();
});

async function viaProxy(options: ZkClientOptions = {}): Promise<ZkClient> {
  proxy = await startTcpProxy(zk.servers[0]!.clientPort);
  const client = await connect(proxy.connectString, { ...fast, ...options });
  opened.push(client);
  return client;
}

function once(client: ZkClient, event: 'connected' | 'disconnected' | 'expired' | 'closed'): Promise<void> {
  return new Promise((resolve) => client.once(event, () => resolve()));
}

async function failure(promise: Promise<unknown>): Promise<ZkError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ZkError) return error;
    throw error;
  }
  throw new Error('expected a ZkError');
}

describe('connection loss mid-stream', () => {
  test('the client resumes the same session; watches fire for changes made while away; ephemerals survive', async () => {
    const client = await viaProxy();
    const sessionId = client.sessionId;
    await other.create('/drop');
    await other.create('/drop/watched', 'a');
    await client.create('/drop/mine', null, { mode: 'EPHEMERAL' });
    const events: string[] = [];
    const watcher = (event: WatchedEvent): void => {
      events.push(`${event.type} ${event.state} ${event.path}`);
    };
    await client.getData('/drop/watched', watcher);
    await client.exists('/drop/later', watcher);
    const persistent: string[] = [];
    await client.addWatch('/drop', (event) => persistent.push(`${event.type} ${event.path}`), 'PERSISTENT');
    const nodeEvents = (): string[] => persistent.filter((event) => !event.startsWith('None'));

    // A request in flight when the connection dies fails with CONNECTION_LOSS.
    proxy.stall(true);
    const inFlight = client.getChildren('/drop');
    const disconnected = once(client, 'disconnected');
    proxy.refuse(true);
    proxy.dropAll();
    await disconnected;
    const lost = await failure(inFlight);
    expect(lost.code).toBe('CONNECTION_LOSS');
    expect(isRetryable(lost)).toBe(true);
    expect(client.state).toBe('CONNECTING');

    // Changes while the client is away.
    await other.setData('/drop/watched', 'b');
    await other.create('/drop/later');
    const reconnected = once(client, 'connected');
    proxy.stall(false);
    proxy.refuse(false);
    await reconnected;
    expect(client.sessionId).toBe(sessionId);
    expect(proxy.accepted).toBeGreaterThanOrEqual(2);
    // setWatches with the last zxid seen makes the server fire the missed changes at once.
    await pollUntil(async () => (events.length >= 4 ? true : undefined), { timeoutMs: 5_000, description: 'missed watch events' });
    expect(events).toEqual([
      'None Disconnected null',
      'None SyncConnected null',
      'NodeDataChanged SyncConnected /drop/watched',
      'NodeCreated SyncConnected /drop/later',
    ]);
    // The ephemeral node still belongs to the session.
    expect((await other.exists('/drop/mine'))?.ephemeralOwner).toBe(sessionId);
    expect(await client.getEphemerals('/drop')).toEqual(['/drop/mine']);
    // The persistent watch was re-registered too.
    await other.setData('/drop', 'x');
    await pollUntil(async () => (nodeEvents().length > 0 ? true : undefined), { timeoutMs: 5_000, description: 'persistent watch event' });
    expect(nodeEvents()).toEqual(['NodeDataChanged /drop']);
    // Like every watcher, the persistent one also saw the session events.
    expect(persistent.slice(0, 2)).toEqual(['None null', 'None null']);
  });

  test('retry-safe reads are retried across a reconnect; writes are not', async () => {
    const client = await viaProxy({ retry: { retries: 10, minTimeoutMs: 10, maxTimeoutMs: 50 } });
    await client.create('/retry', 'v');
    proxy.stall(true);
    const read = client.getData('/retry');
    const write = client.create('/retry/new');
    const disconnected = once(client, 'disconnected');
    proxy.dropAll();
    proxy.stall(false);
    await disconnected;
    const writeError = await failure(write);
    expect(writeError.code).toBe('CONNECTION_LOSS');
    expect(isRetryable(writeError)).toBe(false);
    expect(new TextDecoder().decode((await read).data!)).toBe('v');
  });

  test('a client gives up on a silent server after the read timeout and reconnects', async () => {
    const client = await viaProxy({ sessionTimeoutMs: 1_200 });
    expect(client.negotiatedTimeoutMs).toBe(1_200);
    const started = performance.now();
    const disconnected = once(client, 'disconnected');
    proxy.stall(true);
    await disconnected;
    // readTimeout = 2/3 of the negotiated timeout (800 ms) after the last frame heard, which
    // may precede the stall by up to one ping interval (400 ms); exact timing is unit-tested.
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    const sessionId = client.sessionId;
    const reconnected = once(client, 'connected');
    proxy.stall(false);
    await reconnected;
    expect(client.sessionId).toBe(sessionId);
  });
});

describe('session expiry', () => {
  test('a session that times out while the client is cut off expires; watchers get Expired', async () => {
    const client = await viaProxy({ sessionTimeoutMs: 1_000 });
    await client.create('/short', null, { mode: 'EPHEMERAL' });
    const watched: string[] = [];
    await client.exists('/short', (event) => watched.push(`${event.type} ${event.state}`));
    const events: string[] = [];
    client.on('expired', () => events.push('expired'));
    client.on('closed', (reason) => events.push(`closed ${reason}`));
    proxy.refuse(true);
    proxy.dropAll();
    // The server expires the session after ~1 s without hearing from it.
    await pollUntil(async () => ((await other.exists('/short')) === null ? true : undefined), { timeoutMs: 10_000, description: 'ephemeral removal' });
    const expired = once(client, 'closed');
    proxy.refuse(false);
    await expired;
    expect(events).toEqual(['expired', 'closed expired']);
    expect(client.state).toBe('EXPIRED');
    expect(watched).toEqual(['None Disconnected', 'None Expired']);
    expect((await failure(client.exists('/'))).code).toBe('SESSION_EXPIRED');
  });

  test('another client resuming the session by id and closing it expires the first', async () => {
    const first = await viaProxy();
    await first.create('/shared', null, { mode: 'EPHEMERAL' });
    // Keep the first client away while the second holds the session, or the two would take
    // the session from each other in turn.
    proxy.refuse(true);
    const firstDropped = once(first, 'disconnected');
    const second = await connect(zk.connectString, { ...fast, sessionId: first.sessionId, sessionPassword: first.sessionPassword });
    await firstDropped;
    expect(second.sessionId).toBe(first.sessionId);
    expect((await second.exists('/shared'))?.ephemeralOwner).toBe(first.sessionId);
    await second.close();
    expect(await other.exists('/shared')).toBeNull();
    const expired = once(first, 'expired');
    proxy.refuse(false);
    await expired;
    expect(first.state).toBe('EXPIRED');
  });

  test('resuming with a wrong password is refused as an expired session', async () => {
    const owner = await connect(zk.connectString, fast);
    opened.push(owner);
    // ZooKeeper closes the session's current connection before it checks the password.
    const ownerDropped = once(owner, 'disconnected');
    const impostor = createClient(zk.connectString, { ...fast, sessionId: owner.sessionId, sessionPassword: new Uint8Array(16) });
    const closed = new Promise<string>((resolve) => impostor.once('closed', resolve));
    expect((await failure(impostor.connected())).code).toBe('SESSION_EXPIRED');
    expect(await closed).toBe('expired');
    // The owner's session survives; it reconnects to it.
    const sessionId = owner.sessionId;
    await ownerDropped;
    await owner.connected({ timeoutMs: 10_000 });
    expect(owner.sessionId).toBe(sessionId);
    expect(await owner.exists('/')).not.toBeNull();
  });
});

describe('aborts', () => {
  test('a request queued while disconnected can be aborted; waiting for a connection can be aborted', async () => {
    const client = await viaProxy();
    proxy.refuse(true);
    const disconnected = once(client, 'disconnected');
    proxy.dropAll();
    await disconnected;
    const controller = new AbortController();
    const pending = client.getData('/', undefined, { signal: controller.signal });
    controller.abort(new Error('user gave up'));
    await expect(pending).rejects.toThrow('user gave up');
    const waiting = new AbortController();
    const connected = client.connected({ signal: waiting.signal });
    waiting.abort(new Error('stop waiting'));
    await expect(connected).rejects.toThrow('stop waiting');
    await expect(client.connected({ timeoutMs: 50 })).rejects.toMatchObject({ code: 'OPERATION_TIMEOUT' });
    const reconnected = once(client, 'connected');
    proxy.refuse(false);
    await reconnected;
    expect((await client.getData('/')).stat).toBeDefined();
  });
});
