/**
 * Service registration and discovery: registering, updating, querying; a live cache that
 * reports up/down/change; providers with random, round-robin and sticky strategies; a crashed
 * registered process going down and coming back up; re-registration in a new session.
 */
import { describe, expect, test } from 'vitest';
import {
  ServiceDiscovery,
  type ServiceInstance,
  deserializeServiceInstance,
  randomStrategy,
  roundRobinStrategy,
  stickyStrategy,
} from '../src/index.js';
import { startFixture } from './support/child-process.js';
import { eventually, nextEvent, seededRandom, stateReached, useTarget } from './support/harness.js';
import { targetKinds } from './support/targets.js';

interface Payload {
  readonly region: string;
}

describe.each(targetKinds)('service discovery on %s', (kind) => {
  const zk = useTarget(kind);

  test('register writes an ephemeral JSON ServiceInstance; update and unregister change it', async () => {
    const basePath = zk.path('services');
    const client = await zk.client();
    const discovery = new ServiceDiscovery<Payload>(client, { basePath });
    const instance = await discovery.register('api', { id: 'api-1', address: '10.0.0.1', port: 8080, payload: { region: 'eu' } });
    const { data, stat } = await client.getData(`${basePath}/api/api-1`);
    expect(stat.ephemeralOwner).toBe(client.sessionId);
    const json = JSON.parse(new TextDecoder().decode(data!)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['name', 'id', 'address', 'port', 'sslPort', 'payload', 'registrationTimeUTC', 'serviceType', 'enabled']);
    expect(json).toMatchObject({ name: 'api', id: 'api-1', address: '10.0.0.1', port: 8080, sslPort: null, payload: { region: 'eu' }, serviceType: 'DYNAMIC', enabled: true });
    expect(deserializeServiceInstance(data)).toEqual(instance);

    const other = new ServiceDiscovery<Payload>(await zk.client(), { basePath });
    expect(await other.queryForNames()).toEqual(['api']);
    expect(await other.queryForInstances('api')).toEqual([instance]);
    await discovery.update({ ...instance, port: 9090 });
    expect((await other.queryForInstance('api', 'api-1'))?.port).toBe(9090);
    await discovery.unregister(instance);
    expect(await other.queryForInstances('api')).toEqual([]);
    expect(await other.queryForInstance('api', 'api-1')).toBeUndefined();
    await discovery.close();
    await other.close();
  });

  test('a service cache reports up, change and down, and providers pick by strategy', async () => {
    const basePath = zk.path('services');
    const registrar = new ServiceDiscovery(await zk.client(), { basePath });
    const watcher = new ServiceDiscovery(await zk.client(), { basePath });
    const cache = watcher.serviceCache('web');
    const log: string[] = [];
    cache.on('up', (instance) => log.push(`up ${instance.id}`));
    cache.on('down', (instance) => log.push(`down ${instance.id}`));
    cache.on('change', (instance) => log.push(`change ${instance.id}:${instance.port}`));
    await cache.start(); // the service node does not exist yet
    const instances: ServiceInstance[] = [];
    for (const id of ['w1', 'w2', 'w3']) instances.push(await registrar.register('web', { id, port: 80 }));
    await eventually('three up', () => cache.instances.length === 3);
    await registrar.update({ ...instances[1]!, port: 81 });
    await eventually('change seen', () => log.includes('change w2:81'));
    await registrar.unregister(instances[0]!);
    await eventually('w1 down', () => log.includes('down w1'));
    expect(log).toEqual(['up w1', 'up w2', 'up w3', 'change w2:81', 'down w1']);

    const roundRobin = watcher.serviceProvider('web', roundRobinStrategy());
    await roundRobin.start();
    await eventually('provider sees two', () => roundRobin.getAllInstances().length === 2);
    expect([1, 2, 3, 4].map(() => roundRobin.getInstance()?.id)).toEqual(['w2', 'w3', 'w2', 'w3']);

    const sticky = stickyStrategy(randomStrategy(seededRandom(42)));
    const stickyProvider = watcher.serviceProvider('web', sticky);
    await stickyProvider.start();
    await eventually('sticky provider sees two', () => stickyProvider.getAllInstances().length === 2);
    const chosen = stickyProvider.getInstance()!.id;
    expect([1, 2, 3].map(() => stickyProvider.getInstance()?.id)).toEqual([chosen, chosen, chosen]);
    await registrar.unregister({ name: 'web', id: chosen });
    await eventually('chosen gone', () => stickyProvider.getAllInstances().length === 1);
    const next = stickyProvider.getInstance()!.id;
    expect(next).not.toBe(chosen);
    expect(sticky.instanceNumber).toBe(2);

    const random = watcher.serviceProvider('web', randomStrategy(seededRandom(1)));
    await random.start();
    await eventually('random provider sees one', () => random.getAllInstances().length === 1);
    expect(random.getInstance()?.id).toBe(next);
    await registrar.unregister({ name: 'web', id: next });
    await eventually('none left', () => random.getAllInstances().length === 0);
    expect(random.getInstance()).toBeUndefined();
    await watcher.close();
    await registrar.close();
  });

  test('a killed registered process goes down within the session timeout and comes back up when restarted', async () => {
    const basePath = zk.path('servers');
    const watcher = new ServiceDiscovery(await zk.client(), { basePath });
    const cache = watcher.serviceCache('backend');
    await cache.start();
    const args = [zk.target.connectString, basePath, 'backend', 'server-1', '7001', '2000'];
    const first = await startFixture('register-service', args);
    try {
      const up = nextEvent<[ServiceInstance]>(cache, 'up');
      await first.waitForLine(/^REGISTERED server-1 2000$/);
      expect((await up)[0].port).toBe(7001);
      const down = nextEvent<[ServiceInstance]>(cache, 'down');
      const killedAt = performance.now();
      await first.kill();
      expect((await down)[0].id).toBe('server-1');
      const downAfterMs = performance.now() - killedAt;
      expect(downAfterMs).toBeLessThan(2_000 + 1_000);

      const backUp = nextEvent<[ServiceInstance]>(cache, 'up');
      const second = await startFixture('register-service', args);
      try {
        await second.waitForLine(/^REGISTERED/);
        expect((await backUp)[0].id).toBe('server-1');
        expect(cache.instances.map((instance) => instance.id)).toEqual(['server-1']);
      } finally {
        await second.kill();
      }
    } finally {
      await first.kill();
      await watcher.close();
    }
  });

  test('registrations through a managed client come back in the new session after expiry', async () => {
    const basePath = zk.path('services');
    const managed = await zk.managed();
    const registrar = new ServiceDiscovery(managed, { basePath });
    await registrar.register('jobs', { id: 'j1', port: 1 });
    const watcher = new ServiceDiscovery(await zk.client(), { basePath });
    const cache = watcher.serviceCache('jobs');
    const log: string[] = [];
    cache.on('up', (instance) => log.push(`up ${instance.id}`));
    cache.on('down', (instance) => log.push(`down ${instance.id}`));
    await cache.start();
    const reRegistered = nextEvent(registrar, 'reRegistered');
    const lost = stateReached(managed, 'LOST');
    const oldSession = managed.client.sessionId;
    await zk.target.killSession(managed.client);
    await lost;
    await reRegistered;
    await eventually('back up', () => log.length === 3);
    expect(log).toEqual(['up j1', 'down j1', 'up j1']);
    const observer = await zk.client();
    const stat = await observer.exists(`${basePath}/jobs/j1`);
    expect(stat?.ephemeralOwner).toBe(managed.client.sessionId);
    expect(managed.client.sessionId).not.toBe(oldSession);
    await registrar.close();
    await watcher.close();
  });
});
