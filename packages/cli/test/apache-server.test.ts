/**
 * `zk` against a real Apache ZooKeeper 3.8 server: the shell is a ZooKeeper client like any
 * other, so the same commands give the same output there.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ApacheZooKeeper, startApacheZooKeeper } from '../../../test-support/apache-zookeeper.js';
import { normalize, runShell } from './support/run-shell.js';

let zk: ApacheZooKeeper;

beforeAll(async () => {
  zk = await startApacheZooKeeper();
});

afterAll(async () => {
  await zk?.stop();
});

test('commands, errors and watch events against Apache ZooKeeper', async () => {
  const run = await runShell(['-server', zk.connectString], [
    'sync /',
    'create /apache hello',
    'create /apache',
    'get -s /apache',
    'addWatch /apache',
    'create /apache/kid',
    'set -v 9 /apache x',
    'getAcl /apache',
    'getAllChildrenNumber /apache',
    'deleteall /apache',
    'ls /',
    'quit',
  ]);
  const event = (state: string, type: string, path: string): string => `\nWATCHER::\n\nWatchedEvent state:${state} type:${type} path:${path}\n`;
  expect(normalize(run.stdout)).toMatch(
    new RegExp(
      `^Connecting to ${zk.connectString.replaceAll('.', '\\.')}\\nWelcome to zkts!\\n` +
        escape(event('SyncConnected', 'None', 'null')) +
        'Sync is OK\\nhello\\ncZxid = 0x[0-9a-f]+\\n' +
        escape('ctime = <date>\n') +
        '(.+\\n){8}numChildren = 0\\n' +
        escape(event('SyncConnected', 'NodeCreated', '/apache/kid')) +
        escape("'world,'anyone\n: cdrwa\n1\n") +
        // deleteall removes the kid and the node itself, which the recursive watch reports.
        escape(event('SyncConnected', 'NodeDeleted', '/apache/kid') + event('SyncConnected', 'NodeDeleted', '/apache')) +
        escape('[zookeeper]\n') +
        escape(event('Closed', 'None', 'null')) +
        '$',
    ),
  );
  expect(run.stderr).toBe('Created /apache\nNode already exists: /apache\nCreated /apache/kid\nversion No is not valid : /apache\n');
  expect(run.exitCode).toBe(0);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
