/**
 * How ZooKeeper packs node kinds into the 64-bit `ephemeralOwner` field
 * (EphemeralType.java): 0 for a plain node, the session id for an ephemeral,
 * Long.MIN_VALUE for a container, and `0xFF00_0000_0000_0000 | ttlMs` for a TTL
 * node when extended types are enabled. Clients see 0 for containers and TTL
 * nodes (DataNode.copyStat).
 * @module
 */

import { CreateMode } from '@zkts/protocol';

/** The kind of node an ephemeralOwner value denotes. */
export type EphemeralType = 'VOID' | 'NORMAL' | 'CONTAINER' | 'TTL';

/** ephemeralOwner of every container node (`EphemeralType.CONTAINER_EPHEMERAL_OWNER`). */
export const CONTAINER_EPHEMERAL_OWNER = -(1n << 63n);

const EXTENDED_MASK = BigInt.asIntN(64, 0xff00000000000000n);
const RESERVED_BITS_MASK = 0x00ffff0000000000n;
const EXTENDED_FEATURE_VALUE_MASK = 0x000000ffffffffffn;

/** Largest TTL a node may have: the 40 value bits, about 34 years in milliseconds. */
export const MAX_TTL_MS = Number(EXTENDED_FEATURE_VALUE_MASK);

/** Classifies an ephemeralOwner value as EphemeralType.get does. */
export function ephemeralTypeOf(ephemeralOwner: bigint, extendedTypesEnabled: boolean): EphemeralType {
  if (ephemeralOwner === 0n) return 'VOID';
  if (extendedTypesEnabled && (ephemeralOwner & EXTENDED_MASK) === EXTENDED_MASK) {
    // Feature bits other than 0 (TTL) are undefined; ZooKeeper throws on them.
    // They can only come from a session id with top byte 0xFF, which extended
    // types forbid, so treating them as a session keeps the tree total.
    return (ephemeralOwner & RESERVED_BITS_MASK) === 0n ? 'TTL' : 'NORMAL';
  }
  return ephemeralOwner === CONTAINER_EPHEMERAL_OWNER ? 'CONTAINER' : 'NORMAL';
}

/** The ephemeralOwner of a TTL node (`EphemeralType.TTL.toEphemeralOwner`); `ttlMs` must be valid. */
export function ttlEphemeralOwner(ttlMs: number): bigint {
  return EXTENDED_MASK | BigInt(ttlMs);
}

/** The TTL in milliseconds packed into a TTL node's ephemeralOwner. */
export function ttlOf(ephemeralOwner: bigint): number {
  return Number(ephemeralOwner & EXTENDED_FEATURE_VALUE_MASK);
}

/** The ephemeralOwner clients see in a Stat: the session for ephemerals, otherwise 0. */
export function clientEphemeralOwner(ephemeralOwner: bigint, extendedTypesEnabled: boolean): bigint {
  return ephemeralTypeOf(ephemeralOwner, extendedTypesEnabled) === 'NORMAL' ? ephemeralOwner : 0n;
}

/** Whether `flags` is a create mode ZooKeeper knows (CreateMode.fromFlag). */
export function isCreateMode(flags: number): flags is CreateMode {
  return Number.isInteger(flags) && flags >= CreateMode.PERSISTENT && flags <= CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
}

/** CreateMode.isSequential. */
export function isSequentialMode(mode: CreateMode): boolean {
  return mode === CreateMode.PERSISTENT_SEQUENTIAL || mode === CreateMode.EPHEMERAL_SEQUENTIAL || mode === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
}

/** CreateMode.isEphemeral (sessions' nodes only; containers and TTL nodes are not). */
export function isEphemeralMode(mode: CreateMode): boolean {
  return mode === CreateMode.EPHEMERAL || mode === CreateMode.EPHEMERAL_SEQUENTIAL;
}

/** CreateMode.isTTL. */
export function isTtlMode(mode: CreateMode): boolean {
  return mode === CreateMode.PERSISTENT_WITH_TTL || mode === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
}

/**
 * EphemeralType.validateTTL: TTL modes need 0 < ttl ≤ MAX_TTL_MS; other modes
 * must not carry a TTL (plain creates send −1).
 */
export function isValidTtl(mode: CreateMode, ttlMs: number): boolean {
  if (isTtlMode(mode)) return Number.isInteger(ttlMs) && ttlMs > 0 && ttlMs <= MAX_TTL_MS;
  return ttlMs < 0;
}
