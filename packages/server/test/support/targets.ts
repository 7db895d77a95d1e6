/**
 * The servers a test can run against: zkts, or Apache ZooKeeper through the harness, behind one
 * shape so that the same scenario checks both (and so proves its expectations are ZooKeeper's).
 * @module
 */
import { startApacheZooKeeper } from '../../../../test-support/apache-zookeeper.js';
import { fourLetterWord } from '../../../../test-support/four-letter-word.js';
import { ZkServer } from '../../src/zk-server.js';
import type { ZkServerOptions } from '../../src/server-options.js';

/** A running server under test. */
export interface Target {
  readonly name: 'zkts' | 'apache';
  readonly host: string;
  readonly tcpPort: number;
  readonly connectString: string;
  /** The zkts server, when the target is zkts. */
  readonly server: ZkServer | undefined;
  fourLetterWord(word: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts a zkts server on free loopback ports. */
export async function startZkts(options: ZkServerOptions = {}): Promise<Target> {
  const server = new ZkServer({ tcpPort: 0, wsPort: 0, ...options });
  await server.start();
  return {
    name: 'zkts',
    host: '127.0.0.1',
    tcpPort: server.tcpPort,
    connectString: server.connectString,
    server,
    fourLetterWord: (word) => fourLetterWord('127.0.0.1', server.tcpPort, word),
    stop: () => server.stop(),
  };
}

/** Starts Apache ZooKeeper 3.8 (standalone) with the same session limits. */
export async function startApache(
  options: { tickTimeMs?: number; minSessionTimeoutMs?: number; maxSessionTimeoutMs?: number; extraConfig?: Record<string, string> } = {},
): Promise<Target> {
  const tickTimeMs = options.tickTimeMs ?? 2000;
  const zk = await startApacheZooKeeper({
    tickTimeMs,
    minSessionTimeoutMs: options.minSessionTimeoutMs ?? 2 * tickTimeMs,
    maxSessionTimeoutMs: options.maxSessionTimeoutMs ?? 20 * tickTimeMs,
    ...(options.extraConfig === undefined ? {} : { extraConfig: options.extraConfig }),
  });
  const server = zk.servers[0]!;
  return {
    name: 'apache',
    host: server.host,
    tcpPort: server.clientPort,
    connectString: server.connectString,
    server: undefined,
    fourLetterWord: (word) => server.fourLetterWord(word),
    stop: () => zk.stop(),
  };
}
