/**
 * NodeCache and TreeCache, with persistent watches (where the server has them) and with
 * one-shot watches, following creations, changes and deletions, and rebuilding after a
 * session expires under a managed client.
 */
import { describe, expect, test } from 'vitest';
import { type ZkClient, ZkError } from '@zkts/client';
import { type CacheWatchMode, type ChildData, NodeCache, TreeCache } from '../src/index.js';
import { eventually, stateReached, useTarget } from './support/harness.js';
import { targetKinds } from './support/targets.js';

const text = (node: ChildData | undefined): string | undefined => (node?.data == null ? undefined : new TextDecoder().decode(node.data));

/** The subtree under `root` as the server has it, path → data. */
async function serverTree(client: ZkClient, root: string): Promise<Map<string, string>> {
  const tree = new Map<string, string>();
  const visit = async (path: string): Promise<void> => {
    const { data } = await client.getData(path);
    tree.set(path, new TextDecoder().decode(data ?? new Uint8Array()));
    for (const child of (await client.getChildren(path)).sort()) await visit(`${path}/${child}`);
  };
  await visit(root);
  return tree;
}

function cacheTree(cache: TreeCache): Map<string, string> {
  return new Map([...cache.entries()].map(([path, node]) => [path, text(node) ?? '']));
}

describe.each(targetKinds)('caches on %s', (kind) => {
  const zk = useTarget(kind);

  test('auto mode falls back to one-shot watches when the server answers addWatch with UNIMPLEMENTED', async () => {
    const root = zk.path('tree-fallback');
    const writer = await zk.client();
    const real = await zk.client();
    // A server before 3.6 answers addWatch this way.
    const oldServer = new Proxy(real, {
      get(target, property) {
        if (property === 'addWatch') return () => Promise.reject(new ZkError('UNIMPLEMENTED'));
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const cache = new TreeCache(oldServer, root);
    await cache.start();
    expect(cache.usesPersistentWatch).toBe(false);
    await writer.create(root, 'r');
    await writer.create(`${root}/child`, 'c');
    await eventually('followed with one-shot watches', () => text(cache.get(`${root}/child`)) === 'c');
    const strict = new NodeCache(oldServer, root, { watchMode: 'persistent' });
    await expect(strict.start()).rejects.toMatchObject({ code: 'UNIMPLEMENTED' });
    await cache.close();
  });

  for (const mode of ['persistent', 'one-shot'] as const satisfies readonly CacheWatchMode[]) {
    describe(`${mode} watches`, () => {
      const skip = (): boolean => mode === 'persistent' && !zk.target.supportsPersistentWatches;

      test('NodeCache follows creation, changes and deletion', async (context) => {
        if (skip()) context.skip('the server does not answer addWatch');
        const path = zk.path(`node-${mode}`);
        const client = await zk.client();
        const cache = new NodeCache(await zk.client(), path, { watchMode: mode === 'persistent' ? 'auto' : 'one-shot' });
        const seen: (string | undefined)[] = [];
        cache.on('nodeChanged', (node) => seen.push(node === undefined ? undefined : text(node)));
        await cache.start();
        expect(cache.usesPersistentWatch).toBe(mode === 'persistent');
        expect(cache.current).toBeUndefined();
        await client.create(path, 'one');
        await eventually('created', () => text(cache.current) === 'one');
        await client.setData(path, 'two');
        await eventually('changed', () => text(cache.current) === 'two');
        await client.delete(path);
        await eventually('deleted', () => cache.current === undefined);
        await client.create(path, 'three');
        await eventually('re-created', () => text(cache.current) === 'three');
        expect(seen).toEqual(['one', 'two', undefined, 'three']);
        await cache.close();
      });

      test('TreeCache loads a subtree and follows nested creations, changes and deletions', async (context) => {
        if (skip()) context.skip('the server does not answer addWatch');
        const root = zk.path(`tree-${mode}`);
        const client = await zk.client();
        await client.create(root, 'r');
        await client.create(`${root}/a`, 'a');
        await client.create(`${root}/a/x`, 'ax');
        const cache = new TreeCache(await zk.client(), root, { watchMode: mode === 'persistent' ? 'auto' : 'one-shot' });
        const events: string[] = [];
        cache.on('nodeAdded', (node) => events.push(`+${node.path.slice(root.length) || '/'}`));
        cache.on('nodeUpdated', (node) => events.push(`~${node.path.slice(root.length)}=${text(node)}`));
        cache.on('nodeRemoved', (node) => events.push(`-${node.path.slice(root.length)}`));
        const initialized = new Promise<void>((resolve) => cache.once('initialized', resolve));
        await cache.start();
        await initialized;
        expect(cache.usesPersistentWatch).toBe(mode === 'persistent');
        expect(events).toEqual(['+/', '+/a', '+/a/x']);
        expect(cache.children(root)).toEqual(['a']);

        await client.create(`${root}/b`, 'b');
        await client.create(`${root}/b/y`, 'by');
        await client.create(`${root}/b/y/z`, 'byz');
        await client.setData(`${root}/a/x`, 'ax2');
        // Deleting at once could (rightly) hide the change: the cache re-reads a node it is told changed.
        await eventually('change seen', () => text(cache.get(`${root}/a/x`)) === 'ax2');
        await client.deleteRecursive(`${root}/a`);
        await eventually('tree converged', async () => JSON.stringify([...cacheTree(cache)].sort()) === JSON.stringify([...(await serverTree(client, root))].sort()));
        expect(events).toEqual(['+/', '+/a', '+/a/x', '+/b', '+/b/y', '+/b/y/z', '~/a/x=ax2', '-/a/x', '-/a']);
        expect(cache.children(root)).toEqual(['b']);
        await cache.close();
      });

      test('TreeCache under a managed client rebuilds after its session expires', async (context) => {
        if (skip()) context.skip('the server does not answer addWatch');
        const root = zk.path(`tree-expire-${mode}`);
        const client = await zk.client();
        await client.create(root, 'r');
        await client.create(`${root}/keep`, 'k');
        const managed = await zk.managed();
        const cache = new TreeCache(managed, root, { watchMode: mode === 'persistent' ? 'auto' : 'one-shot' });
        await cache.start();
        const lost = stateReached(managed, 'LOST');
        await zk.target.killSession(managed.client);
        await lost;
        // Changed while the old session is dead and before the new one watches.
        await client.create(`${root}/added`, 'new');
        await client.delete(`${root}/keep`);
        await eventually('rebuilt', () => cache.get(`${root}/added`) !== undefined && cache.get(`${root}/keep`) === undefined);
        // And the new session's watch works.
        await client.setData(`${root}/added`, 'newer');
        await eventually('followed', () => text(cache.get(`${root}/added`)) === 'newer');
        await cache.close();
      });
    });
  }
});
