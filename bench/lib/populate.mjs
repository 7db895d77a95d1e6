// Bulk loading of znodes (multi requests of many creates) and checking that every member has them.
import { ensurePath } from './clients.mjs';
import { monitor, pollUntil } from './net.mjs';

/** Children per parent node, so no single node gets a million children. */
const FANOUT = 1_000;

/** The path of the `index`-th bulk node under `root`. */
export const bulkPath = (root, index) => `${root}/p-${String(Math.floor(index / FANOUT)).padStart(4, '0')}/n-${String(index % FANOUT).padStart(4, '0')}`;

/**
 * Creates nodes `from`..`to`-1 under `root` (and their parents) with `dataBytes` of data each,
 * `batch` creates per multi request and `parallel` requests in flight. Resolves with the number
 * of znodes created (parents included).
 */
export async function populate(session, { root, from = 0, to, dataBytes = 100, batch = 500, parallel = 8, onProgress }) {
  const data = new Uint8Array(dataBytes).fill(9);
  let created = 0;
  const ensure = async (path) => {
    try {
      await session.create(path, new Uint8Array(0), 'PERSISTENT');
      created += 1;
    } catch (error) {
      if (error?.code !== 'NODE_EXISTS') throw error;
    }
  };
  await ensurePath(session, root);
  const firstParent = Math.floor(from / FANOUT);
  const lastParent = Math.floor((to - 1) / FANOUT);
  const parents = [];
  for (let p = firstParent; p <= lastParent; p++) parents.push(`${root}/p-${String(p).padStart(4, '0')}`);
  for (let i = 0; i < parents.length; i += 64) await Promise.all(parents.slice(i, i + 64).map(ensure));
  let next = from;
  const worker = async () => {
    while (next < to) {
      const start = next;
      const end = Math.min(to, start + batch);
      next = end;
      const paths = [];
      for (let i = start; i < end; i++) paths.push(bulkPath(root, i));
      const count = await session.createMany(paths, data);
      created += count; // Not `created += await …`, which would add to a stale value.
      onProgress?.(created);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return created;
}

/** `zk_znode_count` of every member once all report at least `expected` (polls up to `timeoutMs`). */
export async function waitForZnodeCount(cluster, expected, timeoutMs = 120_000) {
  return pollUntil(
    async () => {
      const counts = await Promise.all(cluster.members.map(async (m) => Number((await monitor(m.clientPort))?.get('zk_znode_count') ?? NaN)));
      return counts.every((count) => count >= expected) ? counts : undefined;
    },
    { timeoutMs, intervalMs: 100, description: `every member to hold ${expected} znodes` },
  );
}

/** `zk_znode_count` of one member, or undefined when it does not answer. */
export async function znodeCount(member) {
  const count = Number((await monitor(member.clientPort))?.get('zk_znode_count'));
  return Number.isFinite(count) ? count : undefined;
}
