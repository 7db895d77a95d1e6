import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connect } from '@zkts/client';
import { type Target, fastClient, startTarget, targetKinds } from './support/targets.js';

describe.each(targetKinds)('smoke %s', (kind) => {
  let target: Target;
  beforeAll(async () => {
    const t0 = Date.now();
    target = await startTarget(kind);
    console.log(kind, 'started in', Date.now() - t0);
  });
  afterAll(async () => target?.stop());
  test('kill session', async () => {
    const a = await connect(target.connectString, fastClient);
    console.log(kind, 'negotiated', a.negotiatedTimeoutMs);
    const events: string[] = [];
    for (const e of ['connected', 'disconnected', 'expired', 'closed'] as const) a.on(e, () => events.push(e));
    await a.create('/e', null, { mode: 'EPHEMERAL' });
    const expired = new Promise((r) => a.once('expired', () => r(undefined)));
    const t0 = Date.now();
    await target.killSession(a);
    await expired;
    console.log(kind, events, Date.now() - t0);
    const b = await connect(target.connectString, fastClient);
    expect(await b.exists('/e')).toBeNull();
    try { await b.addWatch('/x', () => {}, 'PERSISTENT_RECURSIVE'); console.log('addWatch ok'); } catch (e) { console.log('addWatch', e); }
    await b.close();
  });
});
