/**
 * Seeded random op sequences over a small path space, so that collisions (NODE_EXISTS,
 * NO_NODE, NOT_EMPTY, BAD_VERSION, NO_CHILDREN_FOR_EPHEMERALS, NO_AUTH) are frequent.
 * Pure: the same seed always yields the same sequence.
 * @module
 */
import { isSequential } from '../../src/create-mode.js';
import type { CreateModeName, WatcherTypeName } from '../../src/index.js';
import type { AclName, DataChoice, DiffMultiOp, DiffOp, DiffReadOp, PathRef } from './diff-op.js';
import { type Rng, createRng } from './rng.js';

/** Sessions per target: two, so watches fired by the other session are compared too. */
export const SESSIONS_PER_TARGET = 2;

/** The slot whose sessions authenticate (digest); it also cleans up, since only it passes `creator` ACLs. */
export const AUTHENTICATED_SLOT = 1;

/** The digest credentials of {@link AUTHENTICATED_SLOT}. */
export const DIGEST_CREDENTIALS = 'differ:secret';

/** Prefix of sequential node names, so `seq` refs can find them. */
export const SEQUENTIAL_PREFIX = 's-';

/** The TTL of TTL nodes: long enough that no node expires during a run. */
export const TTL_MS = 3_600_000;

/** Relative paths ops act on, weighted; '' is the sequence's root. */
const FIXED_PATHS: Readonly<Record<string, number>> = {
  '': 3,
  a: 12,
  b: 10,
  c: 6,
  'a/x': 8,
  'a/y': 5,
  'b/x': 5,
  'c/x': 3,
  'a/x/z': 4,
};

/** Parents of sequential creates and of `seq` refs. */
const SEQUENTIAL_PARENTS = ['', 'a', 'b', 'a/x'] as const;

const OP_WEIGHTS = {
  create: 26,
  delete: 8,
  setData: 10,
  exists: 8,
  getData: 8,
  getChildren: 8,
  multi: 12,
  multiRead: 3,
  getACL: 2,
  setACL: 3,
  getAllChildrenNumber: 2,
  getEphemerals: 2,
  sync: 1,
  addWatch: 2,
  removeAllWatches: 2,
  removeWatcher: 2,
  reopen: 2,
  partition: 2,
} as const satisfies Record<DiffOp['type'], number>;

const MODE_WEIGHTS = {
  PERSISTENT: 40,
  EPHEMERAL: 12,
  PERSISTENT_SEQUENTIAL: 10,
  EPHEMERAL_SEQUENTIAL: 8,
  CONTAINER: 15,
  PERSISTENT_WITH_TTL: 8,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 5,
} as const satisfies Record<CreateModeName, number>;

const MULTI_OP_WEIGHTS = { create: 40, delete: 20, setData: 20, check: 20 } as const satisfies Record<DiffMultiOp['type'], number>;

/** -1 matches any version; small versions are often right, sometimes wrong. */
const VERSION_WEIGHTS = { '-1': 30, '0': 35, '1': 20, '2': 10, '5': 5 } as const;

const DATA_CHOICES: readonly DataChoice[] = [null, '', 'v', 'value-2', 'a-longer-value-3'];

const ACL_WEIGHTS = { open: 72, noWrite: 7, noCreate: 7, creator: 7, creatorWorldRead: 7 } as const satisfies Record<AclName, number>;

const WATCHER_TYPES: readonly WatcherTypeName[] = ['Data', 'Children', 'Any', 'Persistent', 'PersistentRecursive'];

/**
 * Generates `length` ops from `seed`. Ops `exclude` rejects are drawn again, so a sequence
 * depends only on the seed and the exclusions.
 */
export function generateSequence(seed: number, length: number, exclude: (op: DiffOp) => boolean = () => false): DiffOp[] {
  const rng = createRng(seed);
  return Array.from({ length }, () => {
    for (;;) {
      const op = generateOp(rng);
      if (!exclude(op)) return op;
    }
  });
}

function generateOp(rng: Rng): DiffOp {
  const session = rng.int(SESSIONS_PER_TARGET);
  const type = rng.weighted(OP_WEIGHTS);
  switch (type) {
    case 'create': {
      const mode = rng.weighted(MODE_WEIGHTS);
      return { session, type, path: createPath(rng, mode), mode, data: rng.pick(DATA_CHOICES), acl: rng.weighted(ACL_WEIGHTS), stat: rng.chance(0.5) };
    }
    case 'delete':
      return { session, type, path: anyPath(rng), version: version(rng) };
    case 'setData':
      return { session, type, path: anyPath(rng), data: rng.pick(DATA_CHOICES), version: version(rng) };
    case 'exists':
    case 'getData':
      return { session, type, path: anyPath(rng), watch: rng.chance(0.6) };
    case 'getChildren':
      return { session, type, path: anyPath(rng), watch: rng.chance(0.6), withStat: rng.chance(0.5) };
    case 'getACL':
    case 'getAllChildrenNumber':
    case 'sync':
      return { session, type, path: anyPath(rng) };
    case 'setACL':
      return { session, type, path: anyPath(rng), acl: rng.weighted(ACL_WEIGHTS), version: rng.pick([-1, 0, 0, 1]) };
    case 'multi':
      return { session, type, ops: multiOps(rng) };
    case 'multiRead':
      return { session, type, ops: Array.from({ length: 1 + rng.int(3) }, (): DiffReadOp => ({ type: rng.pick(['getData', 'getChildren'] as const), path: anyPath(rng) })) };
    case 'getEphemerals':
      // 's' and 'a/s' are no nodes, only string prefixes of sequential names.
      return { session, type, prefix: { kind: 'fixed', rel: rng.pick(['', '', 'a', 'b', 's', 'a/s', 'a/x']) } };
    case 'reopen':
      return { session, type };
    case 'partition':
      return { session, type, during: Array.from({ length: 1 + rng.int(4) }, () => opOfOtherSession(rng, session)) };
    case 'addWatch':
      // Often the root: a recursive watch there sees every event of the sequence, in order.
      return { session, type, path: rng.chance(0.5) ? { kind: 'fixed', rel: '' } : anyPath(rng), mode: rng.pick(['PERSISTENT', 'PERSISTENT_RECURSIVE'] as const) };
    case 'removeAllWatches':
      return { session, type, path: rng.chance(0.7) ? { kind: 'watched', pick: rng.int(8) } : anyPath(rng), watcherType: rng.pick(WATCHER_TYPES) };
    case 'removeWatcher':
      return { session, type, watcherType: rng.pick(WATCHER_TYPES), pick: rng.int(8) };
  }
}

function multiOp(rng: Rng): DiffMultiOp {
  const type = rng.weighted(MULTI_OP_WEIGHTS);
  switch (type) {
    case 'create': {
      const mode = rng.weighted(MODE_WEIGHTS);
      return { type, path: createPath(rng, mode), mode, data: rng.pick(DATA_CHOICES), acl: rng.weighted(ACL_WEIGHTS) };
    }
    case 'delete':
      return { type, path: anyPath(rng), version: version(rng) };
    case 'setData':
      return { type, path: anyPath(rng), data: rng.pick(DATA_CHOICES), version: version(rng) };
    case 'check':
      return { type, path: anyPath(rng), version: version(rng) };
  }
}

/** An op for the session that stays connected during a partition: anything but session changes. */
function opOfOtherSession(rng: Rng, partitioned: number): DiffOp {
  for (;;) {
    const op = generateOp(rng);
    if (op.type !== 'reopen' && op.type !== 'partition') return { ...op, session: (partitioned + 1) % SESSIONS_PER_TARGET };
  }
}

function multiOps(rng: Rng): DiffMultiOp[] {
  const roll = rng.next();
  if (roll < 0.25) return coherentMulti(rng);
  if (roll < 0.35) return sequentialBurst(rng);
  return Array.from({ length: 1 + rng.int(4) }, () => multiOp(rng));
}

/**
 * Many sequential children of one parent at once: sets large enough to resize the server's
 * children HashSet and to collide in its buckets, so listing and deletion order get tested.
 */
function sequentialBurst(rng: Rng): DiffMultiOp[] {
  const parent = rng.pick(SEQUENTIAL_PARENTS);
  const path: PathRef = { kind: 'fixed', rel: parent === '' ? SEQUENTIAL_PREFIX : `${parent}/${SEQUENTIAL_PREFIX}` };
  const mode = rng.pick(['PERSISTENT_SEQUENTIAL', 'EPHEMERAL_SEQUENTIAL'] as const);
  return Array.from({ length: 3 + rng.int(12) }, (): DiffMultiOp => ({ type: 'create', path, mode, data: null, acl: 'open' }));
}

/**
 * A multi that succeeds when its node is absent: random multis mostly fail on their first op,
 * and the successful path (per-op results, watches fired by a multi) deserves coverage too.
 */
function coherentMulti(rng: Rng): DiffMultiOp[] {
  const rel = rng.pick(['a', 'b', 'c']);
  const path: PathRef = { kind: 'fixed', rel };
  const child: PathRef = { kind: 'fixed', rel: `${rel}/x` };
  const ops: DiffMultiOp[] = [
    { type: 'create', path, mode: rng.pick(['PERSISTENT', 'CONTAINER', 'PERSISTENT_WITH_TTL'] as const), data: rng.pick(DATA_CHOICES), acl: 'open' },
    { type: 'create', path: child, mode: rng.pick(['PERSISTENT', 'EPHEMERAL'] as const), data: rng.pick(DATA_CHOICES), acl: 'open' },
    { type: 'setData', path, data: rng.pick(DATA_CHOICES), version: 0 },
    { type: 'check', path, version: 1 },
    { type: 'delete', path: child, version: 0 },
  ];
  return ops.slice(0, 2 + rng.int(4));
}

/** Sequential creates name a parent plus the prefix; the rest pick from the fixed paths (never the root). */
function createPath(rng: Rng, mode: CreateModeName): PathRef {
  if (isSequential(mode)) {
    const parent = rng.pick(SEQUENTIAL_PARENTS);
    return { kind: 'fixed', rel: parent === '' ? SEQUENTIAL_PREFIX : `${parent}/${SEQUENTIAL_PREFIX}` };
  }
  // The root is mostly there, so creating it is a cheap NODE_EXISTS; keep it rare.
  return rng.chance(0.03) ? { kind: 'fixed', rel: '' } : { kind: 'fixed', rel: rng.weighted(withoutRoot) };
}

const withoutRoot: Readonly<Record<string, number>> = Object.fromEntries(Object.entries(FIXED_PATHS).filter(([rel]) => rel !== ''));

function anyPath(rng: Rng): PathRef {
  if (rng.chance(0.15)) return { kind: 'seq', parent: rng.pick(SEQUENTIAL_PARENTS), pick: rng.int(4) };
  return { kind: 'fixed', rel: rng.weighted(FIXED_PATHS) };
}

function version(rng: Rng): number {
  return Number(rng.weighted(VERSION_WEIGHTS));
}
