/**
 * The operations of a differential sequence as plain data: a sequence is generated from a
 * seed without running anything, printed when it fails, and replayed on every target.
 * @module
 */
import type { AddWatchModeName, CreateModeName, WatcherTypeName } from '../../src/index.js';

/** Index of one of a target's sessions. */
export type SessionSlot = number;

/**
 * A path, relative to the sequence's root. `fixed` is a literal relative path (`''` is the
 * root itself); `seq` names the `pick`-th (modulo) sequential node this target created under
 * `parent` so far, which is how later ops reach nodes whose names the server chose.
 */
export type PathRef = { readonly kind: 'fixed'; readonly rel: string } | { readonly kind: 'seq'; readonly parent: string; readonly pick: number };

/**
 * Named ACLs. The world ACLs keep READ, DELETE and ADMIN so cleanup always works; `creator`
 * (CREATOR_ALL_ACL) admits only the digest identity the authenticated session slot uses,
 * which is also the slot that cleans up; `creatorWorldRead` adds READ for everyone, so other
 * sessions may read the node and its ACL (digest passwords masked, as getACL does without ADMIN).
 */
export type AclName = 'open' | 'noWrite' | 'noCreate' | 'creator' | 'creatorWorldRead';

/** Data written by creates and setData. */
export type DataChoice = null | string;

/** A write op inside a multi. */
export type DiffMultiOp =
  | { readonly type: 'create'; readonly path: PathRef; readonly mode: CreateModeName; readonly data: DataChoice; readonly acl: AclName }
  | { readonly type: 'delete'; readonly path: PathRef; readonly version: number }
  | { readonly type: 'setData'; readonly path: PathRef; readonly data: DataChoice; readonly version: number }
  | { readonly type: 'check'; readonly path: PathRef; readonly version: number };

/** A read op inside a multiRead. */
export type DiffReadOp = { readonly type: 'getData' | 'getChildren'; readonly path: PathRef };

/** One step of a sequence, issued by session `session` of each target. */
export type DiffOp = { readonly session: SessionSlot } & (
  | { readonly type: 'create'; readonly path: PathRef; readonly mode: CreateModeName; readonly data: DataChoice; readonly acl: AclName; readonly stat: boolean }
  | { readonly type: 'delete'; readonly path: PathRef; readonly version: number }
  | { readonly type: 'setData'; readonly path: PathRef; readonly data: DataChoice; readonly version: number }
  | { readonly type: 'exists' | 'getData'; readonly path: PathRef; readonly watch: boolean }
  | { readonly type: 'getChildren'; readonly path: PathRef; readonly watch: boolean; readonly withStat: boolean }
  | { readonly type: 'getACL' | 'getAllChildrenNumber' | 'sync'; readonly path: PathRef }
  | { readonly type: 'setACL'; readonly path: PathRef; readonly acl: AclName; readonly version: number }
  | { readonly type: 'multi'; readonly ops: readonly DiffMultiOp[] }
  | { readonly type: 'multiRead'; readonly ops: readonly DiffReadOp[] }
  /** The session's ephemerals whose path starts with the prefix (a string prefix, not a path prefix). */
  | { readonly type: 'getEphemerals'; readonly prefix: PathRef }
  | { readonly type: 'addWatch'; readonly path: PathRef; readonly mode: AddWatchModeName }
  /** Removes a session's watchers of a type from a path: a given one, or (`watched`) where its `pick`-th watcher was registered. */
  | { readonly type: 'removeAllWatches'; readonly path: PathRef | { readonly kind: 'watched'; readonly pick: number }; readonly watcherType: WatcherTypeName }
  /** Removes one watcher (checkWatches): the `pick`-th (modulo) watcher this session registered, from the path it was registered on. */
  | { readonly type: 'removeWatcher'; readonly watcherType: WatcherTypeName; readonly pick: number }
  | { readonly type: 'reopen' }
  /**
   * Cuts this session's connection and keeps it away while the other session runs `during`,
   * then lets it reconnect: the session resumes and re-registers its watches (setWatches),
   * and the server fires those whose nodes changed meanwhile.
   */
  | { readonly type: 'partition'; readonly during: readonly DiffOp[] }
);

/** A ref to a literal relative path. */
export function fixed(rel: string): PathRef {
  return { kind: 'fixed', rel };
}

/** A short one-line rendering of a path ref, for failure messages. */
export function describePath(path: PathRef): string {
  const under = (rel: string): string => (rel === '' ? '<root>' : `<root>/${rel}`);
  return path.kind === 'fixed' ? under(path.rel) : `${under(path.parent)}/<seq#${path.pick}>`;
}

/** A short one-line rendering of an op, for failure messages. */
export function describeOp(op: DiffOp): string {
  const fields = Object.entries(op)
    .filter(([key]) => key !== 'type' && key !== 'session')
    .map(([key, value]) => `${key}=${render(value)}`);
  return `s${op.session}.${op.type}(${fields.join(', ')})`;
}

function render(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'kind' in value) {
    const ref = value as PathRef | { kind: 'watched'; pick: number };
    return ref.kind === 'watched' ? `<watched#${ref.pick}>` : describePath(ref);
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => {
      if (typeof item !== 'object' || item === null) return render(item);
      return 'session' in item ? describeOp(item as DiffOp) : renderSubOp(item as Record<string, unknown>);
    });
    return `[${items.join('; ')}]`;
  }
  return JSON.stringify(value);
}

function renderSubOp(op: Record<string, unknown>): string {
  const fields = Object.entries(op)
    .filter(([key]) => key !== 'type')
    .map(([key, value]) => `${key}=${render(value)}`);
  return `${String(op.type)}(${fields.join(', ')})`;
}
