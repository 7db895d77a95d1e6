import type { ErrorCodeName } from '@zkts/protocol';
import { assert } from './assert.js';

/**
 * One call on a znode, as the register model sees it. Data is a string: workloads write
 * unique values so that a read tells which write it saw.
 */
export type RegisterOp =
  | { readonly type: 'getData' }
  | { readonly type: 'setData'; readonly value: string; readonly expectedVersion: number }
  | { readonly type: 'create'; readonly value: string }
  | { readonly type: 'delete'; readonly expectedVersion: number }
  | { readonly type: 'sync' };

/**
 * What a call returned.
 * - `ok`: `getData` carries `value` and `version`; `setData` carries the new `version`;
 *   `czxid` (the creation zxid from the Stat, where the reply has one) is kept for the
 *   lost-write count and ignored by the checker.
 * - `error`: a definite ZooKeeper answer; the call had no effect.
 * - `indeterminate`: no answer (CONNECTION_LOSS, timeout, expiry …): a write may or may not
 *   have taken effect, at any time after it was invoked.
 */
export type OpOutcome =
  | { readonly status: 'ok'; readonly value?: string; readonly version?: number; readonly czxid?: number }
  | { readonly status: 'error'; readonly code: ErrorCodeName }
  | { readonly status: 'indeterminate'; readonly reason?: string };

/** One completed (or abandoned) call of a history. */
export interface HistoryOperation {
  /** The logical client (one ZooKeeper session, or one sequential process on it). */
  readonly clientId: string | number;
  /** The znode. For `sync` the path is only informative: a sync orders the client against every znode. */
  readonly path: string;
  readonly op: RegisterOp;
  readonly outcome: OpOutcome;
  /** When the call was made; any clock shared by all clients (`performance.now()`). */
  readonly invokeMs: number;
  /** When its answer arrived; ignored (taken as +∞) for indeterminate outcomes. */
  readonly responseMs: number;
}

/** A call being made, in an event-ordered history (see {@link historyFromEvents}). */
export interface InvokeEvent {
  readonly type: 'invoke';
  /** Pairs the invocation with its return. */
  readonly id: string | number;
  readonly clientId: string | number;
  readonly path: string;
  readonly op: RegisterOp;
}

/** The answer to an earlier {@link InvokeEvent} with the same id. */
export interface ReturnEvent {
  readonly type: 'return';
  readonly id: string | number;
  readonly outcome: OpOutcome;
}

/** An event of an event-ordered history. */
export type HistoryEvent = InvokeEvent | ReturnEvent;

/**
 * Turns an event-ordered history (invocations and returns in the order they happened) into
 * timed operations, using each event's position as its time. An invocation without a return
 * becomes indeterminate.
 */
export function historyFromEvents(events: readonly HistoryEvent[]): HistoryOperation[] {
  const open = new Map<string | number, { event: InvokeEvent; at: number }>();
  const operations: HistoryOperation[] = [];
  events.forEach((event, at) => {
    if (event.type === 'invoke') {
      assert(!open.has(event.id), `operation id ${event.id} invoked twice`);
      open.set(event.id, { event, at });
      return;
    }
    const invoked = open.get(event.id);
    assert(invoked !== undefined, `return of operation ${event.id} without an invocation`);
    open.delete(event.id);
    const { clientId, path, op } = invoked.event;
    operations.push({ clientId, path, op, outcome: event.outcome, invokeMs: invoked.at, responseMs: at });
  });
  for (const { event, at } of open.values()) {
    const { clientId, path, op } = event;
    operations.push({ clientId, path, op, outcome: { status: 'indeterminate', reason: 'no return' }, invokeMs: at, responseMs: Infinity });
  }
  return operations;
}

/** A one-line rendering of an operation for explanations, e.g. `client 2: setData(/k, "a", v3) → ok v4 [1.0–2.5 ms]`. */
export function describeOperation(operation: HistoryOperation): string {
  const { op, outcome } = operation;
  const call = describeCall(operation.path, op);
  const result =
    outcome.status === 'ok'
      ? describeOk(op, outcome)
      : outcome.status === 'error'
        ? outcome.code
        : `indeterminate${outcome.reason === undefined ? '' : ` (${outcome.reason})`}`;
  const response = outcome.status === 'indeterminate' ? '∞' : operation.responseMs.toFixed(1);
  return `client ${operation.clientId}: ${call} → ${result} [${operation.invokeMs.toFixed(1)}–${response} ms]`;
}

function describeCall(path: string, op: RegisterOp): string {
  switch (op.type) {
    case 'getData':
      return `getData(${path})`;
    case 'setData':
      return `setData(${path}, ${JSON.stringify(op.value)}, v${op.expectedVersion})`;
    case 'create':
      return `create(${path}, ${JSON.stringify(op.value)})`;
    case 'delete':
      return `delete(${path}, v${op.expectedVersion})`;
    case 'sync':
      return `sync(${path})`;
  }
}

function describeOk(op: RegisterOp, outcome: { readonly value?: string; readonly version?: number }): string {
  if (op.type === 'getData') return `${JSON.stringify(outcome.value)} v${outcome.version}`;
  if (op.type === 'setData') return `ok v${outcome.version}`;
  return 'ok';
}
