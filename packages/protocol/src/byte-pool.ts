/**
 * A bump allocator for small frames. Allocating a typed array above V8's on-heap limit (64
 * bytes) costs ~0.5 µs, more than encoding a typical frame, so small frames are carved out of
 * shared 16 KiB slabs instead, as Node's Buffer pool does. Regions are handed out once and
 * never reused: a frame is a view that owns its bytes, and a slab is freed when no view of it
 * is left. Frames therefore share ArrayBuffers: always honour `byteOffset` / `byteLength`.
 * @module
 */

/** Size of one slab. Kept small so that a retained frame pins little memory. */
const SLAB_BYTES = 16 * 1024;
/** A claim needing more than this skips the pool. */
export const MAX_POOLED_BYTES = 4 * 1024;
/** A slab with less room than this is retired rather than handed out. */
const MIN_FREE_BYTES = 1024;

/** A slab lent to one writer: writes may go anywhere in `[offset, bytes.length)`. */
export interface SlabLease {
  bytes: Uint8Array;
  view: DataView;
  offset: number;
}

let current: SlabLease | null = null;

/**
 * Lends the current slab (or a fresh one) for exclusive writing, or returns null when
 * `minBytes` is too large to pool. A writer that never returns its lease (it threw) costs
 * nothing but that slab: the next claim just starts a new one.
 */
export function claimSlab(minBytes: number): SlabLease | null {
  if (minBytes > MAX_POOLED_BYTES) return null;
  let lease = current;
  if (lease === null || lease.bytes.length - lease.offset < Math.max(minBytes, MIN_FREE_BYTES)) {
    const bytes = new Uint8Array(SLAB_BYTES);
    lease = { bytes, view: new DataView(bytes.buffer), offset: 0 };
  }
  current = null;
  return lease;
}

/** Returns a lease whose bytes before `end` are now taken; the rest stays available. */
export function releaseSlab(lease: SlabLease, end: number): void {
  // Keep 8-byte alignment between frames, as allocators do.
  lease.offset = Math.min(lease.bytes.length, (end + 7) & ~7);
  // Two leases can be out at once (a writer created while another is open): keep the roomier.
  if (current === null || current.bytes.length - current.offset < lease.bytes.length - lease.offset) current = lease;
}

/** Allocates `length` zeroed bytes, from a slab when small. */
export function allocateBytes(length: number): Uint8Array {
  const lease = claimSlab(length);
  if (lease === null) return new Uint8Array(length);
  const start = lease.offset;
  const out = lease.bytes.subarray(start, start + length);
  releaseSlab(lease, start + length);
  return out;
}
