import { type HistoryOperation, describeOperation } from '../linearizability/history.js';

/** A register znode as the final, synced reads saw it after the ensemble healed. */
export type FinalZnode = { readonly exists: false } | { readonly exists: true; readonly czxid: number; readonly version: number };

/**
 * Acknowledged creates and sets that the final state does not reflect. A znode's incarnations
 * are ordered by czxid and each one's versions only grow, so an acknowledged write of
 * (czxid, version) is lost if the final znode is an older incarnation, or the same one at a
 * lower version, or absent although no delete (acknowledged or unanswered) could have come
 * after the write. This is a direct count, independent of the linearizability check.
 */
export function lostRegisterWrites(history: readonly HistoryOperation[], finals: ReadonlyMap<string, FinalZnode>): string[] {
  // The latest answer of a delete that may have taken effect, per path (+∞ for an unanswered one).
  const lastDeleteMs = new Map<string, number>();
  for (const o of history) {
    if (o.op.type !== 'delete' || o.outcome.status === 'error') continue;
    lastDeleteMs.set(o.path, Math.max(lastDeleteMs.get(o.path) ?? -Infinity, o.outcome.status === 'indeterminate' ? Infinity : o.responseMs));
  }
  const lost: string[] = [];
  for (const write of history) {
    if ((write.op.type !== 'create' && write.op.type !== 'setData') || write.outcome.status !== 'ok') continue;
    const { czxid, version } = write.outcome;
    const final = finals.get(write.path);
    if (czxid === undefined || version === undefined || final === undefined) continue;
    if (final.exists) {
      if (final.czxid < czxid || (final.czxid === czxid && final.version < version)) {
        lost.push(`${describeOperation(write)}, but the final znode is czxid ${final.czxid} v${final.version} (written: czxid ${czxid} v${version})`);
      }
      continue;
    }
    if ((lastDeleteMs.get(write.path) ?? -Infinity) <= write.invokeMs) lost.push(`${describeOperation(write)}, but the final znode is absent and no delete came after it`);
  }
  return lost;
}

/** The acknowledged set-workload creates missing from the final children. */
export function lostSetMembers(acknowledged: readonly string[], finalChildren: ReadonlySet<string>, parent: string): string[] {
  return acknowledged.filter((path) => !finalChildren.has(path.slice(parent.length + 1))).map((path) => `create(${path}) acknowledged but missing`);
}
