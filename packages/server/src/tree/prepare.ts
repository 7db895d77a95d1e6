/**
 * PrepRequestProcessor's half of a write: validate a request against the
 * current state (and, inside a multi, against the pending changes of earlier
 * ops) and turn it into a fully determined transaction. Nothing here changes
 * the tree; every failure is the ZkError ZooKeeper reports, raised in
 * ZooKeeper's order of checks.
 * @module
 */

import { type ACL, CreateMode, Perms, validatePath, ZkError } from '@zkts/protocol';
import { type AclSchemeProvider, type AuthContext, checkAcl, fixupAcl } from './acl.js';
import {
  CONTAINER_EPHEMERAL_OWNER,
  ephemeralTypeOf,
  isCreateMode,
  isEphemeralMode,
  isSequentialMode,
  isTtlMode,
  isValidTtl,
  ttlEphemeralOwner,
} from './ephemeral-type.js';
import { formatSequenceSuffix } from './sequence-suffix.js';
import type { CreateSpec, TreeMultiOp, TxnContext } from './tree-types.js';
import type { ZnodeStore } from './znode-store.js';

/** A node as a prepared request sees it (ZooKeeper's ChangeRecord). */
export interface ChangeRecord {
  version: number;
  /** Persisted cversion. */
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  childCount: number;
  acl: readonly ACL[];
}

/**
 * Pending changes of a multi's earlier ops, keyed by the exact path string
 * (as outstandingChangesForPath is, so `""` and `/` are distinct); null marks a deletion.
 */
export type Overlay = Map<string, ChangeRecord | null>;

/** A validated create (CreateTxn / CreateContainerTxn / CreateTTLTxn). */
export interface CreateTxn {
  type: 'create';
  /** The final path, sequence suffix included. */
  path: string;
  data: Uint8Array | null;
  /** The fixed-up ACL (auth expanded, duplicates dropped). */
  acl: ACL[];
  ephemeralOwner: bigint;
  /** The parent's cversion + 1, wrapped as a Java int. */
  parentCVersion: number;
}

/** A validated delete or deleteContainer (DeleteTxn). */
export interface DeleteTxn {
  type: 'delete';
  path: string;
}

/** A validated setData (SetDataTxn), with the new version. */
export interface SetDataTxn {
  type: 'setData';
  path: string;
  data: Uint8Array | null;
  version: number;
}

/** A validated setACL (SetACLTxn), with the fixed-up ACL and the new aversion. */
export interface SetAclTxn {
  type: 'setACL';
  path: string;
  acl: ACL[];
  aversion: number;
}

/** A validated check (CheckVersionTxn); applying it changes nothing. */
export interface CheckTxn {
  type: 'check';
  path: string;
}

/** A validated write ready to apply. */
export type Txn = CreateTxn | DeleteTxn | SetDataTxn | SetAclTxn | CheckTxn;

/** The transactions a multi may hold. */
export type MultiTxn = CreateTxn | DeleteTxn | SetDataTxn | CheckTxn;

/** The settings preparation depends on. */
export interface PrepareRules {
  extendedTypesEnabled: boolean;
  providers: ReadonlyMap<string, AclSchemeProvider>;
  skipAcl: boolean;
}

/** Paths ZooKeeper refuses to delete (DataTree.isSpecialPath). */
const SPECIAL_PATHS = new Set(['/', '/zookeeper', '/zookeeper/quota', '/zookeeper/config']);

/** checkAndIncVersion as in 3.8.0: −1 matches any version; the next version wraps as a Java int. */
function checkAndIncVersion(current: number, expected: number, path: string): number {
  if (expected !== -1 && expected !== current) throw new ZkError('BAD_VERSION', { path });
  return (current + 1) | 0;
}

/** getParentPathAndValidate: the parent of a path to delete. */
function parentForDelete(path: string): string {
  const lastSlash = path.lastIndexOf('/');
  if (lastSlash < 0 || path.includes('\0') || SPECIAL_PATHS.has(path)) throw new ZkError('BAD_ARGUMENTS', { path });
  return path.slice(0, lastSlash);
}

/** Validates writes against a store; pass an overlay to prepare the ops of one multi in sequence. */
export class TxnPreparer {
  constructor(
    private readonly store: ZnodeStore,
    private readonly rules: PrepareRules,
  ) {}

  /** The node as prepared requests see it: a pending change of this multi, else the tree. */
  private record(path: string, overlay: Overlay | undefined): ChangeRecord | undefined {
    const pending = overlay?.get(path);
    if (pending !== undefined) return pending ?? undefined;
    const s = this.store;
    const id = s.find(path);
    if (id < 0) return undefined;
    return {
      version: s.nodes.version[id]!,
      cversion: s.nodes.cversion[id]!,
      aversion: s.nodes.aversion[id]!,
      ephemeralOwner: s.nodes.ephemeralOwner[id]!,
      childCount: s.childCount(id),
      acl: s.aclOf(id),
    };
  }

  private requireRecord(path: string, overlay: Overlay | undefined): ChangeRecord {
    const record = this.record(path, overlay);
    if (record === undefined) throw new ZkError('NO_NODE', { path });
    return record;
  }

  private checkAcl(acl: readonly ACL[], perm: number, auth: AuthContext | undefined, path: string): void {
    if (!this.rules.skipAcl) checkAcl(acl, perm, auth, this.rules.providers, path);
  }

  /** One op of a multi. */
  op(ctx: TxnContext, op: TreeMultiOp, overlay: Overlay): MultiTxn {
    switch (op.type) {
      case 'create':
        return this.create(ctx, op, overlay);
      case 'delete':
        return this.delete(ctx, op.path, op.version, overlay);
      case 'setData':
        return this.setData(ctx, op.path, op.data, op.version, overlay);
      case 'check':
        return this.check(ctx, op.path, op.version, overlay);
    }
  }

  /** pRequest2TxnCreate. */
  create(ctx: TxnContext, spec: CreateSpec, overlay?: Overlay): CreateTxn {
    const { path, createMode } = spec;
    const ttlMs = spec.ttlMs ?? -1;
    if (!isCreateMode(createMode)) throw new ZkError('BAD_ARGUMENTS', { path });
    if (isTtlMode(createMode) && !this.rules.extendedTypesEnabled) throw new ZkError('UNIMPLEMENTED', { path });
    if (!isValidTtl(createMode, ttlMs)) throw new ZkError('BAD_ARGUMENTS', { path });
    const lastSlash = path.lastIndexOf('/');
    if (lastSlash < 0 || path.includes('\0')) throw new ZkError('BAD_ARGUMENTS', { path });
    const parentPath = path.slice(0, lastSlash);
    const acl = fixupAcl(path, ctx.auth, spec.acl, this.rules.providers);
    const parent = this.requireRecord(parentPath, overlay);
    this.checkAcl(parent.acl, Perms.CREATE, ctx.auth, path);
    // The suffix is the persisted cversion (children ever created), not the one clients see.
    const actualPath = isSequentialMode(createMode) ? path + formatSequenceSuffix(parent.cversion) : path;
    validatePath(actualPath);
    if (this.record(actualPath, overlay) !== undefined) throw new ZkError('NODE_EXISTS', { path: actualPath });
    if (ephemeralTypeOf(parent.ephemeralOwner, this.rules.extendedTypesEnabled) === 'NORMAL') {
      throw new ZkError('NO_CHILDREN_FOR_EPHEMERALS', { path: actualPath });
    }
    const parentCVersion = (parent.cversion + 1) | 0;
    const ephemeralOwner =
      createMode === CreateMode.CONTAINER
        ? CONTAINER_EPHEMERAL_OWNER
        : isTtlMode(createMode)
          ? ttlEphemeralOwner(ttlMs)
          : isEphemeralMode(createMode)
            ? BigInt.asIntN(64, ctx.sessionId)
            : 0n;
    if (overlay !== undefined) {
      overlay.set(parentPath, { ...parent, childCount: parent.childCount + 1, cversion: parentCVersion });
      overlay.set(actualPath, { version: 0, cversion: 0, aversion: 0, ephemeralOwner, childCount: 0, acl });
    }
    return { type: 'create', path: actualPath, data: spec.data, acl, ephemeralOwner, parentCVersion };
  }

  /** OpCode.delete: DELETE on the parent, version, no children. */
  delete(ctx: TxnContext, path: string, version: number, overlay?: Overlay): DeleteTxn {
    const parentPath = parentForDelete(path);
    const parent = this.requireRecord(parentPath, overlay);
    this.checkAcl(parent.acl, Perms.DELETE, ctx.auth, path);
    const node = this.requireRecord(path, overlay);
    checkAndIncVersion(node.version, version, path);
    if (node.childCount > 0) throw new ZkError('NOT_EMPTY', { path });
    if (overlay !== undefined) {
      overlay.set(parentPath, { ...parent, childCount: parent.childCount - 1 });
      overlay.set(path, null);
    }
    return { type: 'delete', path };
  }

  /** OpCode.deleteContainer: no ACL or version check; refuses nodes with children and session ephemerals. */
  deleteContainer(path: string): DeleteTxn {
    const parentPath = parentForDelete(path);
    const node = this.requireRecord(path, undefined);
    if (node.childCount > 0) throw new ZkError('NOT_EMPTY', { path });
    if (ephemeralTypeOf(node.ephemeralOwner, this.rules.extendedTypesEnabled) === 'NORMAL') throw new ZkError('BAD_VERSION', { path });
    this.requireRecord(parentPath, undefined);
    return { type: 'delete', path };
  }

  /** OpCode.setData: WRITE, version. */
  setData(ctx: TxnContext, path: string, data: Uint8Array | null, version: number, overlay?: Overlay): SetDataTxn {
    validatePath(path);
    const node = this.requireRecord(path, overlay);
    this.checkAcl(node.acl, Perms.WRITE, ctx.auth, path);
    const newVersion = checkAndIncVersion(node.version, version, path);
    overlay?.set(path, { ...node, version: newVersion });
    return { type: 'setData', path, data, version: newVersion };
  }

  /** OpCode.setACL: the ACL is fixed up before the node is looked up; ADMIN, aversion. */
  setACL(ctx: TxnContext, path: string, acl: readonly ACL[], version: number): SetAclTxn {
    validatePath(path);
    const fixed = fixupAcl(path, ctx.auth, acl, this.rules.providers);
    const node = this.requireRecord(path, undefined);
    this.checkAcl(node.acl, Perms.ADMIN, ctx.auth, path);
    return { type: 'setACL', path, acl: fixed, aversion: checkAndIncVersion(node.aversion, version, path) };
  }

  /** OpCode.check: READ, version. */
  check(ctx: TxnContext, path: string, version: number, overlay?: Overlay): CheckTxn {
    validatePath(path);
    const node = this.requireRecord(path, overlay);
    this.checkAcl(node.acl, Perms.READ, ctx.auth, path);
    checkAndIncVersion(node.version, version, path);
    return { type: 'check', path };
  }
}
