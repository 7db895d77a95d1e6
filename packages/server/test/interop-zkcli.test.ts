/**
 * Apache's own shell, zkCli.sh (ZooKeeperMain, the Java client), against our server. The same
 * session runs against Apache ZooKeeper, and the two transcripts must match line for line once
 * timestamps are blanked: zxids, versions, stats, messages and watch events included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NzkClient } from './support/nzk.js';
import { startApache, startZkts, type Target } from './support/targets.js';
import { ZkCli, type ZkCliResult } from './support/zkcli.js';

/** Runs the scripted session; another client changes /cli while zkCli watches it. */
async function runSession(target: Target): Promise<{ result: ZkCliResult; ephemeralGone: boolean }> {
  const other = await NzkClient.connect(target.connectString, { sessionTimeoutMs: 20_000 });
  const cli = ZkCli.start(target.connectString);
  try {
    await cli.waitForStdout('WatchedEvent state:SyncConnected type:None path:null');
    cli.send('create /cli hello', 'create -e -s /cli/e- data', 'create /cli/p', 'ls -s /cli', 'get -w /cli');
    await cli.waitForStdout('hello');
    await other.setData('/cli', Buffer.from('changed'));
    await cli.waitForStdout('WatchedEvent state:SyncConnected type:NodeDataChanged path:/cli');
    cli.send(
      'get /cli',
      'set -v 1 /cli again',
      'set -v 1 /cli refused',
      'delete /cli/p',
      'delete /cli/nope',
      'create /cli/tree',
      'create /cli/tree/a',
      'create /cli/tree/a/b',
      'deleteall /cli/tree',
      'ls /cli',
      'get -s /cli',
    );
    await cli.waitForStdout('dataVersion = 2');
    const result = await cli.quit();
    // quit closed the session, so its ephemeral node is gone.
    const ephemeralGone = (await other.getChildren('/cli')).children.length === 0;
    return { result, ephemeralGone };
  } catch (error) {
    cli.kill();
    throw error;
  } finally {
    await other.close();
  }
}

/** Blanks what legitimately differs between runs: wall-clock times and the port. */
function normalize(text: string): string {
  return text.replace(/^(ctime|mtime) = .*$/gm, '$1 = <time>').replace(/^Connecting to .*$/m, 'Connecting to <server>');
}

describe('zkCli.sh', () => {
  let zkts: Target;
  let apache: Target;

  beforeAll(async () => {
    [zkts, apache] = await Promise.all([startZkts({ tickTimeMs: 1000 }), startApache({ tickTimeMs: 1000 })]);
  });

  afterAll(async () => {
    await Promise.allSettled([zkts?.stop(), apache?.stop()]);
  });

  it('runs create, ls -s, get -w, set -v, delete and deleteall against zkts as against ZooKeeper', async () => {
    const ours = await runSession(zkts);
    const theirs = await runSession(apache);

    expect(ours.result.exitCode).toBe(0);
    expect(ours.ephemeralGone).toBe(true);
    expect(theirs.ephemeralGone).toBe(true);
    const stdout = normalize(ours.result.stdout);
    // The watch set by `get -w` fired for the other client's change, in zkCli's format.
    expect(stdout).toContain('WATCHER::\n\nWatchedEvent state:SyncConnected type:NodeDataChanged path:/cli\n');
    // ls -s: the children, then the parent's Stat.
    expect(stdout).toMatch(/\[e-0000000000, p\]\ncZxid = 0x3\nctime = <time>\nmZxid = 0x3\n/);
    expect(stdout).toContain('[e-0000000000]\n');
    expect(ours.result.stderr).toContain('Created /cli/e-0000000000');
    expect(ours.result.stderr).toContain('version No is not valid : /cli');
    expect(ours.result.stderr).toContain('Node does not exist: /cli/nope');
    // The whole transcript is ZooKeeper's.
    expect(stdout).toBe(normalize(theirs.result.stdout));
    expect(ours.result.stderr).toBe(theirs.result.stderr);
  });
});
