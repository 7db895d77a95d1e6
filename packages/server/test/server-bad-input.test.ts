/**
 * Bad input costs only the connection that sent it, and gets ZooKeeper's answer. Each case sends
 * the same raw bytes to zkts and to Apache ZooKeeper and expects the same observable outcome; in
 * between, a well-behaved client on zkts keeps working and the server keeps serving.
 */
import { encodeConnectRequest, encodeRequest, OpCode, Perms } from '@zkts/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { NzkClient } from './support/nzk.js';
import { RawConnection } from './support/raw-client.js';
import { startApache, startZkts, type Target } from './support/targets.js';

const OPEN_ACL = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
const MAX_FRAME_BYTES = 0xfffff;

/** What a client can observe after a bad request: the reply's error code, then whether the connection still serves. */
async function outcome(connection: RawConnection, xid: number): Promise<string> {
  let reply: string;
  try {
    const { header } = await connection.reply(xid);
    reply = `err ${header.err}`;
  } catch {
    return 'closed';
  }
  try {
    const probe = await connection.call(OpCode.exists, { path: '/', watch: false });
    return `${reply}, then ${probe.header.err === 0 ? 'open' : `err ${probe.header.err}`}`;
  } catch {
    return `${reply}, then closed`;
  }
}

/** Sends a raw request frame after the handshake and reports the outcome. */
async function sendRaw(port: number, xid: number, bytes: number[]): Promise<string> {
  const { connection } = await RawConnection.session(port);
  try {
    connection.expectReply(xid, OpCode.exists);
    connection.sendFrame(new Uint8Array(bytes));
    return await outcome(connection, xid);
  } finally {
    await connection.destroy();
  }
}

/** Sends one well-formed request and reports the outcome. */
async function sendRequest(port: number, type: number, body: unknown): Promise<string> {
  const { connection } = await RawConnection.session(port);
  try {
    return await outcome(connection, connection.send(type, body));
  } finally {
    await connection.destroy();
  }
}

/** Sends a first frame (instead of a connect request) and reports whether the server answered before closing. */
async function firstFrame(port: number, bytes: Uint8Array, prefixed = true): Promise<string> {
  const connection = await RawConnection.open(port);
  try {
    if (prefixed) connection.sendFrame(bytes);
    else connection.writeBytes(bytes);
    const answer = await connection.nextFrame().then(
      (frame) => `answered ${frame.length} bytes`,
      () => 'closed',
    );
    await connection.closed;
    return answer;
  } finally {
    await connection.destroy();
  }
}

const int32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

interface Case {
  name: string;
  run: (port: number) => Promise<string>;
  expected: string;
  /** Why this case is not compared with Apache ZooKeeper, when it is not. */
  zktsOnly?: string;
}

const cases: Case[] = [
  { name: 'a frame too short for a request header', run: (port) => sendRaw(port, 7, [0, 0, 7]), expected: 'closed' },
  {
    name: 'a length prefix above maxFrameBytes',
    run: async (port) => {
      const { connection } = await RawConnection.session(port);
      connection.writeBytes(new Uint8Array([...int32(MAX_FRAME_BYTES + 1), 0, 0, 0, 1, 0, 0, 0, 3]));
      await connection.closed;
      return 'closed';
    },
    expected: 'closed',
  },
  {
    name: 'setData of an invalid path (/a//b)',
    run: (port) => sendRequest(port, OpCode.setData, { path: '/a//b', data: null, version: -1 }),
    expected: 'err -8, then open',
  },
  {
    name: 'delete of an invalid path (/a/)',
    run: (port) => sendRequest(port, OpCode.delete, { path: '/a/', version: -1 }),
    expected: 'err -101, then open',
  },
  {
    name: 'create of a relative path (a/b): its parent "a" does not exist',
    run: (port) => sendRequest(port, OpCode.create, { path: 'a/b', data: null, acl: OPEN_ACL, flags: 0 }),
    expected: 'err -101, then open',
  },
  {
    name: 'create of a path with a relative name (/.)',
    run: (port) => sendRequest(port, OpCode.create, { path: '/.', data: null, acl: OPEN_ACL, flags: 0 }),
    expected: 'err -8, then open',
  },
  {
    name: 'getData of a relative path',
    run: (port) => sendRequest(port, OpCode.getData, { path: 'a', watch: false }),
    expected: 'err -101, then open',
  },
  { name: 'an exists request with no body', run: (port) => sendRaw(port, 7, [...int32(7), ...int32(OpCode.exists)]), expected: 'err -5, then open' },
  {
    name: 'a create whose path length runs past the frame',
    run: (port) => sendRaw(port, 7, [...int32(7), ...int32(OpCode.create), ...int32(200), 0x2f]),
    expected: 'err -5, then open',
  },
  { name: 'an unknown op code', run: (port) => sendRaw(port, 7, [...int32(7), ...int32(50)]), expected: 'err -6, then closed' },
  { name: 'op code 0 (notification)', run: (port) => sendRaw(port, 7, [...int32(7), ...int32(0)]), expected: 'err -6, then closed' },
  {
    name: 'a check outside a multi (ZooKeeper cannot serialize its reply)',
    run: async (port) => {
      const { connection } = await RawConnection.session(port);
      await connection.call(OpCode.create, { path: '/checked', data: null, acl: OPEN_ACL, flags: 0 }).catch(() => undefined);
      const result = await outcome(connection, connection.send(OpCode.check, { path: '/checked', version: -1 }));
      await connection.destroy();
      return result;
    },
    expected: 'closed',
    zktsOnly:
      'ZooKeeper hits a NullPointerException serializing the reply and leaves the connection stalled, unanswered, until the session expires; zkts closes it at once',
  },
  {
    name: 'a multi holding a read op',
    run: (port) => sendRequest(port, OpCode.multi, { ops: [{ type: OpCode.getData, body: { path: '/', watch: false } }] }),
    expected: 'err -5, then open',
  },
  { name: 'a first frame that is not a connect request', run: (port) => firstFrame(port, new Uint8Array([1, 2, 3])), expected: 'closed' },
  {
    name: 'a request instead of a connect request',
    run: (port) => firstFrame(port, encodeRequest({ xid: 1, type: OpCode.getData }, { path: '/zookeeper', watch: false })),
    expected: 'closed',
  },
  {
    name: 'four letters that are no four-letter word',
    run: (port) => firstFrame(port, new TextEncoder().encode('xyzw'), false),
    expected: 'closed',
  },
  {
    name: 'a connect request for an unknown session',
    run: async (port) => {
      const connection = await RawConnection.open(port);
      const response = await connection.handshake({ sessionId: 0x7abcdef012345n, passwd: new Uint8Array(16).fill(9) });
      await connection.closed;
      return `timeOut ${response.timeOut}, sessionId ${response.sessionId}, then closed`;
    },
    expected: 'timeOut 0, sessionId 0, then closed',
  },
  {
    name: 'a connect request claiming a zxid the server has not reached',
    run: (port) =>
      firstFrame(
        port,
        encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 1n << 40n, timeOut: 10_000, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false }),
      ),
    expected: 'closed',
  },
  {
    name: 'a truncated frame, then the client closes',
    run: async (port) => {
      const { connection } = await RawConnection.session(port);
      connection.writeBytes(new Uint8Array([...int32(100), ...int32(1), ...int32(OpCode.getData), 0, 0]));
      await connection.destroy();
      return 'closed by client';
    },
    expected: 'closed by client',
  },
];

describe('bad input', () => {
  let zkts: Target;
  let apache: Target;
  let witness: NzkClient;
  let witnessCount = 0;

  beforeAll(async () => {
    [zkts, apache] = await Promise.all([
      startZkts({ tickTimeMs: 500, sessionlessConnectionTimeoutMs: 300 }),
      startApache({ tickTimeMs: 500 }),
    ]);
    witness = await NzkClient.connect(zkts.connectString, { sessionTimeoutMs: 10_000 });
  });

  afterAll(async () => {
    await witness?.close();
    await Promise.allSettled([zkts?.stop(), apache?.stop()]);
  });

  /** The well-behaved client keeps working between bad inputs (and the server process is still up). */
  async function expectWitnessWorks(): Promise<void> {
    const path = await witness.create(`/witness-${witnessCount++}`, Buffer.from('ok'));
    expect((await witness.getData(path)).data?.toString()).toBe('ok');
  }

  beforeEach(expectWitnessWorks);

  it.each(cases)('$name: as ZooKeeper', async ({ run, expected, zktsOnly }) => {
    const ours = await run(zkts.tcpPort);
    await expectWitnessWorks();
    const theirs = zktsOnly === undefined ? await run(apache.tcpPort) : expected;
    expect({ zkts: ours, apache: theirs }).toEqual({ zkts: expected, apache: expected });
  });

  it('closes a connection that sends no connect request within the sessionless timeout', async () => {
    const connection = await RawConnection.open(zkts.tcpPort);
    const startedAt = Date.now();
    await connection.closed;
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(250);
    await expectWitnessWorks();
  });

  it('closes a WebSocket connection that sends a text message, and only that one', async () => {
    const url = zkts.server!.wsUrl!;
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('create /x');
    expect(await closed).toBe(1003);
    await expectWitnessWorks();
  });

  it('closes a WebSocket connection whose message exceeds maxFrameBytes', async () => {
    const socket = new WebSocket(zkts.server!.wsUrl!);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.on('error', () => undefined);
    socket.send(new Uint8Array(MAX_FRAME_BYTES + 1));
    expect(await closed).toBe(1009);
    await expectWitnessWorks();
  });
});
