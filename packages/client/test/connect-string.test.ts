import { describe, expect, test } from 'vitest';
import { ZkError } from '@zkts/protocol';
import { parseConnectString } from '../src/index.js';
import { HostProvider, createRandom } from '../src/internal.js';

function badArguments(run: () => unknown): ZkError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ZkError);
    expect((error as ZkError).code).toBe('BAD_ARGUMENTS');
    return error as ZkError;
  }
  throw new Error('expected BAD_ARGUMENTS');
}

describe('parseConnectString (ConnectStringParser rules)', () => {
  test('host:port list in written order, default port 2181', () => {
    expect(parseConnectString('a:1,b,c:3').endpoints).toEqual([
      { transport: 'tcp', host: 'a', port: 1 },
      { transport: 'tcp', host: 'b', port: 2181 },
      { transport: 'tcp', host: 'c', port: 3 },
    ]);
  });

  test('entries are trimmed and blanks dropped; a trailing colon means the default port', () => {
    expect(parseConnectString(' a:1 , ,b: ').endpoints).toEqual([
      { transport: 'tcp', host: 'a', port: 1 },
      { transport: 'tcp', host: 'b', port: 2181 },
    ]);
  });

  test('chroot suffix starts at the first slash; "/" means none', () => {
    expect(parseConnectString('a:1,b:2/app/x')).toEqual({
      endpoints: [
        { transport: 'tcp', host: 'a', port: 1 },
        { transport: 'tcp', host: 'b', port: 2 },
      ],
      chroot: '/app/x',
    });
    expect(parseConnectString('a:1/').chroot).toBeUndefined();
  });

  test('invalid chroot is BAD_ARGUMENTS', () => {
    badArguments(() => parseConnectString('a:1/app/'));
    badArguments(() => parseConnectString('a:1/app//x'));
  });

  test('IPv6 literals in brackets', () => {
    expect(parseConnectString('[::1]:2182,[fe80::1],[::1]:2183/c')).toEqual({
      endpoints: [
        { transport: 'tcp', host: '::1', port: 2182 },
        { transport: 'tcp', host: 'fe80::1', port: 2181 },
        { transport: 'tcp', host: '::1', port: 2183 },
      ],
      chroot: '/c',
    });
    badArguments(() => parseConnectString('[::1:2181'));
    badArguments(() => parseConnectString('[::1]2181'));
    badArguments(() => parseConnectString('[::1]:'));
    badArguments(() => parseConnectString('[]:1'));
  });

  test('bad ports and empty lists are BAD_ARGUMENTS', () => {
    badArguments(() => parseConnectString('a:x'));
    badArguments(() => parseConnectString('a:70000'));
    badArguments(() => parseConnectString(' , '));
  });

  test('ws:// and wss:// URLs select the WebSocket transport and keep their path', () => {
    expect(parseConnectString('ws://127.0.0.1:8080/zk, wss://example.com/zk').endpoints).toEqual([
      { transport: 'websocket', url: 'ws://127.0.0.1:8080/zk' },
      { transport: 'websocket', url: 'wss://example.com/zk' },
    ]);
    expect(parseConnectString('ws://h:1/zk').chroot).toBeUndefined();
    badArguments(() => parseConnectString('ws://h:1/zk', 'tcp'));
    badArguments(() => parseConnectString('ws://h:1,http://x'));
  });

  test('transport websocket turns host:port into ws:// URLs', () => {
    expect(parseConnectString('h:1,[::1]:2/c', 'websocket')).toEqual({
      endpoints: [
        { transport: 'websocket', url: 'ws://h:1/' },
        { transport: 'websocket', url: 'ws://[::1]:2/' },
      ],
      chroot: '/c',
    });
  });
});

describe('HostProvider (StaticHostProvider rules)', () => {
  const endpoints = ['a', 'b', 'c', 'd', 'e'].map((host) => ({ transport: 'tcp' as const, host, port: 1 }));

  test('the shuffle is a permutation determined by the seed', () => {
    const first = new HostProvider(endpoints, createRandom(7)).order;
    const again = new HostProvider(endpoints, createRandom(7)).order;
    expect(again).toEqual(first);
    expect([...first].sort((x, y) => (x.transport === 'tcp' && y.transport === 'tcp' ? x.host.localeCompare(y.host) : 0))).toEqual(endpoints);
    const orders = new Set([1, 2, 3, 4, 5, 6].map((seed) => JSON.stringify(new HostProvider(endpoints, createRandom(seed)).order)));
    expect(orders.size).toBeGreaterThan(1);
  });

  test('round-robin; a full cycle without connecting reports exhaustion', () => {
    const hosts = new HostProvider(endpoints.slice(0, 3), createRandom(1));
    const order = hosts.order;
    const tries = [hosts.next(), hosts.next(), hosts.next(), hosts.next(), hosts.next()];
    expect(tries.map((t) => t.endpoint)).toEqual([order[0], order[1], order[2], order[0], order[1]]);
    expect(tries.map((t) => t.exhausted)).toEqual([false, false, false, true, false]);
  });

  test('after a connection the cycle restarts from that server', () => {
    const hosts = new HostProvider(endpoints.slice(0, 3), createRandom(1));
    hosts.next();
    hosts.next();
    hosts.onConnected(); // connected to index 1
    expect([hosts.next().exhausted, hosts.next().exhausted, hosts.next().exhausted]).toEqual([false, false, true]);
  });

  test('a single server spins on every retry', () => {
    const hosts = new HostProvider(endpoints.slice(0, 1), createRandom(1));
    expect([hosts.next().exhausted, hosts.next().exhausted, hosts.next().exhausted]).toEqual([false, true, true]);
  });
});
