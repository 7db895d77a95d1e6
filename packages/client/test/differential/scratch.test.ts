import { test } from 'vitest';
import { ZkServer } from '../../../server/src/index.js';
import { connect } from '../../src/index.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

import { startApacheZooKeeper } from '../../../../test-support/apache-zookeeper.js';
test.each(['apache', 'zkts'])('reconnect with watches %s', async (which) => {
  const server = which === 'zkts' ? new ZkServer({ tcpPort: 0, wsPort: null }) : undefined;
  await server?.start();
  const apache = which === 'apache' ? await startApacheZooKeeper() : undefined;
  const port = server?.tcpPort ?? apache!.servers[0]!.clientPort;
  const proxy = await startTcpProxy(port);
  const a = await connect(proxy.connectString, { reconnectDelayMaxMs: 0, spinDelayMs: 5 });
  const b = await connect(`127.0.0.1:${port}`);
  const log: string[] = [];
  a.on('disconnected', () => log.push('disconnected'));
  a.on('connected', () => log.push('connected'));
  await a.create('/b', 'x');
  await a.exists('/b', (e) => log.push(`exists ${e.type} ${e.state}`));
  await a.exists('/missing', (e) => log.push(`exists-missing ${e.type} ${e.state}`));
  await a.getData('/b', (e) => log.push(`data ${e.type} ${e.state}`));
  await a.getChildren('/b', (e) => log.push(`child ${e.type} ${e.state}`));
  proxy.refuse(true);
  proxy.dropAll();
  await new Promise((r) => a.once('disconnected', r));
  await b.setData('/b', 'y');
  const c = new Promise((r) => a.once('connected', r));
  proxy.refuse(false);
  await c;
  try { await a.exists('/'); log.push('exists ok'); } catch (e) { log.push(`err ${String(e)}`); }
  console.log(log);
  await a.close(); await b.close(); await proxy.close(); await server?.stop(); await apache?.stop();
});
