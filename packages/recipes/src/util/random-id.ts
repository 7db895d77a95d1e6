/**
 * Random identifiers for protected node names and participant ids. `crypto.randomUUID` is a
 * global in Node 19+ and in browsers (secure contexts), so no Node import is needed.
 * @module
 */
interface CryptoLike {
  randomUUID(): string;
}

/** A random version-4 UUID. */
export function randomId(): string {
  const crypto = (globalThis as { crypto?: CryptoLike }).crypto;
  if (crypto !== undefined && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Outside secure browser contexts randomUUID is missing; collisions only need to be unlikely.
  const hex = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}
