import {
  CreateMode,
  ErrorCode,
  OpCode,
  ZkError,
  type CreateRequest,
  type CreateTTLRequest,
  type DeleteRequest,
  type SetACLRequest,
  type SetDataRequest,
  type CheckVersionRequest,
  type MultiRequest,
  type MultiResult,
  type MultiOp,
} from '@zkts/protocol';
import { DataTree } from '../tree/data-tree.js';
import type { TreeMultiOp, TreeMultiOpResult, WatchDelivery } from '../tree/tree-types.js';
import type { AuthContext } from '../tree/acl.js';
import type { Txn } from '../replication/replicator.js';
import { assert } from '../util/assert.js';

/** What applying one transaction produced. */
export interface TxnOutcome {
  /** 0 on success, else the ZooKeeper error code the client gets. */
  err: number;
  /** The protocol response body on success. */
  response?: unknown;
  /** Watch notifications to deliver, in order. */
  deliveries: WatchDelivery<unknown>[];
}

const NO_DELIVERIES: WatchDelivery<unknown>[] = [];

/**
 * The replicated state machine of a server: the znode tree plus the table of
 * live sessions, advanced only by committed transactions in zxid order.
 * Applying is deterministic, so every server computes the same outcome.
 */
export class ZkDatabase {
  /** The znode tree. Watchers are client connections, opaque to the tree. */
  readonly tree: DataTree<unknown>;
  /** Live sessions and their timeouts, as replicated by createSession/closeSession. */
  readonly sessions = new Map<bigint, number>();
  /** The zxid of the last applied transaction. */
  lastProcessedZxid = 0;

  constructor(options: { extendedTypesEnabled?: boolean } = {}, tree?: DataTree<unknown>) {
    this.tree = tree ?? new DataTree({ extendedTypesEnabled: options.extendedTypesEnabled ?? true });
  }

  /** A database rebuilt from a snapshot: its tree, session table and applied zxid. */
  static restore(tree: DataTree<unknown>, sessions: Map<bigint, number>, lastProcessedZxid: number): ZkDatabase {
    const database = new ZkDatabase({}, tree);
    for (const [sessionId, timeoutMs] of sessions) database.sessions.set(sessionId, timeoutMs);
    database.lastProcessedZxid = lastProcessedZxid;
    return database;
  }

  /** Applies a committed transaction. */
  apply(txn: Txn): TxnOutcome {
    assert(txn.zxid > this.lastProcessedZxid, `txn zxid ${txn.zxid} applied after ${this.lastProcessedZxid}`);
    this.lastProcessedZxid = txn.zxid;
    try {
      return this.applyUnchecked(txn);
    } catch (error) {
      if (error instanceof ZkError) return { err: error.errno, deliveries: NO_DELIVERIES };
      throw error;
    }
  }

  /** A hex digest of the tree, for comparing servers. */
  digestHex(): string {
    return this.tree.digest().toString(16);
  }

  private applyUnchecked(txn: Txn): TxnOutcome {
    const ctx = {
      zxid: txn.zxid,
      timeMs: txn.timeMs,
      sessionId: txn.sessionId,
      auth: { ids: txn.authIds, superUser: txn.superUser } satisfies AuthContext,
    };
    switch (txn.type) {
      case OpCode.createSession:
        this.sessions.set(txn.sessionId, (txn.body as { timeOut: number }).timeOut);
        return { err: ErrorCode.OK, deliveries: NO_DELIVERIES };
      case OpCode.closeSession: {
        const closed = this.tree.closeSession(ctx);
        this.sessions.delete(txn.sessionId);
        return { err: ErrorCode.OK, deliveries: closed.events };
      }
      case OpCode.error:
        // A request refused before it became a change (ZooKeeper's ErrorTxn): it only takes its zxid.
        return { err: (txn.body as { err: number }).err, deliveries: NO_DELIVERIES };
      case OpCode.deleteContainer: {
        const { path } = txn.body as { path: string };
        return { err: ErrorCode.OK, deliveries: this.tree.deleteContainer(ctx, path).events };
      }
    }
    // Any other write from a session that is gone fails, as ZooKeeper rejects requests of expired sessions.
    if (!this.sessions.has(txn.sessionId)) return { err: ErrorCode.SESSION_EXPIRED, deliveries: NO_DELIVERIES };
    switch (txn.type) {
      case OpCode.create: {
        const body = txn.body as CreateRequest;
        const result = this.tree.create(ctx, body.path, ownedCopy(body.data), body.acl, treeCreateMode(txn.type, body.flags));
        return { err: ErrorCode.OK, response: { path: result.path }, deliveries: result.events };
      }
      case OpCode.create2:
      case OpCode.createContainer:
      case OpCode.createTTL: {
        const body = txn.body as CreateTTLRequest;
        const ttlMs = txn.type === OpCode.createTTL ? Number(body.ttl) : -1;
        const result = this.tree.create(ctx, body.path, ownedCopy(body.data), body.acl, treeCreateMode(txn.type, body.flags), ttlMs);
        return { err: ErrorCode.OK, response: { path: result.path, stat: result.stat }, deliveries: result.events };
      }
      case OpCode.delete: {
        const body = txn.body as DeleteRequest;
        return { err: ErrorCode.OK, deliveries: this.tree.delete(ctx, body.path, body.version).events };
      }
      case OpCode.setData: {
        const body = txn.body as SetDataRequest;
        const result = this.tree.setData(ctx, body.path, ownedCopy(body.data), body.version);
        return { err: ErrorCode.OK, response: { stat: result.stat }, deliveries: result.events };
      }
      case OpCode.setACL: {
        const body = txn.body as SetACLRequest;
        const result = this.tree.setACL(ctx, body.path, body.acl, body.version);
        return { err: ErrorCode.OK, response: { stat: result.stat }, deliveries: result.events };
      }
      case OpCode.check: {
        const body = txn.body as CheckVersionRequest;
        this.tree.check(ctx, body.path, body.version);
        return { err: ErrorCode.OK, deliveries: NO_DELIVERIES };
      }
      case OpCode.multi: {
        const body = txn.body as MultiRequest;
        // A create with TTL flags but no TTL makes ZooKeeper's prep throw a ClassCastException
        // when it reaches that op, which refuses the whole multi; an earlier failing op stops
        // the prep before it. So it becomes an op that always fails, and whether the tree got
        // that far decides between the two answers.
        const unpreparable = body.ops.findIndex((op) => op.type !== OpCode.createTTL && isCreate(op) && isTtlFlags(op.body.flags));
        const ops = body.ops.map((op, index) => (index === unpreparable ? ALWAYS_FAILS : toTreeOp(op)));
        const result = this.tree.multi(ctx, ops);
        if (unpreparable >= 0 && result.failure?.index === unpreparable) return { err: ErrorCode.MARSHALLING_ERROR, deliveries: NO_DELIVERIES };
        return {
          err: ErrorCode.OK,
          response: { results: result.results.map((r, i) => toMultiResult(r, body.ops[i]!)) },
          deliveries: result.events,
        };
      }
      default:
        return { err: ErrorCode.UNIMPLEMENTED, deliveries: NO_DELIVERIES };
    }
  }
}

/**
 * Decoded request data is a view into the received frame; the tree keeps what
 * it is given, so each znode gets its own bytes instead of pinning the frame.
 */
function ownedCopy(data: Uint8Array | null): Uint8Array | null {
  return data === null ? null : data.slice();
}

/**
 * The create mode the tree applies. In ZooKeeper the request's flags choose
 * the checks and the sequence suffix, but the op code chooses the txn, and
 * the txn the node's type: create/create2 write a CreateTxn, whose node is
 * ephemeral or persistent (a CONTAINER flag yields a plain persistent node),
 * and createContainer writes a CreateContainerTxn, a container whatever its
 * flags. TTL flags are left as they are, for the tree to refuse without a TTL.
 */
function treeCreateMode(opType: number, flags: number): number {
  switch (opType) {
    case OpCode.create:
    case OpCode.create2:
      return flags === CreateMode.CONTAINER ? CreateMode.PERSISTENT : flags;
    case OpCode.createContainer:
      return flags === CreateMode.PERSISTENT || flags === CreateMode.EPHEMERAL ? CreateMode.CONTAINER : flags;
    default:
      return flags;
  }
}

/** A multi op that fails whatever the tree holds (an invalid path), standing in for one ZooKeeper cannot prepare. */
const ALWAYS_FAILS: TreeMultiOp = { type: 'check', path: '', version: -1 };

function isCreate(op: MultiOp): op is Extract<MultiOp, { body: CreateRequest }> {
  return op.type === OpCode.create || op.type === OpCode.create2 || op.type === OpCode.createContainer;
}

function isTtlFlags(flags: number): boolean {
  return flags === CreateMode.PERSISTENT_WITH_TTL || flags === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
}

/**
 * The op a multi's create really is. ZooKeeper rebuilds each create of a multi with
 * `Op.create(path, data, acl, flags[, ttl])`, which picks the op from the flags alone:
 * createContainer for the CONTAINER flag, createTTL for TTL flags (and only from a
 * createTTL record), plain create otherwise. So a create2 in a multi answers like a create,
 * and a createContainer without the CONTAINER flag makes a persistent node.
 */
function multiCreateOp(op: MultiOp): typeof OpCode.create | typeof OpCode.createContainer | typeof OpCode.createTTL {
  const flags = op.type === OpCode.create || op.type === OpCode.create2 || op.type === OpCode.createContainer || op.type === OpCode.createTTL ? op.body.flags : -1;
  if (flags === CreateMode.CONTAINER) return OpCode.createContainer;
  if (op.type === OpCode.createTTL && isTtlFlags(flags)) return OpCode.createTTL;
  return OpCode.create;
}

function toTreeOp(op: MultiOp): TreeMultiOp {
  switch (op.type) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL: {
      const effective = multiCreateOp(op);
      const spec = { type: 'create' as const, path: op.body.path, data: ownedCopy(op.body.data), acl: op.body.acl, createMode: op.body.flags };
      return effective === OpCode.createTTL && op.type === OpCode.createTTL ? { ...spec, ttlMs: Number(op.body.ttl) } : spec;
    }
    case OpCode.delete:
      return { type: 'delete', path: op.body.path, version: op.body.version };
    case OpCode.setData:
      return { type: 'setData', path: op.body.path, data: ownedCopy(op.body.data), version: op.body.version };
    case OpCode.check:
      return { type: 'check', path: op.body.path, version: op.body.version };
    default:
      // Read ops inside a write multi: ZooKeeper rejects the whole request as it does an unreadable one.
      throw new ZkError('MARSHALLING_ERROR', { path: op.body.path, message: 'read operation in a write multi' });
  }
}

/**
 * Maps a tree result onto the wire's result record. A plain create answers with its path
 * (type create); container and TTL creates with path and Stat (OpResult.CreateResult, type create2).
 */
function toMultiResult(result: TreeMultiOpResult, op: MultiOp): MultiResult {
  switch (result.type) {
    case 'create':
      return multiCreateOp(op) === OpCode.create
        ? { type: OpCode.create, err: 0, body: { path: result.path } }
        : { type: OpCode.create2, err: 0, body: { path: result.path, stat: result.stat } };
    case 'delete':
      return { type: OpCode.delete, err: 0 };
    case 'check':
      return { type: OpCode.check, err: 0 };
    case 'setData':
      return { type: OpCode.setData, err: 0, body: { stat: result.stat } };
    case 'error':
      return { type: -1, err: result.err, body: { err: result.err } };
  }
}
