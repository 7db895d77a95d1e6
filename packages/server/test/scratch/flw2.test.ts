import { it } from 'vitest';
import { fourLetterWord } from '../../../../test-support/four-letter-word.js';
import { ZkServer } from '../../src/index.js';
import { NzkClient, nzk } from '../support/nzk.js';

it('4lw ours', async () => {
  const server = new ZkServer({ tcpPort: 0, wsPort: null, tickTimeMs: 200 });
  await server.start();
  const c = await NzkClient.connect(server.connectString, { sessionTimeoutMs: 5000 });
  await c.create('/a', Buffer.from('x'));
  await c.create('/a/e', null, nzk.CreateMode.EPHEMERAL);
  await c.getData('/a', () => {});
  await c.getChildren('/a', () => {});
  await c.exists('/nope', () => {});
  for (const w of ['stat', 'cons', 'wchs', 'wchc', 'wchp', 'dump', 'srvr', 'conf', 'dirs', 'envi', 'crst', 'srst', 'gtmk', 'hash', 'mntr', 'isro', 'ruok']) {
    console.log(`=== ${w}\n${JSON.stringify(await fourLetterWord('127.0.0.1', server.tcpPort, w))}`);
  }
  await c.close();
  await server.stop();
}, 30000);
