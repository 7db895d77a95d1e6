/**
 * A client that vanishes without closing its session: its session expires after the negotiated
 * timeout (rounded up to the next tick, as ZooKeeper's expiry buckets do), its ephemeral node is
 * deleted, and another client's watch sees NodeDeleted.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OpCode, Perms } from '@zkts/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../../test-support/poll.js';
import { NzkClient, nzk, watchEvent } from './support/nzk.js';
import { RawConnection } from './support/raw-client.js';
import { startZkts, type Target } from './support/targets.js';

const TICK_MS = 200;
const SESSION_MS = 1000;
const OWNER_SCRIPT = fileURLToPath(new URL('./support/ephemeral-owner.cjs', import.meta.url));

/** Starts the owner process and resolves once its ephemeral node exists. */
async function startOwner(connectString: string, path: string): Promise<{ child: ChildProcessWithoutNullStreams; sessionId: bigint; timeoutMs: number }> {
  const child = spawn(process.execPath, [OWNER_SCRIPT, connectString, path, String(SESSION_MS)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const ready = await new Promise<string>((resolve, reject) => {
    const onData = (text: string): void => {
      output += text;
      const line = /^(ready|error) .*$/m.exec(output)?.[0];
      if (line !== undefined) resolve(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (text: string) => (output += text));
    child.once('exit', (code) => reject(new Error(`owner exited with ${code}: ${output}`)));
  });
  const [word, id, timeout] = ready.split(' ');
  if (word !== 'ready') throw new Error(`owner failed: ${ready}`);
  return { child, sessionId: BigInt.asIntN(64, BigInt(`0x${id}`)), timeoutMs: Number(timeout) };
}

describe('session expiry', () => {
  let target: Target;
  let observer: NzkClient;

  beforeAll(async () => {
    target = await startZkts({ tickTimeMs: TICK_MS });
    observer = await NzkClient.connect(target.connectString, { sessionTimeoutMs: 4000 });
  });

  afterAll(async () => {
    await observer?.close();
    await target?.stop();
  });

  it('deletes the ephemeral node of a SIGKILLed client within timeout + one tick, and fires NodeDeleted', async () => {
    const path = '/owned-by-killed-client';
    const owner = await startOwner(target.connectString, path);
    try {
      expect(owner.timeoutMs).toBe(SESSION_MS);
      const stat = await observer.exists(path);
      expect(stat?.ephemeralOwner.readBigInt64BE(0)).toBe(owner.sessionId);
      const deleted = watchEvent();
      await observer.getData(path, deleted.watcher);

      const exited = new Promise((resolve) => owner.child.once('exit', resolve));
      const killedAt = Date.now();
      owner.child.kill('SIGKILL');
      await exited;

      const event = await deleted.event;
      const goneAfterMs = Date.now() - killedAt;
      expect(event).toMatchObject({ type: nzk.Event.NODE_DELETED, path });
      expect(await observer.exists(path)).toBeNull();
      // The client's last ping touched the session at most timeout/3 before the kill, and expiry
      // waits for the bucket after touch + timeout: never before ~2/3 of the timeout, and no
      // later than timeout + one tick after the kill (plus slack for a loaded machine).
      expect(goneAfterMs).toBeGreaterThanOrEqual((SESSION_MS * 2) / 3 - TICK_MS);
      expect(goneAfterMs).toBeLessThanOrEqual(SESSION_MS + TICK_MS + 1000);
    } finally {
      owner.child.kill('SIGKILL');
    }
  });

  it('expires a session whose client stops sending, even while its TCP connection stays open', async () => {
    // A raw connection that never pings: ZooKeeper expires on silence, not on disconnect.
    const { connection, response } = await RawConnection.session(target.tcpPort, { timeOut: SESSION_MS });
    expect(response.timeOut).toBe(SESSION_MS);
    const open = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
    expect((await connection.call(OpCode.create, { path: '/silent', data: null, acl: open, flags: 1 })).header.err).toBe(0);
    const startedAt = Date.now();
    // The server closes the connection of the session it expired.
    await connection.closed;
    const expiredAfterMs = Date.now() - startedAt;
    expect(expiredAfterMs).toBeGreaterThanOrEqual(SESSION_MS - TICK_MS);
    expect(expiredAfterMs).toBeLessThanOrEqual(SESSION_MS + TICK_MS + 1000);
    await pollUntil(async () => ((await observer.exists('/silent')) === null ? true : undefined), {
      timeoutMs: 1000,
      description: '/silent to be deleted',
    });
  });
});
