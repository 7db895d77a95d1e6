/**
 * The WebSocket port: the same ZooKeeper frames, one per binary message and without the TCP
 * length prefix. A raw `ws` client builds frames with `@zkts/protocol`.
 */
import {
  decodeConnectResponse,
  decodeResponse,
  encodeConnectRequest,
  encodeRequest,
  EventType,
  OpCode,
  Perms,
  type ConnectResponse,
  type DecodedResponse,
} from '@zkts/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { NzkClient } from './support/nzk.js';
import { RawConnection } from './support/raw-client.js';
import { startZkts, type Target } from './support/targets.js';

const OPEN_ACL = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];

/** A ZooKeeper session over one WebSocket. */
class WsSession {
  private readonly messages: Uint8Array[] = [];
  private waiters: ((message: Uint8Array) => void)[] = [];
  private readonly ops = new Map<number, number>();
  private nextXid = 1;
  readonly closed: Promise<number>;

  private constructor(private readonly socket: WebSocket) {
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      expect(isBinary).toBe(true);
      const message = new Uint8Array(data);
      const waiter = this.waiters.shift();
      if (waiter !== undefined) waiter(message);
      else this.messages.push(message);
    });
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve(code)));
  }

  static async open(url: string): Promise<WsSession> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return new WsSession(socket);
  }

  private next(): Promise<Uint8Array> {
    const message = this.messages.shift();
    if (message !== undefined) return Promise.resolve(message);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async connect(request: { sessionId?: bigint; passwd?: Uint8Array } = {}): Promise<ConnectResponse> {
    this.socket.send(
      encodeConnectRequest({
        protocolVersion: 0,
        lastZxidSeen: 0n,
        timeOut: 10_000,
        sessionId: request.sessionId ?? 0n,
        passwd: request.passwd ?? new Uint8Array(16),
        readOnly: false,
      }),
    );
    return decodeConnectResponse(await this.next());
  }

  /** Sends a request; resolves with every frame up to and including its reply (notifications first). */
  async call(type: number, body?: unknown): Promise<DecodedResponse[]> {
    const xid = this.nextXid++;
    this.ops.set(xid, type);
    this.socket.send(encodeRequest({ xid, type }, body as never));
    const frames: DecodedResponse[] = [];
    for (;;) {
      const frame = decodeResponse(await this.next(), (x) => this.ops.get(x));
      frames.push(frame);
      if (frame.kind === 'response' && frame.header.xid === xid) return frames;
    }
  }

  /** The next frame, decoded (a notification here). */
  async nextFrame(): Promise<DecodedResponse> {
    return decodeResponse(await this.next(), (x) => this.ops.get(x));
  }

  close(): void {
    this.socket.close();
  }
}

function reply(frames: DecodedResponse[]): Extract<DecodedResponse, { kind: 'response' }> {
  const last = frames[frames.length - 1];
  if (last?.kind !== 'response') throw new Error('no reply');
  return last;
}

describe('WebSocket transport', () => {
  let target: Target;
  let url: string;
  let tcpClient: NzkClient;

  beforeAll(async () => {
    target = await startZkts({ tickTimeMs: 500 });
    url = target.server!.wsUrl!;
    tcpClient = await NzkClient.connect(target.connectString);
  });

  afterAll(async () => {
    await tcpClient?.close();
    await target?.stop();
  });

  it('creates, reads and watches through binary messages, alongside TCP clients', async () => {
    const ws = await WsSession.open(url);
    const connected = await ws.connect();
    expect(connected.timeOut).toBe(10_000);
    expect(connected.sessionId).not.toBe(0n);

    const created = reply(await ws.call(OpCode.create, { path: '/ws', data: new TextEncoder().encode('hello'), acl: OPEN_ACL, flags: 0 }));
    expect(created.header.err).toBe(0);
    expect(created.body).toEqual({ path: '/ws' });
    const read = reply(await ws.call(OpCode.getData, { path: '/ws', watch: true }));
    expect(new TextDecoder().decode((read.body as { data: Uint8Array }).data)).toBe('hello');

    // A TCP client changes the node; the WebSocket session's watch fires.
    await tcpClient.setData('/ws', Buffer.from('changed'));
    const event = await ws.nextFrame();
    expect(event).toMatchObject({ kind: 'notification', event: { type: EventType.NodeDataChanged, state: 3, path: '/ws' } });
    expect(event.header.zxid).toBe(-1n);

    const reread = reply(await ws.call(OpCode.getData, { path: '/ws', watch: false }));
    expect(new TextDecoder().decode((reread.body as { data: Uint8Array }).data)).toBe('changed');
    expect(reply(await ws.call(OpCode.getData, { path: '/missing', watch: false })).header.err).toBe(-101);

    // Ephemeral nodes of a WebSocket session go when it closes.
    expect(reply(await ws.call(OpCode.create, { path: '/ws-eph', data: null, acl: OPEN_ACL, flags: 1 })).header.err).toBe(0);
    expect(reply(await ws.call(OpCode.closeSession)).header.err).toBe(0);
    await ws.closed;
    expect(await tcpClient.exists('/ws-eph')).toBeNull();
  });

  it('lets a session opened over WebSocket resume over TCP', async () => {
    const ws = await WsSession.open(url);
    const { sessionId, passwd } = await ws.connect();
    expect(reply(await ws.call(OpCode.create, { path: '/ws-moving', data: null, acl: OPEN_ACL, flags: 1 })).header.err).toBe(0);
    // The client moves: ZooKeeper closes the old connection of the session.
    const { connection, response } = await RawConnection.session(target.tcpPort, { sessionId, passwd, timeOut: 10_000 });
    expect(response.sessionId).toBe(sessionId);
    await ws.closed;
    expect((await tcpClient.exists('/ws-moving'))?.ephemeralOwner.readBigInt64BE(0)).toBe(sessionId);
    await connection.call(OpCode.closeSession);
    await connection.closed;
    expect(await tcpClient.exists('/ws-moving')).toBeNull();
  });
});
