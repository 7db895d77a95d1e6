import { afterEach, expect, test } from 'vitest';
import { connect } from '@zkts/client';
import { ZkServer } from '../src/index.js';

let server: ZkServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function getJson(port: number, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test('the HTTP admin endpoint answers the four-letter-word figures as JSON', async () => {
  server = new ZkServer({ tcpPort: 0, wsPort: null, adminPort: 0 });
  await server.start();
  const port = server.adminPort!;
  const client = await connect(server.connectString);
  await client.create('/admin-probe', 'x');

  const list = await getJson(port, '/commands');
  expect(list.body['commands']).toEqual(expect.arrayContaining(['ruok', 'stat', 'mntr', 'conf', 'cons', 'wchs', 'isro', 'hash']));
  const stat = await getJson(port, '/commands/stat');
  expect(stat.status).toBe(200);
  expect(stat.body).toMatchObject({ command: 'stat', server_state: 'standalone', error: null, num_alive_connections: 1 });
  expect(stat.body['znode_count']).toBeGreaterThanOrEqual(4);
  const hash = await getJson(port, '/commands/hash');
  expect(hash.body['digests']).toEqual([{ zxid: expect.any(Number), digest: server.treeDigest() }]);
  const unknown = await getJson(port, '/commands/nope');
  expect(unknown.status).toBe(404);
  expect(String(unknown.body['error'])).toContain('unknown command');
  await client.close();
});
