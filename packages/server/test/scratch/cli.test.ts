import { it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { ZkServer } from '../../src/index.js';
import { startApacheZooKeeper } from '../../../../test-support/apache-zookeeper.js';
it('cli', async () => {
  const server = new ZkServer({ tcpPort: 0, wsPort: null, tickTimeMs: 200 });
  await server.start();
  const zk = await startApacheZooKeeper({});
  for (const port of [server.tcpPort, zk.servers[0]!.clientPort]) {
    const { spawn } = await import('node:child_process');
    await new Promise<void>((resolve) => {
      const c = spawn('node', ['/tmp/zkcli-probe.mjs', String(port)], { stdio: 'inherit' });
      c.on('exit', () => resolve());
    });
  }
  await server.stop(); await zk.stop();
}, 60000);
