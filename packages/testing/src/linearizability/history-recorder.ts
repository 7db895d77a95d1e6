import type { CallOptions, DataResult, Stat, ZkClient } from '@zkts/client';
import { type ErrorCodeName, ZkError } from '@zkts/protocol';
import type { HistoryOperation, OpOutcome, RegisterOp } from './history.js';

/**
 * Errors that are ZooKeeper's definite answer: the request was processed and had no effect.
 * Any other failure (CONNECTION_LOSS, OPERATION_TIMEOUT, SESSION_EXPIRED, SESSION_MOVED, an
 * aborted call …) leaves a write's fate unknown, so it is recorded as indeterminate.
 */
const DEFINITE_ERRORS: ReadonlySet<ErrorCodeName> = new Set<ErrorCodeName>([
  'NO_NODE',
  'NODE_EXISTS',
  'BAD_VERSION',
  'NOT_EMPTY',
  'NO_CHILDREN_FOR_EPHEMERALS',
  'NO_AUTH',
  'INVALID_ACL',
  'BAD_ARGUMENTS',
  'THROTTLED_OP',
  'QUOTA_EXCEEDED',
]);

/** Options of {@link HistoryRecorder}. */
export interface HistoryRecorderOptions {
  /** The clock stamped on invocations and answers. Default `performance.now()`, shared by all clients of the process. */
  readonly now?: () => number;
}

interface InFlight {
  readonly clientId: string | number;
  readonly path: string;
  readonly op: RegisterOp;
  readonly invokeMs: number;
}

/**
 * Records a history for {@link checkHistory}: wrap each client (one per logical process) with
 * {@link HistoryRecorder.wrap} and make the register calls through the wrapper. Calls still in
 * flight when the history is taken count as indeterminate.
 *
 * ```ts
 * const recorder = new HistoryRecorder();
 * const a = recorder.wrap(await connect(connectString), 'a');
 * await a.create('/k', 'v1');
 * const result = checkHistory(recorder.history());
 * ```
 */
export class HistoryRecorder {
  private readonly now: () => number;
  private readonly completed: HistoryOperation[] = [];
  private readonly inFlight = new Map<number, InFlight>();
  private nextCallId = 0;

  constructor(options: HistoryRecorderOptions = {}) {
    this.now = options.now ?? (() => performance.now());
  }

  /** A recording front for `client`; every call through it is logged under `clientId`. */
  wrap(client: ZkClient, clientId: string | number): RecordingClient {
    return new RecordingClient(this, client, clientId);
  }

  /** The operations so far (answered ones, then those still in flight as indeterminate). */
  history(): HistoryOperation[] {
    const pending = [...this.inFlight.values()].map(
      (call): HistoryOperation => ({ ...call, outcome: { status: 'indeterminate', reason: 'still in flight' }, responseMs: Infinity }),
    );
    return [...this.completed, ...pending];
  }

  /** Number of operations recorded or in flight. */
  get size(): number {
    return this.completed.length + this.inFlight.size;
  }

  /**
   * Runs `call` as operation `op` of `clientId` on `path`, logging its invocation, its answer
   * (`outcomeOf` the result, or the error), and rethrowing any error.
   * @internal
   */
  async record<T>(clientId: string | number, path: string, op: RegisterOp, call: () => Promise<T>, outcomeOf: (result: T) => OpOutcome): Promise<T> {
    const callId = this.nextCallId++;
    const invokeMs = this.now();
    this.inFlight.set(callId, { clientId, path, op, invokeMs });
    const finish = (outcome: OpOutcome): void => {
      this.inFlight.delete(callId);
      const responseMs = outcome.status === 'indeterminate' ? Infinity : this.now();
      this.completed.push({ clientId, path, op, outcome, invokeMs, responseMs });
    };
    let result: T;
    try {
      result = await call();
    } catch (error) {
      finish(failureOutcome(error));
      throw error;
    }
    finish(outcomeOf(result));
    return result;
  }
}

function failureOutcome(error: unknown): OpOutcome {
  if (error instanceof ZkError) return DEFINITE_ERRORS.has(error.code) ? { status: 'error', code: error.code } : { status: 'indeterminate', reason: error.code };
  return { status: 'indeterminate', reason: error instanceof Error ? error.name : String(error) };
}

const decoder = new TextDecoder();

/** Data as the register model sees it: node data decoded as UTF-8 (null data reads as ''). */
function dataValue(data: Uint8Array | null): string {
  return data === null ? '' : decoder.decode(data);
}

function czxidOf(stat: Stat): number {
  return Number(stat.czxid);
}

/**
 * The register calls of a {@link ZkClient}, recorded. Each method behaves like the client's
 * own (same arguments, answers and ZkErrors) but takes string data.
 */
export class RecordingClient {
  /**
   * Not for direct use: create one with {@link HistoryRecorder.wrap}.
   * @hidden
   */
  constructor(
    private readonly recorder: HistoryRecorder,
    /** The wrapped client. */
    readonly client: ZkClient,
    /** The id the calls are recorded under. */
    readonly clientId: string | number,
  ) {}

  /** `getData(path)`, recorded as a read. */
  getData(path: string, options: CallOptions = {}): Promise<DataResult> {
    return this.recorder.record(
      this.clientId,
      path,
      { type: 'getData' },
      () => this.client.getData(path, undefined, options),
      ({ data, stat }) => ({ status: 'ok', value: dataValue(data), version: stat.version, czxid: czxidOf(stat) }),
    );
  }

  /** `setData(path, value, expectedVersion)`, recorded as a compare-and-set (−1: unconditional). */
  setData(path: string, value: string, expectedVersion = -1, options: CallOptions = {}): Promise<Stat> {
    return this.recorder.record(
      this.clientId,
      path,
      { type: 'setData', value, expectedVersion },
      () => this.client.setData(path, value, expectedVersion, options),
      (stat) => ({ status: 'ok', version: stat.version, czxid: czxidOf(stat) }),
    );
  }

  /** A persistent `create(path, value)`; resolves with the path, and records the new node's czxid. */
  async create(path: string, value: string, options: CallOptions = {}): Promise<string> {
    const created = await this.recorder.record(
      this.clientId,
      path,
      { type: 'create', value },
      () => this.client.create(path, value, { stat: true, signal: options.signal }),
      ({ stat }) => ({ status: 'ok', version: stat.version, czxid: czxidOf(stat) }),
    );
    return created.path;
  }

  /** `delete(path, expectedVersion)` (−1: unconditional). */
  delete(path: string, expectedVersion = -1, options: CallOptions = {}): Promise<void> {
    return this.recorder.record(
      this.clientId,
      path,
      { type: 'delete', expectedVersion },
      () => this.client.delete(path, expectedVersion, options),
      () => ({ status: 'ok' }),
    );
  }

  /** `sync(path)`: later reads of this client reflect every write answered before it was invoked. */
  sync(path: string, options: CallOptions = {}): Promise<void> {
    return this.recorder.record(this.clientId, path, { type: 'sync' }, () => this.client.sync(path, options), () => ({ status: 'ok' }));
  }
}
