import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ApacheZooKeeper, startApacheZooKeeper } from '../../../test-support/apache-zookeeper.js';
import { connect } from '../src/index.js';

let zk: ApacheZooKeeper;
beforeAll(async () => {
  zk = await startApacheZooKeeper();
});
afterAll(async () => {
  await zk?.stop();
});

test('smoke', async () => {
  const client = await connect(zk.connectString);
  expect(client.state).toBe('CONNECTED');
  const path = await client.create('/smoke', 'hi');
  expect(path).toBe('/smoke');
  const { data, stat } = await client.getData('/smoke');
  expect(new TextDecoder().decode(data!)).toBe('hi');
  expect(stat.version).toBe(0);
  await client.close();
  expect(client.state).toBe('CLOSED');
});
