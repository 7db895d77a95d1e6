import { it } from 'vitest';
import { startApacheZooKeeper } from '../../../../test-support/apache-zookeeper.js';
it('starts', async () => {
  const zk = await startApacheZooKeeper({ tickTimeMs: 200 });
  console.log('startup', zk.startupMs, zk.connectString);
  console.log(await zk.servers[0]!.fourLetterWord('srvr'));
  console.log(await zk.servers[0]!.fourLetterWord('stat'));
  console.log(await zk.servers[0]!.fourLetterWord('cons'));
  console.log(await zk.servers[0]!.fourLetterWord('wchs'));
  console.log(await zk.servers[0]!.fourLetterWord('mntr'));
  console.log(await zk.servers[0]!.fourLetterWord('conf'));
  console.log(await zk.servers[0]!.fourLetterWord('envi'));
  console.log(await zk.servers[0]!.fourLetterWord('dirs'));
  console.log(await zk.servers[0]!.fourLetterWord('isro'));
  console.log(JSON.stringify(await zk.servers[0]!.fourLetterWord('ruok')));
  console.log(JSON.stringify(await zk.servers[0]!.fourLetterWord('xyzw')));
  await zk.stop();
});
