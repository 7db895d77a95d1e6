const encoder = new TextEncoder();

/** Node data as the API accepts it: bytes, a string (sent as UTF-8), or null (jute's null buffer). */
export type NodeData = Uint8Array | string | null;

/** Converts user data to the bytes on the wire; omitted data becomes empty, `null` stays null as in ZooKeeper. */
export function toWireData(data: NodeData | undefined): Uint8Array | null {
  if (data === undefined) return new Uint8Array(0);
  if (typeof data === 'string') return encoder.encode(data);
  return data;
}

/**
 * Copies bytes out of a received frame into a plain Uint8Array, so callers may keep and
 * modify them (a Node Buffer's `slice` would still share the frame's memory).
 */
export function copyData(data: Uint8Array | null): Uint8Array | null {
  return data === null ? null : new Uint8Array(data);
}
