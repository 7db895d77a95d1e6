/**
 * Turns what the client returns into plain comparable values. Everything two conforming
 * servers must agree on is kept (zxids exactly, versions, sizes, paths, order); what
 * legitimately differs is mapped away: times are dropped, and session ids become the
 * session's label (`s0#1`: slot 0, second session opened in that slot) so ephemeral owners
 * compare as "which of our sessions" rather than as server-chosen numbers.
 * @module
 */
import { MultiError, type OpResult, type ReadOpResult, type Stat, type WatchedEvent, ZkError } from '../../src/index.js';

/** Maps a session id to a stable label; ids of no known session are kept in hex. */
export type SessionLabeler = (sessionId: bigint) => string;

/** A Stat without times, with zxids as decimal strings and the owner as a label. */
export interface NormalizedStat {
  readonly czxid: string;
  readonly mzxid: string;
  readonly pzxid: string;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  readonly ephemeralOwner: string;
  readonly dataLength: number;
  readonly numChildren: number;
}

/** A watch event as one session's watcher saw it. */
export interface NormalizedEvent {
  /** Label of the watcher: the op index that registered it. */
  readonly watcher: string;
  readonly type: string;
  readonly state: string;
  readonly path: string | null;
  readonly zxid: string;
}

/** A Stat for comparison. */
export function normalizeStat(stat: Stat, label: SessionLabeler): NormalizedStat {
  return {
    czxid: stat.czxid.toString(),
    mzxid: stat.mzxid.toString(),
    pzxid: stat.pzxid.toString(),
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    ephemeralOwner: stat.ephemeralOwner === 0n ? '0' : label(stat.ephemeralOwner),
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
  };
}

/** Node data as text (the sequences only write ASCII), keeping null apart from empty. */
export function normalizeData(data: Uint8Array | null): string | null {
  return data === null ? null : new TextDecoder().decode(data);
}

/** One multi or multiRead result. */
export function normalizeOpResult(result: OpResult | ReadOpResult, label: SessionLabeler): unknown {
  switch (result.type) {
    case 'create':
      return { type: 'create', path: result.path, stat: result.stat === undefined ? null : normalizeStat(result.stat, label) };
    case 'setData':
      return { type: 'setData', stat: normalizeStat(result.stat, label) };
    case 'getData':
      return { type: 'getData', data: normalizeData(result.data), stat: normalizeStat(result.stat, label) };
    case 'getChildren':
      return { type: 'getChildren', children: result.children };
    case 'delete':
    case 'check':
      return { type: result.type };
    case 'error':
      return { type: 'error', code: result.code };
  }
}

/**
 * A failed call: the ZooKeeper error code, and for a failed multi the failing op and every
 * op's result. Anything that is not a ZkError is a bug of the harness or client and is rethrown.
 */
export function normalizeError(error: unknown, label: SessionLabeler): unknown {
  if (error instanceof MultiError) {
    return { error: error.code, failedOpIndex: error.failedOpIndex, results: error.results.map((result) => normalizeOpResult(result, label)) };
  }
  if (error instanceof ZkError) return { error: error.code };
  throw error;
}

/** A watch event for comparison. */
export function normalizeEvent(watcher: string, event: WatchedEvent): NormalizedEvent {
  return { watcher, type: event.type, state: event.state, path: event.path, zxid: event.zxid.toString() };
}
