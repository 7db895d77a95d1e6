import type { ErrorCodeName } from '@zkts/protocol';
import { assert } from './assert.js';
import type { OpOutcome, RegisterOp } from './history.js';

/** The state of one znode as the register model tracks it: data and data version, or absent. */
export interface RegisterState {
  readonly exists: boolean;
  readonly value: string;
  readonly version: number;
}

/** A znode that does not exist. */
export const ABSENT: RegisterState = { exists: false, value: '', version: 0 };

/** The answers the sequential specification gives; anything else a client sees is outside the model. */
type ModelResult = { readonly ok: true; readonly value?: string; readonly version?: number } | { readonly ok: false; readonly code: ModelErrorCode };

type ModelErrorCode = 'NO_NODE' | 'NODE_EXISTS' | 'BAD_VERSION';

/**
 * How the checker treats an operation:
 * - `update`: answered ok and changed the znode (create, setData, delete);
 * - `check`: answered, changed nothing, but is ordered with the writes (a failed write, sync);
 * - `read`: getData, which may be served from a lagging server;
 * - `maybe`: a write without an answer, which may take effect once at any time after its invocation, or never;
 * - `dropped`: tells nothing about the znode (a read or sync without an answer, a failure the model has no word for).
 */
export type OperationRole = 'update' | 'check' | 'read' | 'maybe' | 'dropped';

const MODEL_ERRORS: Readonly<Record<RegisterOp['type'], readonly ErrorCodeName[]>> = {
  getData: ['NO_NODE'],
  setData: ['NO_NODE', 'BAD_VERSION'],
  create: ['NODE_EXISTS'],
  // NOT_EMPTY cannot happen on a register without children; if a workload makes one, its delete had no effect.
  delete: ['NO_NODE', 'BAD_VERSION'],
  sync: [],
};

/** Classifies an operation by its outcome (see {@link OperationRole}). */
export function operationRole(op: RegisterOp, outcome: OpOutcome): OperationRole {
  if (outcome.status === 'indeterminate') return op.type === 'getData' || op.type === 'sync' ? 'dropped' : 'maybe';
  if (outcome.status === 'error') return MODEL_ERRORS[op.type].includes(outcome.code) ? (op.type === 'getData' ? 'read' : 'check') : 'dropped';
  if (op.type === 'getData') {
    assert(outcome.value !== undefined && outcome.version !== undefined, 'a successful getData needs value and version');
    return 'read';
  }
  if (op.type === 'setData') assert(outcome.version !== undefined, 'a successful setData needs the new version');
  return op.type === 'sync' ? 'check' : 'update';
}

/** ZooKeeper's sequential semantics of each operation on one znode (DataTree's checks, in its order). */
function run(state: RegisterState, op: RegisterOp): { result: ModelResult; next: RegisterState } {
  switch (op.type) {
    case 'getData':
      return { result: state.exists ? { ok: true, value: state.value, version: state.version } : { ok: false, code: 'NO_NODE' }, next: state };
    case 'sync':
      return { result: { ok: true }, next: state };
    case 'create':
      if (state.exists) return { result: { ok: false, code: 'NODE_EXISTS' }, next: state };
      return { result: { ok: true }, next: { exists: true, value: op.value, version: 0 } };
    case 'setData':
      if (!state.exists) return { result: { ok: false, code: 'NO_NODE' }, next: state };
      if (op.expectedVersion !== -1 && op.expectedVersion !== state.version) return { result: { ok: false, code: 'BAD_VERSION' }, next: state };
      return { result: { ok: true, version: state.version + 1 }, next: { exists: true, value: op.value, version: state.version + 1 } };
    case 'delete':
      if (!state.exists) return { result: { ok: false, code: 'NO_NODE' }, next: state };
      if (op.expectedVersion !== -1 && op.expectedVersion !== state.version) return { result: { ok: false, code: 'BAD_VERSION' }, next: state };
      return { result: { ok: true }, next: ABSENT };
  }
}

/**
 * The state after `op` if, applied to `state`, it gives the recorded `outcome`; undefined if
 * it would answer differently. Only for answered operations.
 */
export function stepIfMatches(state: RegisterState, op: RegisterOp, outcome: OpOutcome): RegisterState | undefined {
  assert(outcome.status !== 'indeterminate', 'an unanswered operation has nothing to match');
  const { result, next } = run(state, op);
  if (outcome.status === 'error') return !result.ok && result.code === outcome.code ? next : undefined;
  if (!result.ok) return undefined;
  if (op.type === 'getData') return result.value === outcome.value && result.version === outcome.version ? next : undefined;
  if (op.type === 'setData') return result.version === outcome.version ? next : undefined;
  return next;
}

/** The state after an unanswered write that takes effect, or undefined if it would fail here (then taking effect is the same as never). */
export function stepIfEffective(state: RegisterState, op: RegisterOp): RegisterState | undefined {
  const { result, next } = run(state, op);
  return result.ok && next !== state ? next : undefined;
}

/** A compact key for memoizing states. */
export function stateKey(state: RegisterState): string {
  return state.exists ? `${state.version}:${state.value}` : '-';
}

/**
 * Stands for data that no read of the znode returns. States that differ only in such data
 * answer every read alike, so the search merges them; and lost writes of such data become
 * interchangeable.
 */
export const UNREAD = '\u0000unread';

/** A readable rendering of a state for explanations. */
export function describeState(state: RegisterState): string {
  if (!state.exists) return 'absent';
  return `${state.value === UNREAD ? '(data no read returns)' : JSON.stringify(state.value)} v${state.version}`;
}
