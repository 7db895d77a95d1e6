import { type ACL, type ErrorCodeName, type MultiOp, type MultiResult, OpCode, type Stat, ZkError, errorCodeName, validatePath } from '@zkts/protocol';
import { Ids } from './acl.js';
import type { Chroot } from './chroot.js';
import { type CreateModeName, planCreate } from './create-mode.js';
import { type NodeData, copyData, toWireData } from './data.js';

/** Creates a node inside a multi (`Op.create`). */
export interface CreateOp {
  readonly type: 'create';
  readonly path: string;
  readonly data?: NodeData;
  /** Default `PERSISTENT`. */
  readonly mode?: CreateModeName;
  /** Default `OPEN_ACL_UNSAFE` of {@link Ids}: everyone may do everything. */
  readonly acl?: readonly ACL[];
  /** Required by, and only allowed with, the TTL modes. */
  readonly ttlMs?: number;
}

/** Deletes a node inside a multi (`Op.delete`); version −1 (the default) matches any. */
export interface DeleteOp {
  readonly type: 'delete';
  readonly path: string;
  readonly version?: number;
}

/** Sets data inside a multi (`Op.setData`); version −1 (the default) matches any. */
export interface SetDataOp {
  readonly type: 'setData';
  readonly path: string;
  readonly data: NodeData;
  readonly version?: number;
}

/** Requires a node to have a version, else the multi fails (`Op.check`); −1 only requires it to exist. */
export interface CheckOp {
  readonly type: 'check';
  readonly path: string;
  readonly version: number;
}

/** A write operation of {@link ZkClient.multi}. */
export type Op = CreateOp | DeleteOp | SetDataOp | CheckOp;

/** A read operation of {@link ZkClient.multiRead} (`Op.getChildren`, `Op.getData`). */
export type ReadOp = { readonly type: 'getChildren'; readonly path: string } | { readonly type: 'getData'; readonly path: string };

/** The error result of one op (`OpResult.ErrorResult`). */
export interface ErrorResult {
  readonly type: 'error';
  /** The code name; `OK` for ops of a failed multi that came before the failing one. */
  readonly code: ErrorCodeName;
  readonly errno: number;
}

/** One op's result in a multi (`OpResult`). `stat` of a create is set for container and TTL creates, which answer with one. */
export type OpResult =
  | { readonly type: 'create'; readonly path: string; readonly stat: Stat | undefined }
  | { readonly type: 'delete' }
  | { readonly type: 'setData'; readonly stat: Stat }
  | { readonly type: 'check' }
  | ErrorResult;

/** One op's result in a multiRead: reads fail one by one, so errors sit beside successes. */
export type ReadOpResult =
  | { readonly type: 'getChildren'; readonly children: string[] }
  | { readonly type: 'getData'; readonly data: Uint8Array | null; readonly stat: Stat }
  | ErrorResult;

/**
 * Validates an op as `Op.validate` does and converts it to the wire form with the chroot
 * prepended. Read ops in a write multi, or the reverse, are rejected like ZooKeeper's
 * "Mixing read and write operations" check.
 */
export function toWireOp(op: Op | ReadOp, chroot: Chroot, kind: 'write' | 'read'): MultiOp {
  const isRead = op.type === 'getChildren' || op.type === 'getData';
  if (isRead !== (kind === 'read')) {
    throw new ZkError('BAD_ARGUMENTS', { path: op.path, message: 'Mixing read and write operations (transaction) is not allowed in a multi request' });
  }
  switch (op.type) {
    case 'create': {
      const acl = op.acl ?? Ids.OPEN_ACL_UNSAFE;
      const plan = planCreate(op.path, op.mode ?? 'PERSISTENT', op.ttlMs, acl, false);
      const base = { path: chroot.toServer(op.path), data: toWireData(op.data), acl: [...acl], flags: plan.flags };
      if (plan.op === OpCode.createTTL) return { type: OpCode.createTTL, body: { ...base, ttl: BigInt(op.ttlMs ?? 0) } };
      return { type: plan.op === OpCode.createContainer ? OpCode.createContainer : OpCode.create, body: base };
    }
    case 'delete':
      validatePath(op.path);
      return { type: OpCode.delete, body: { path: chroot.toServer(op.path), version: op.version ?? -1 } };
    case 'setData':
      validatePath(op.path);
      return { type: OpCode.setData, body: { path: chroot.toServer(op.path), data: toWireData(op.data), version: op.version ?? -1 } };
    case 'check':
      validatePath(op.path);
      return { type: OpCode.check, body: { path: chroot.toServer(op.path), version: op.version } };
    case 'getChildren':
      validatePath(op.path);
      return { type: OpCode.getChildren, body: { path: chroot.toServer(op.path), watch: false } };
    case 'getData':
      validatePath(op.path);
      return { type: OpCode.getData, body: { path: chroot.toServer(op.path), watch: false } };
  }
}

/** Converts a wire result to the API's shape, stripping the chroot from created paths. */
export function fromWireResult(result: MultiResult, chroot: Chroot): OpResult | ReadOpResult {
  switch (result.type) {
    case OpCode.create:
      return { type: 'create', path: chroot.toClient(result.body.path), stat: undefined };
    case OpCode.create2:
      return { type: 'create', path: chroot.toClient(result.body.path), stat: result.body.stat };
    case OpCode.delete:
      return { type: 'delete' };
    case OpCode.check:
      return { type: 'check' };
    case OpCode.setData:
      return { type: 'setData', stat: result.body.stat };
    case OpCode.getChildren:
      return { type: 'getChildren', children: result.body.children };
    case OpCode.getData:
      return { type: 'getData', data: copyData(result.body.data), stat: result.body.stat };
    case -1:
      return errorResult(result.body.err);
  }
}

function errorResult(errno: number): ErrorResult {
  return { type: 'error', code: errorCodeName(errno) ?? 'SYSTEM_ERROR', errno };
}
