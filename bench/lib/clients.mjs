// One small promise API over the three ways the benchmark talks to a server, so every workload
// runs unchanged on each: @zkts/client over TCP, @zkts/client over WebSocket (zkts only), and
// node-zookeeper-client (a third-party client, to tell client cost from server cost).
// Each call checks what it got back and throws when the answer is not the expected one.
import zookeeper from 'node-zookeeper-client';
import { connect, createClient } from '../../packages/client/dist/index.js';
import { HOST } from './net.mjs';

/** The client kinds, in report order. */
export const CLIENT_KINDS = ['tcp', 'ws', 'nzk'];

/** How each kind is shown in reports. */
export const CLIENT_LABELS = { tcp: '@zkts/client TCP', ws: '@zkts/client WebSocket', nzk: 'node-zookeeper-client' };

const SESSION_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 20_000;

/**
 * The connect string for a session: one member (`memberIndex`), so sessions spread over the
 * members the same way on both targets, or every member (failover) when it is undefined.
 */
function endpoints(cluster, kind, memberIndex) {
  const members = memberIndex === undefined ? cluster.members : [cluster.members[memberIndex % cluster.members.length]];
  if (kind === 'ws') return members.map((m) => `ws://${HOST}:${m.wsPort}/`).join(',');
  return members.map((m) => `${HOST}:${m.clientPort}`).join(',');
}

/** Opens a session of `kind` and resolves once it is connected. */
export function openSession(kind, cluster, { memberIndex, seed = 1 } = {}) {
  if (kind === 'nzk') return openNodeZookeeperClient(endpoints(cluster, kind, memberIndex));
  if (kind === 'ws' && !cluster.target.supportsWebSocket) throw new Error(`${cluster.target.label} has no WebSocket port`);
  return openZktsClient(endpoints(cluster, kind, memberIndex), seed);
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function openZktsClient(connectString, seed) {
  const client = await connect(
    connectString,
    // Quick reconnects so failover measures the servers, not the client's back-off.
    { sessionTimeoutMs: SESSION_TIMEOUT_MS, randomSeed: seed, reconnectDelayMaxMs: 20, spinDelayMs: 50 },
    { timeoutMs: CONNECT_TIMEOUT_MS },
  );
  return {
    raw: client,
    async create(path, data, mode) {
      const created = await client.create(path, data, { mode });
      expect(typeof created === 'string' && created.startsWith(path), `create ${path} returned ${created}`);
      return created;
    },
    async setData(path, data) {
      const stat = await client.setData(path, data);
      expect(stat.dataLength === data.length, `setData ${path}: dataLength ${stat.dataLength}`);
      return stat.version;
    },
    async getData(path, watcher) {
      const { data } = await client.getData(path, watcher);
      expect(data !== null, `getData ${path} returned no data`);
      return data;
    },
    async exists(path) {
      const stat = await client.exists(path);
      expect(stat !== null, `exists ${path} returned null`);
      return stat;
    },
    async delete(path) {
      await client.delete(path);
    },
    async getChildren(path) {
      return client.getChildren(path);
    },
    /** Creates many persistent nodes in one multi; resolves with how many were created. */
    async createMany(paths, data) {
      const results = await client.multi(paths.map((path) => ({ type: 'create', path, data })));
      expect(results.length === paths.length, `multi created ${results.length} of ${paths.length}`);
      return results.length;
    },
    close: () => client.close(),
  };
}

const nzkModes = {
  PERSISTENT: zookeeper.CreateMode.PERSISTENT,
  PERSISTENT_SEQUENTIAL: zookeeper.CreateMode.PERSISTENT_SEQUENTIAL,
  EPHEMERAL: zookeeper.CreateMode.EPHEMERAL,
  EPHEMERAL_SEQUENTIAL: zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
};

/** A node-style callback as a promise. */
function call(fn) {
  return new Promise((resolve, reject) => fn((error, ...values) => (error ? reject(error) : resolve(values))));
}

async function openNodeZookeeperClient(connectString) {
  const client = zookeeper.createClient(connectString, { sessionTimeout: SESSION_TIMEOUT_MS, spinDelay: 50, retries: 0 });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.close();
      reject(new Error(`node-zookeeper-client: no session with ${connectString} within ${CONNECT_TIMEOUT_MS} ms`));
    }, CONNECT_TIMEOUT_MS);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve();
    });
    client.connect();
  });
  return {
    raw: client,
    async create(path, data, mode) {
      const [created] = await call((cb) => client.create(path, Buffer.from(data), nzkModes[mode], cb));
      expect(typeof created === 'string' && created.startsWith(path), `create ${path} returned ${created}`);
      return created;
    },
    async setData(path, data) {
      const [stat] = await call((cb) => client.setData(path, Buffer.from(data), -1, cb));
      expect(stat.dataLength === data.length, `setData ${path}: dataLength ${stat.dataLength}`);
      return stat.version;
    },
    async getData(path, watcher) {
      const [data] = await call((cb) => (watcher ? client.getData(path, watcher, cb) : client.getData(path, cb)));
      expect(data != null, `getData ${path} returned no data`);
      return data;
    },
    async exists(path) {
      const [stat] = await call((cb) => client.exists(path, cb));
      expect(stat != null, `exists ${path} returned null`);
      return stat;
    },
    async delete(path) {
      await call((cb) => client.remove(path, -1, cb));
    },
    async getChildren(path) {
      const [children] = await call((cb) => client.getChildren(path, cb));
      return children;
    },
    async createMany(paths, data) {
      const transaction = client.transaction();
      for (const path of paths) transaction.create(path, Buffer.from(data));
      const [results] = await call((cb) => transaction.commit(cb));
      expect(results.length === paths.length, `multi created ${results.length} of ${paths.length}`);
      return results.length;
    },
    async close() {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 5_000);
        client.once('disconnected', () => {
          clearTimeout(timer);
          resolve();
        });
        client.close();
      });
    },
  };
}

/** Opens `count` sessions, `parallel` at a time, spread round-robin over the members. */
export async function openSessions(kind, cluster, count, parallel = 16) {
  const sessions = new Array(count);
  let next = 0;
  const opener = async () => {
    while (next < count) {
      const index = next++;
      sessions[index] = await openSession(kind, cluster, { memberIndex: index, seed: index + 1 });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, count) }, opener));
  } catch (error) {
    await closeSessions(sessions.filter(Boolean));
    throw error;
  }
  return sessions;
}

/** Closes sessions, ignoring errors (a session may already be gone after a failover). */
export async function closeSessions(sessions) {
  await Promise.all(sessions.map((session) => session.close().catch(() => {})));
}

/**
 * Whether a new session can be established on the server at `port` within `timeoutMs`: a server
 * may report its mode before it really accepts sessions.
 */
export async function acceptsSessions(port, timeoutMs) {
  const client = createClient(`${HOST}:${port}`, { sessionTimeoutMs: 4_000, connectTimeoutMs: timeoutMs, reconnectDelayMaxMs: 20, spinDelayMs: 50 });
  try {
    await client.connected({ timeoutMs });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => {});
  }
}

/** Creates `path` (with `data`) and any missing ancestors; nodes that already exist are fine. */
export async function ensurePath(session, path, data = new Uint8Array(0)) {
  const parts = path.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const prefix = `/${parts.slice(0, i).join('/')}`;
    try {
      await session.create(prefix, i === parts.length ? data : new Uint8Array(0), 'PERSISTENT');
    } catch (error) {
      if (error?.code !== 'NODE_EXISTS') throw error;
    }
  }
}
