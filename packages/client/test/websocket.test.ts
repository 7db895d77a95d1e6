/**
 * The WebSocket transport end to end, against Apache ZooKeeper behind a WebSocket bridge.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ApacheZooKeeper, startApacheZooKeeper } from '../../../test-support/apache-zookeeper.js';
import { type WatchedEvent, type ZkClient, connect } from '../src/index.js';
import { type WebSocketBridge, startWebSocketBridge } from './support/websocket-bridge.js';

let zk: ApacheZooKeeper;
let bridge: WebSocketBridge;
let direct: ZkClient;

beforeAll(async () => {
  zk = await startApacheZooKeeper();
  bridge = await startWebSocketBridge(zk.servers[0]!.clientPort);
  direct = await connect(zk.connectString);
});

afterAll(async () => {
  await direct?.close();
  await bridge?.close();
  await zk?.stop();
});

test('a ws:// client reads, writes, watches, survives a dropped socket, and honours the chroot option', async () => {
  await direct.create('/ws');
  const client = await connect(bridge.url, { chroot: '/ws', spinDelayMs: 20, reconnectDelayMaxMs: 20 });
  try {
    expect(client.currentServer).toEqual({ transport: 'websocket', url: bridge.url });
    expect(await client.create('/node', 'over websocket')).toBe('/node');
    expect(new TextDecoder().decode((await direct.getData('/ws/node')).data!)).toBe('over websocket');
    const events: WatchedEvent[] = [];
    await client.getData('/node', (event) => events.push(event));
    const sessionId = client.sessionId;
    const reconnected = new Promise<void>((resolve) => client.once('connected', () => resolve()));
    bridge.dropAll();
    await reconnected;
    expect(client.sessionId).toBe(sessionId);
    expect(bridge.accepted).toBeGreaterThanOrEqual(2);
    await direct.setData('/ws/node', 'changed');
    await client.sync('/');
    await client.exists('/');
    expect(events.map((event) => `${event.type} ${event.state} ${event.path}`)).toEqual([
      'None Disconnected null',
      'None SyncConnected null',
      'NodeDataChanged SyncConnected /node',
    ]);
    // A frame far larger than one WebSocket or TCP read.
    const big = new Uint8Array(500_000).map((_, i) => i % 251);
    await client.setData('/node', big);
    const { data } = await client.getData('/node');
    expect(data?.length).toBe(big.length);
    expect(Buffer.compare(data!, big)).toBe(0);
  } finally {
    await client.close();
  }
});
