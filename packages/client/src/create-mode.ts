import { type ACL, CreateMode, OpCode, ZkError, validatePath } from '@zkts/protocol';

/** A create mode by name, as in ZooKeeper's `CreateMode`. */
export type CreateModeName = keyof typeof CreateMode;

/** Largest TTL ZooKeeper accepts (`EphemeralType.TTL.maxValue()`, 2^40 − 1 ms). */
export const MAX_TTL_MS = 0xff_ffff_ffff;

/** True for modes the server appends a sequence number to. */
export function isSequential(mode: CreateModeName): boolean {
  return mode === 'PERSISTENT_SEQUENTIAL' || mode === 'EPHEMERAL_SEQUENTIAL' || mode === 'PERSISTENT_SEQUENTIAL_WITH_TTL';
}

/** True for the TTL modes. */
export function isTTL(mode: CreateModeName): boolean {
  return mode === 'PERSISTENT_WITH_TTL' || mode === 'PERSISTENT_SEQUENTIAL_WITH_TTL';
}

/** How one create goes on the wire. */
export interface CreatePlan {
  readonly op: typeof OpCode.create | typeof OpCode.create2 | typeof OpCode.createContainer | typeof OpCode.createTTL;
  readonly flags: number;
}

/**
 * Validates a create the way ZooKeeper's client does before sending it (path with the
 * sequential rule, `EphemeralType.validateTTL`, a non-empty ACL) and picks its op code:
 * containers use createContainer and TTL modes createTTL (both answer with a Stat); other
 * modes use create2 when a Stat is wanted, else create.
 *
 * @throws ZkError BAD_ARGUMENTS for a bad path or TTL, INVALID_ACL for an empty ACL.
 */
export function planCreate(path: string, mode: CreateModeName, ttlMs: number | undefined, acl: readonly ACL[], wantStat: boolean): CreatePlan {
  if (!(mode in CreateMode)) throw new ZkError('BAD_ARGUMENTS', { path, message: `Unknown create mode ${String(mode)}` });
  validatePath(path, isSequential(mode));
  validateTTL(path, mode, ttlMs);
  validateACL(path, acl);
  const flags = CreateMode[mode];
  if (mode === 'CONTAINER') return { op: OpCode.createContainer, flags };
  if (isTTL(mode)) return { op: OpCode.createTTL, flags };
  return { op: wantStat ? OpCode.create2 : OpCode.create, flags };
}

/** `EphemeralType.validateTTL`: TTL modes need 1..2^40−1 ms, other modes must not have one. */
function validateTTL(path: string, mode: CreateModeName, ttlMs: number | undefined): void {
  if (isTTL(mode)) {
    if (ttlMs === undefined || !Number.isInteger(ttlMs) || ttlMs <= 0 || ttlMs > MAX_TTL_MS) {
      throw new ZkError('BAD_ARGUMENTS', { path, message: `ttl must be positive and cannot be larger than: ${MAX_TTL_MS}` });
    }
  } else if (ttlMs !== undefined) {
    throw new ZkError('BAD_ARGUMENTS', { path, message: `ttl not valid for mode: ${mode}` });
  }
}

/** `ZooKeeper.validateACL`: an empty ACL list is rejected before it reaches the server. */
export function validateACL(path: string, acl: readonly ACL[]): void {
  if (acl.length === 0) throw new ZkError('INVALID_ACL', { path });
}
