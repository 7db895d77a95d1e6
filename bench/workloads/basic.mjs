// The single-operation workloads — create (persistent-sequential), setData, getData, exists —
// and a 90/10 read/write mix, at each (sessions × in-flight) level, for each client kind.
import { closeSessions, ensurePath, openSession, openSessions } from '../lib/clients.mjs';
import { runClosedLoop } from '../lib/load.mjs';
import { seededRandom } from '../lib/stats.mjs';

/** The operations this module measures, as `--only` names them. */
export const BASIC_WORKLOADS = ['create', 'setData', 'getData', 'exists', 'mix'];

const DATA_BYTES = 100;
const READ_NODES = 100;

const readPath = (index) => `/bench/read/r-${String(index).padStart(3, '0')}`;
const setPath = (sessionIndex) => `/bench/set/s-${String(sessionIndex).padStart(3, '0')}`;

function payload(seed) {
  const data = new Uint8Array(DATA_BYTES);
  for (let i = 0; i < DATA_BYTES; i++) data[i] = (seed + i) & 0xff;
  return data;
}

function checkData(data, path) {
  if (data.length !== DATA_BYTES) throw new Error(`getData ${path}: ${data.length} bytes, expected ${DATA_BYTES}`);
}

/** Creates the nodes the workloads read and write (idempotent). */
async function prepare(cluster, sessionsMax) {
  const admin = await openSession('tcp', cluster, { memberIndex: 0 });
  try {
    for (const path of ['/bench/read', '/bench/set', '/bench/create']) await ensurePath(admin, path);
    await Promise.all(Array.from({ length: READ_NODES }, (_, i) => ensurePath(admin, readPath(i), payload(i))));
    await Promise.all(Array.from({ length: sessionsMax }, (_, i) => ensurePath(admin, setPath(i), payload(i))));
  } finally {
    await admin.close();
  }
}

/** What one operation does, given the session, its index, the worker's RNG and a sequence number. */
const operations = {
  create: (session, data) => session.create('/bench/create/n-', data, 'PERSISTENT_SEQUENTIAL'),
  setData: (session, data, sessionIndex) => session.setData(setPath(sessionIndex), data),
  getData: async (session, _data, _s, random) => {
    const path = readPath(Math.floor(random() * READ_NODES));
    checkData(await session.getData(path), path);
  },
  exists: async (session, _data, _s, random) => {
    const path = readPath(Math.floor(random() * READ_NODES));
    const stat = await session.exists(path);
    if (stat.dataLength !== DATA_BYTES) throw new Error(`exists ${path}: dataLength ${stat.dataLength}`);
  },
  mix: async (session, data, _s, random) => {
    const path = readPath(Math.floor(random() * READ_NODES));
    if (random() < 0.1) await session.setData(path, data);
    else checkData(await session.getData(path), path);
  },
};

/**
 * Unmeasured load before the first measurement, so a JIT compiler (the JVM's C2 in particular)
 * has compiled the hot paths: the first measured run would otherwise pay for it.
 */
async function warmUp(ctx, cluster) {
  const sessions = await openSessions('tcp', cluster, 16);
  try {
    const data = payload(1);
    const names = ['create', 'setData', 'getData', 'exists', 'mix'];
    const run = await runClosedLoop({
      sessions,
      inFlight: 8,
      durationMs: ctx.plan.targetWarmupMs,
      operation: (session, s, w, sequence) => operations[names[(s + w + sequence) % names.length]](session, data, s, seededRandom(sequence + 1)),
      onProgress: (p) => ctx.progress.status(`${cluster.target.label} warm-up: ${p.ok.toLocaleString('en')} ops`),
    });
    if (run.failed > 0) ctx.progress.line(`${cluster.target.label} warm-up: ${run.failed} operations failed: ${JSON.stringify(run.errors)}`);
  } finally {
    await closeSessions(sessions);
  }
}

/** Runs the basic workloads on one cluster. */
export async function runBasic(ctx, cluster) {
  const { plan } = ctx;
  const wanted = BASIC_WORKLOADS.filter((name) => ctx.selected(name));
  if (wanted.length === 0) return;
  await prepare(cluster, Math.max(...plan.levels.map((level) => level.sessions)));
  await warmUp(ctx, cluster);
  for (const kind of plan.basicClients) {
    if (kind === 'ws' && !cluster.target.supportsWebSocket) continue;
    for (const level of plan.levels) {
      const names = wanted.filter((name) => plan.includeBasic(kind, level, name));
      if (names.length === 0) continue;
      const revived = await cluster.reviveStopped();
      if (revived.length > 0) ctx.progress.line(`restarted ${cluster.target.label} server(s) ${revived.join(', ')} after a crash`);
      const sessions = await openSessions(kind, cluster, level.sessions);
      try {
        for (const name of names) {
          const step = `${name} ${level.sessions}×${level.inFlight} ${kind}`;
          const randoms = new Map();
          const data = payload(7);
          const run = await runClosedLoop({
            sessions,
            inFlight: level.inFlight,
            warmupMs: plan.warmupMs,
            durationMs: plan.basicDurationMs,
            maxOps: plan.basicMaxOps,
            operation: (session, s, w) => {
              const key = s * 1024 + w;
              let random = randoms.get(key);
              if (random === undefined) randoms.set(key, (random = seededRandom(key + 1)));
              return operations[name](session, data, s, random);
            },
            onProgress: (p) => ctx.progress.status(`${cluster.target.label} ${step}: ${p.ok.toLocaleString('en')} ok, ${p.failed} failed`),
          });
          ctx.record({ workload: name, client: kind, sessions: level.sessions, inFlight: level.inFlight, ...run });
        }
      } finally {
        await closeSessions(sessions);
      }
    }
  }
}
