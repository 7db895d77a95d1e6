/**
 * Four-letter words on the TCP client port, compared with Apache ZooKeeper's answers for the same
 * tree, sessions and watches: exact where the figures are deterministic, same shape elsewhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NzkClient, nzk } from './support/nzk.js';
import { startApache, startZkts, type Target } from './support/targets.js';

const TICK_MS = 500;
const WHITELIST = ['srvr', 'stat', 'cons', 'ruok', 'isro', 'wchs', 'wchc', 'wchp', 'mntr', 'conf', 'envi', 'dirs', 'dump'];

interface Side {
  target: Target;
  client: NzkClient;
}

/** The same state on each server: one session with two nodes (one ephemeral) and three watches. */
async function prepare(target: Target): Promise<Side> {
  const client = await NzkClient.connect(target.connectString, { sessionTimeoutMs: 6000 });
  await client.create('/app', Buffer.from('data'));
  await client.create('/app/eph', null, nzk.CreateMode.EPHEMERAL);
  await client.getData('/app', () => undefined);
  await client.getChildren('/app', () => undefined);
  await client.exists('/app/missing', () => undefined);
  return { target, client };
}

/** `key` of each `key<separator>value` line. */
function keys(text: string, separator: string | RegExp): string[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(separator)[0]!);
}

/** Field names of a `cons` line: `queued`, `recved`, … `maxlat`. */
function consFields(line: string): string[] {
  return [...line.matchAll(/([a-z]+)=/g)].map((match) => match[1]!);
}

function value(text: string, key: string, separator = ': '): string | undefined {
  return text
    .split('\n')
    .find((line) => line.startsWith(`${key}${separator}`))
    ?.slice(key.length + separator.length);
}

describe('four-letter words', () => {
  let ours: Side;
  let theirs: Side;

  beforeAll(async () => {
    const [zkts, apache] = await Promise.all([
      startZkts({ tickTimeMs: TICK_MS, fourLetterWordWhitelist: WHITELIST }),
      startApache({ tickTimeMs: TICK_MS, extraConfig: { '4lw.commands.whitelist': WHITELIST.join(',') } }),
    ]);
    ours = await prepare(zkts);
    theirs = await prepare(apache);
  });

  afterAll(async () => {
    await Promise.allSettled([ours?.client.close(), theirs?.client.close()]);
    await Promise.allSettled([ours?.target.stop(), theirs?.target.stop()]);
  });

  const both = (word: string): Promise<[string, string]> => Promise.all([ours.target.fourLetterWord(word), theirs.target.fourLetterWord(word)]);

  it('ruok and isro', async () => {
    expect(await both('ruok')).toEqual(['imok', 'imok']);
    expect(await both('isro')).toEqual(['rw', 'rw']);
  });

  it('srvr: the same lines, and the same zxid, mode and node count', async () => {
    const [mine, apache] = await both('srvr');
    expect(keys(mine, ': ')).toEqual(keys(apache, ': '));
    for (const key of ['Zxid', 'Mode', 'Node count', 'Outstanding']) expect([key, value(mine, key)]).toEqual([key, value(apache, key)]);
    expect(value(mine, 'Latency min/avg/max')).toMatch(/^\d+\/\d+\.\d+\/\d+$/);
    expect(value(mine, 'Node count')).toBe('7');
  });

  it('stat: version, one brief line per connection, then the srvr figures', async () => {
    const [mine, apache] = await both('stat');
    const brief = /^ \/127\.0\.0\.1:\d+\[[01]\]\(queued=\d+,recved=\d+,sent=\d+\)$/;
    for (const text of [mine, apache]) {
      const [version, clients, ...rest] = text.split('\n');
      expect(version).toMatch(/^Zookeeper version: /);
      expect(clients).toBe('Clients:');
      const blank = rest.indexOf('');
      // The session's connection and the one asking.
      expect(rest.slice(0, blank)).toHaveLength(2);
      for (const line of rest.slice(0, blank)) expect(line).toMatch(brief);
    }
    // ZooKeeper lists connections in its hash set's order, which is no order at all: sort them.
    const withoutPorts = (text: string): string[] =>
      keys(text, ': ')
        .slice(1)
        .map((line) => line.replace(/:\d+\[/, ':<port>['))
        .sort();
    expect(withoutPorts(mine)).toEqual(withoutPorts(apache));
  });

  it('cons: the full form for connections with a session, the brief one otherwise', async () => {
    const [mine, apache] = await both('cons');
    const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');
    expect(mine.endsWith('\n\n')).toBe(apache.endsWith('\n\n'));
    const withSession = (text: string): string => lines(text).find((line) => line.includes('sid=0x'))!;
    const without = (text: string): string => lines(text).find((line) => !line.includes('sid=0x'))!;
    expect(consFields(withSession(mine))).toEqual(consFields(withSession(apache)));
    expect(consFields(without(mine))).toEqual(consFields(without(apache)));
    // The session's last request was its fifth (xid 4), an exists, after zxid 3 (session, two creates).
    for (const text of [mine, apache]) expect(withSession(text)).toMatch(/,sid=0x[0-9a-f]+,lop=EXIS,est=\d+,to=6000,lcxid=0x4,lzxid=0x3,lresp=\d+,/);
  });

  it('wchs, wchc and wchp report the data watches as ZooKeeper does', async () => {
    const [mine, apache] = await both('wchs');
    expect(mine).toBe('1 connections watching 2 paths\nTotal watches:2\n');
    expect(mine).toBe(apache);
    const sid = (side: Side): string => `0x${BigInt.asUintN(64, side.client.sessionId).toString(16)}`;
    const anonymize = (text: string, side: Side): string => text.replaceAll(sid(side), '<sid>');
    const [mineC, apacheC] = await both('wchc');
    expect(anonymize(mineC, ours)).toBe(anonymize(apacheC, theirs));
    const [mineP, apacheP] = await both('wchp');
    expect(anonymize(mineP, ours)).toBe(anonymize(apacheP, theirs));
  });

  it('mntr: ZooKeeper keys, with the same values for the same state', async () => {
    const [mine, apache] = await both('mntr');
    const table = (text: string): Map<string, string> => new Map(text.split('\n').filter(Boolean).map((line) => line.split('\t') as [string, string]));
    const m = table(mine);
    const a = table(apache);
    for (const key of m.keys()) expect(a.has(key), key).toBe(true);
    for (const key of [
      'zk_server_state',
      'zk_znode_count',
      'zk_ephemerals_count',
      'zk_watch_count',
      'zk_global_sessions',
      'zk_num_alive_connections',
      'zk_outstanding_requests',
      'zk_approximate_data_size',
    ]) {
      expect([key, m.get(key)]).toEqual([key, a.get(key)]);
    }
  });

  it('conf: the same keys in the same order, the same settings', async () => {
    const [mine, apache] = await both('conf');
    expect(keys(mine, '=')).toEqual(keys(apache, '='));
    for (const key of ['tickTime', 'maxClientCnxns', 'minSessionTimeout', 'maxSessionTimeout', 'secureClientPort', 'clientPortListenBacklog']) {
      expect([key, value(mine, key, '=')]).toEqual([key, value(apache, key, '=')]);
    }
    expect(value(mine, 'clientPort', '=')).toBe(String(ours.target.tcpPort));
  });

  it('envi and dirs have ZooKeeper’s shape', async () => {
    const [mine, apache] = await both('envi');
    expect(mine.split('\n')[0]).toBe('Environment:');
    const shared = ['zookeeper.version', 'host.name', 'os.name', 'os.arch', 'os.version', 'user.name', 'user.home', 'user.dir'];
    for (const key of shared) {
      expect(keys(mine, '=')).toContain(key);
      expect(keys(apache, '=')).toContain(key);
    }
    const [mineDirs, apacheDirs] = await both('dirs');
    expect(keys(mineDirs, ': ')).toEqual(keys(apacheDirs, ': '));
  });

  it('dump lists sessions by expiry, ephemerals by session, and connections', async () => {
    const [mine, apache] = await both('dump');
    const headings = (text: string): string[] => text.split('\n').filter((line) => /^[A-Z]/.test(line)).map((line) => line.replace(/\(\d+\)/g, '(n)'));
    expect(headings(mine)).toEqual(headings(apache));
    expect(mine).toContain(`0x${BigInt.asUintN(64, ours.client.sessionId).toString(16)}:\n\t/app/eph\n`);
  });

  it('refuses known words left out of the whitelist, and treats other letters as a frame length', async () => {
    expect(await both('crst')).toEqual(['crst is not executed because it is not in the whitelist.\n', 'crst is not executed because it is not in the whitelist.\n']);
    expect(await both('gtmk')).toEqual(['gtmk is not executed because it is not in the whitelist.\n', 'gtmk is not executed because it is not in the whitelist.\n']);
    // "abcd" as a length is far above the frame limit: the server closes without a word.
    expect(await both('abcd')).toEqual(['', '']);
  });

  it('answers a word that arrives one byte at a time', async () => {
    const socket = connect({ host: '127.0.0.1', port: ours.target.tcpPort });
    socket.setNoDelay(true);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await new Promise((resolve) => socket.once('connect', resolve));
    for (const letter of 'ruok') {
      await new Promise<void>((resolve) => socket.write(letter, () => resolve()));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await closed;
    expect(Buffer.concat(chunks).toString()).toBe('imok');
  });

  it('conf and dirs report the data directory and its size', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'zkts-4lw-'));
    const durable = await startZkts({ dataDir });
    try {
      const client = await NzkClient.connect(durable.connectString);
      await client.create('/stored', Buffer.from('x'.repeat(100)));
      await client.close();
      const conf = await durable.fourLetterWord('conf');
      expect(value(conf, 'dataDir', '=')).toBe(dataDir);
      expect(value(conf, 'dataLogDir', '=')).toBe(dataDir);
      const dirs = await durable.fourLetterWord('dirs');
      expect(Number(value(dirs, 'datadir_size'))).toBeGreaterThan(100);
      expect(value(dirs, 'logdir_size')).toBe(value(dirs, 'datadir_size'));
    } finally {
      await durable.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
