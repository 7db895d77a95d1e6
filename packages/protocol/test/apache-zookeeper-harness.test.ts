import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { type ApacheZooKeeper, startApacheZooKeeper } from '../../../test-support/apache-zookeeper.js';
import { fourLetterWord } from '../../../test-support/four-letter-word.js';

/** Resolves true when 127.0.0.1:port can be bound again, i.e. nothing listens there any more. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const started: ApacheZooKeeper[] = [];
afterAll(async () => {
  await Promise.all(started.map((zk) => zk.stop()));
});

describe('Apache ZooKeeper test harness', () => {
  test('starts a standalone server that answers ruok, and stop() frees its port, process and files', async () => {
    const zk = await startApacheZooKeeper({ tickTimeMs: 500 });
    started.push(zk);
    console.info(`standalone Apache ZooKeeper served after ${zk.startupMs} ms`);
    const [server] = zk.servers;
    expect(server).toBeDefined();
    if (server === undefined) return;
    expect(zk.connectString).toBe(`127.0.0.1:${server.clientPort}`);
    expect(await fourLetterWord('127.0.0.1', server.clientPort, 'ruok')).toBe('imok');
    expect(await server.mode()).toBe('standalone');
    const conf = await server.fourLetterWord('conf');
    expect(conf).toMatch(/^tickTime=500$/m);
    expect(conf).toMatch(/^minSessionTimeout=500$/m);
    const pid = server.pid;
    expect(pid).toBeTypeOf('number');

    await zk.stop();
    expect(server.running).toBe(false);
    expect(processExists(pid ?? -1)).toBe(false);
    expect(await portIsFree(server.clientPort)).toBe(true);
    expect(existsSync(zk.dir)).toBe(false);
  });

  test('starts a three-server ensemble with exactly one leader, survives a follower restart, then stops', async () => {
    const zk = await startApacheZooKeeper({ servers: 3, tickTimeMs: 500 });
    started.push(zk);
    console.info(`3-server Apache ZooKeeper ensemble served after ${zk.startupMs} ms`);
    expect(zk.servers.map((server) => server.id)).toEqual([1, 2, 3]);
    expect(zk.connectString.split(',')).toHaveLength(3);
    const modes = await Promise.all(zk.servers.map((server) => server.mode()));
    expect(modes.filter((mode) => mode === 'leader')).toHaveLength(1);
    expect(modes.filter((mode) => mode === 'follower')).toHaveLength(2);

    const leader = await zk.leader();
    const follower = zk.servers.find((server) => server !== leader);
    expect(follower).toBeDefined();
    if (follower === undefined) return;
    await follower.kill();
    expect(follower.running).toBe(false);
    expect(await portIsFree(follower.clientPort)).toBe(true);
    await follower.start();
    expect(await follower.mode()).toBe('follower');

    const clientPorts = zk.servers.map((server) => server.clientPort);
    await zk.stop();
    expect(zk.servers.every((server) => !server.running)).toBe(true);
    for (const port of clientPorts) expect(await portIsFree(port)).toBe(true);
  });
});
