import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ZkClient, ZkError, connect } from '@zkts/client';
import { ZkServer } from '@zkts/server';
import { HistoryRecorder, checkHistory } from '../src/index.js';

let server: ZkServer;
const clients: ZkClient[] = [];

beforeAll(async () => {
  server = new ZkServer({ tcpPort: 0, wsPort: null, host: '127.0.0.1' });
  await server.start();
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server.stop();
});

async function newClient(): Promise<ZkClient> {
  const client = await connect(server.connectString);
  clients.push(client);
  return client;
}

describe('HistoryRecorder', () => {
  test('records answers, definite errors and unanswered calls from real clients, and the history checks out', async () => {
    const recorder = new HistoryRecorder();
    const a = recorder.wrap(await newClient(), 'a');
    const b = recorder.wrap(await newClient(), 'b');

    expect(await a.create('/reg', 'v0')).toBe('/reg');
    await expect(b.create('/reg', 'other')).rejects.toMatchObject({ code: 'NODE_EXISTS' });
    expect((await b.setData('/reg', 'v1', 0)).version).toBe(1);
    await expect(a.setData('/reg', 'stale', 0)).rejects.toMatchObject({ code: 'BAD_VERSION' });
    await a.sync('/');
    const { data, stat } = await a.getData('/reg');
    expect(new TextDecoder().decode(data!)).toBe('v1');
    expect(stat.version).toBe(1);
    await a.delete('/reg', 1);
    await expect(b.getData('/reg')).rejects.toBeInstanceOf(ZkError);
    // A call the caller stops waiting for has an unknown fate.
    await expect(a.setData('/reg', 'gone', -1, { signal: AbortSignal.abort() })).rejects.toBeDefined();

    const history = recorder.history();
    expect(history.map((o) => [o.clientId, o.op.type, o.outcome.status])).toEqual([
      ['a', 'create', 'ok'],
      ['b', 'create', 'error'],
      ['b', 'setData', 'ok'],
      ['a', 'setData', 'error'],
      ['a', 'sync', 'ok'],
      ['a', 'getData', 'ok'],
      ['a', 'delete', 'ok'],
      ['b', 'getData', 'error'],
      ['a', 'setData', 'indeterminate'],
    ]);
    expect(history[1]!.outcome).toEqual({ status: 'error', code: 'NODE_EXISTS' });
    expect(history[5]!.outcome).toMatchObject({ status: 'ok', value: 'v1', version: 1 });
    expect(history[0]!.outcome).toMatchObject({ status: 'ok', czxid: expect.any(Number) });
    expect(history[8]!.responseMs).toBe(Infinity);
    for (let i = 1; i < 8; i++) expect(history[i]!.invokeMs).toBeGreaterThanOrEqual(history[i - 1]!.responseMs);
    expect(checkHistory(history)).toEqual({ ok: true, pathsChecked: 1 });

    // A doctored copy, with the final read seeing the write that failed, is rejected.
    const doctored = history.map((o, i) => (i === 5 ? { ...o, outcome: { status: 'ok' as const, value: 'stale', version: 1 } } : o));
    expect(checkHistory(doctored).ok).toBe(false);
  });

  test('calls still in flight are in the history as indeterminate', async () => {
    const recorder = new HistoryRecorder();
    const c = recorder.wrap(await newClient(), 'c');
    const pending = c.create('/in-flight', 'x');
    expect(recorder.size).toBe(1);
    expect(recorder.history()).toMatchObject([{ clientId: 'c', op: { type: 'create' }, outcome: { status: 'indeterminate' }, responseMs: Infinity }]);
    await pending;
    expect(recorder.history()).toMatchObject([{ outcome: { status: 'ok' } }]);
  });
});
