import { it } from 'vitest';
import { startApacheZooKeeper } from '../../../../test-support/apache-zookeeper.js';
import { NzkClient, nzk } from '../support/nzk.js';

it('4lw', async () => {
  const zk = await startApacheZooKeeper({ tickTimeMs: 200 });
  const c = await NzkClient.connect(zk.connectString, { sessionTimeoutMs: 5000 });
  await c.create('/a', Buffer.from('x'));
  await c.create('/a/e', null, nzk.CreateMode.EPHEMERAL);
  await c.getData('/a', () => {});
  await c.getChildren('/a', () => {});
  await c.exists('/nope', () => {});
  const s = zk.servers[0]!;
  for (const w of ['stat', 'cons', 'wchs', 'wchc', 'wchp', 'dump', 'srvr', 'conf', 'dirs', 'crst', 'srst', 'gtmk', 'hash']) {
    console.log(`=== ${w}\n${JSON.stringify(await s.fourLetterWord(w))}`);
  }
  const m = await s.fourLetterWord('mntr');
  console.log(m.split('\n').filter((l) => !/_(avg|min|max|cnt|sum)_|^zk_(p50|p95|p99|p999)/.test(l)).join('\n'));
  await c.close();
  await zk.stop();
}, 30000);
