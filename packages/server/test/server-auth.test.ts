/**
 * addAuth and the identities a connection holds, compared with Apache ZooKeeper on the same raw
 * frames: which schemes authenticate, what whoAmI lists and in which order, how `auth` ACL
 * entries expand, and the superuser.
 */
import { OpCode, Perms, SpecialXid } from '@zkts/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDigest } from '../src/auth/auth-providers.js';
import { RawConnection } from './support/raw-client.js';
import { startApache, startZkts, type Target } from './support/targets.js';

const SUPER = 'super:admin-secret';
const text = (value: string): Uint8Array => new TextEncoder().encode(value);

async function addAuth(connection: RawConnection, scheme: string, auth: string): Promise<string> {
  const reply = await connection.reply(connection.send(OpCode.auth, { type: 0, scheme, auth: text(auth) }, SpecialXid.AUTH));
  return `err ${reply.header.err}, zxid ${reply.header.zxid}`;
}

async function whoAmI(connection: RawConnection): Promise<string[]> {
  const reply = await connection.call(OpCode.whoAmI);
  return (reply.body as { clientInfo: { authScheme: string; user: string }[] }).clientInfo.map((info) => `${info.authScheme}:${info.user}`);
}

describe('authentication', () => {
  let zkts: Target;
  let apache: Target;

  beforeAll(async () => {
    [zkts, apache] = await Promise.all([
      startZkts({ superDigest: generateDigest(SUPER) }),
      startApache({ extraConfig: { 'DigestAuthenticationProvider.superDigest': generateDigest(SUPER) } }),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled([zkts?.stop(), apache?.stop()]);
  });

  /** Runs `scenario` on both servers and expects the same transcript. */
  async function same(scenario: (target: Target) => Promise<unknown>): Promise<unknown> {
    const ours = await scenario(zkts);
    const theirs = await scenario(apache);
    expect(ours).toEqual(theirs);
    return ours;
  }

  it('accepts digest (any text) and ip, answers with zxid 0, and lists identities in ZooKeeper’s order', async () => {
    const transcript = await same(async (target) => {
      const { connection } = await RawConnection.session(target.tcpPort);
      await connection.call(OpCode.create, { path: `/auth-${Math.random()}`.replace('.', ''), data: null, acl: [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }], flags: 1 });
      const lines = [
        await whoAmI(connection),
        await addAuth(connection, 'digest', 'bob:pw'),
        await addAuth(connection, 'digest', 'no-colon-at-all'),
        await addAuth(connection, 'digest', 'carol:x'),
        await addAuth(connection, 'ip', 'ignored'),
        await addAuth(connection, 'digest', 'bob:pw'),
        await whoAmI(connection),
      ];
      await connection.destroy();
      return lines;
    });
    expect(transcript).toContainEqual('err 0, zxid 0');
  });

  it('expands an auth ACL entry to the authenticated ids, in the same order', async () => {
    await same(async (target) => {
      const { connection } = await RawConnection.session(target.tcpPort);
      await addAuth(connection, 'digest', 'zed:1');
      await addAuth(connection, 'digest', 'amy:2');
      await addAuth(connection, 'digest', 'kim:3');
      const path = `/creator-${target.name}`;
      await connection.call(OpCode.create, { path, data: null, acl: [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }], flags: 0 });
      const reply = await connection.call(OpCode.getACL, { path });
      await connection.call(OpCode.delete, { path, version: -1 });
      await connection.destroy();
      return (reply.body as { acl: { perms: number; id: { scheme: string; id: string } }[] }).acl;
    });
  });

  it('refuses a scheme no provider handles with AUTH_FAILED, then closes the connection', async () => {
    await same(async (target) => {
      const { connection } = await RawConnection.session(target.tcpPort);
      const reply = await addAuth(connection, 'world', 'anyone');
      await connection.closed;
      return reply;
    });
  });

  it('lets the superuser past every ACL', async () => {
    await same(async (target) => {
      const { connection: owner } = await RawConnection.session(target.tcpPort);
      await addAuth(owner, 'digest', 'owner:pw');
      const path = `/locked-${target.name}`;
      await owner.call(OpCode.create, { path, data: text('secret'), acl: [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }], flags: 0 });
      const { connection: admin } = await RawConnection.session(target.tcpPort);
      const before = (await admin.call(OpCode.getData, { path, watch: false })).header.err;
      await addAuth(admin, 'digest', SUPER);
      const after = await admin.call(OpCode.getData, { path, watch: false });
      const ids = await whoAmI(admin);
      const deleted = (await admin.call(OpCode.delete, { path, version: -1 })).header.err;
      await Promise.all([owner.destroy(), admin.destroy()]);
      return [before, after.header.err, new TextDecoder().decode((after.body as { data: Uint8Array }).data), ids, deleted];
    });
  });
});
