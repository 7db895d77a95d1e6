/**
 * Address parsing and prefix matching for the `ip` ACL scheme
 * (IPAuthenticationProvider). IPv4 follows ZooKeeper 3.8 exactly, including
 * its use of Integer.parseInt per octet (so `+1` and `010` are accepted).
 * IPv6 is an extension: ZooKeeper 3.8.0 only understands IPv4, so it rejects
 * IPv6 ids as invalid ACLs and never matches IPv6 clients.
 * @module
 */

/** Java's Integer.parseInt for ASCII input: optional sign, decimal digits, 32-bit range. */
export function javaParseInt(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = Number(text);
  if (value > 2147483647 || value < -2147483648) return undefined;
  return value === 0 ? 0 : value;
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const v = javaParseInt(parts[i]!);
    if (v === undefined || v < 0 || v > 255) return undefined;
    bytes[i] = v;
  }
  return bytes;
}

function parseIpv6(input: string): Uint8Array | undefined {
  let text = input;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (!text.includes(':')) return undefined;
  const words: number[] = [];
  let tailWords: number[] | undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string, allowIpv4Tail: boolean): number[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (allowIpv4Tail && i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (v4 === undefined || !/^[0-9.]+$/.test(g)) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  if (halves.length === 2) {
    const head = parseGroups(halves[0]!, false);
    const tail = parseGroups(halves[1]!, true);
    if (head === undefined || tail === undefined || head.length + tail.length > 7) return undefined;
    words.push(...head);
    tailWords = tail;
    while (words.length + tailWords.length < 8) words.push(0);
    words.push(...tailWords);
  } else {
    const all = parseGroups(text, true);
    if (all === undefined || all.length !== 8) return undefined;
    words.push(...all);
  }
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    bytes[2 * i] = words[i]! >> 8;
    bytes[2 * i + 1] = words[i]! & 0xff;
  }
  return bytes;
}

/** Parses an IPv4 (4 bytes) or IPv6 (16 bytes) address; undefined if it is neither. */
export function parseIpAddress(text: string): Uint8Array | undefined {
  return parseIpv4(text) ?? parseIpv6(text);
}

/** Zeroes every bit after the first `bits`, as IPAuthenticationProvider.mask does. */
function mask(bytes: Uint8Array, bits: number): void {
  let start = Math.floor(bits / 8);
  let startMask = ~((1 << (8 - (bits % 8))) - 1);
  while (start < bytes.length) {
    bytes[start] = bytes[start]! & startMask;
    startMask = 0;
    start++;
  }
}

/** Splits `address/bits`; bits defaults to the full address length. Undefined when malformed. */
function parseIpAcl(aclExpr: string): { address: Uint8Array; bits: number } | undefined {
  const slash = aclExpr.indexOf('/');
  const address = parseIpAddress(slash < 0 ? aclExpr : aclExpr.slice(0, slash));
  if (address === undefined) return undefined;
  if (slash < 0) return { address, bits: address.length * 8 };
  const bits = javaParseInt(aclExpr.slice(slash + 1));
  if (bits === undefined || bits < 0 || bits > address.length * 8) return undefined;
  return { address, bits };
}

/** IPAuthenticationProvider.isValid: an address with an optional in-range prefix length. */
export function isValidIpAcl(aclExpr: string): boolean {
  return parseIpAcl(aclExpr) !== undefined;
}

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** Brings a client address to the family of the ACL address; IPv4-mapped IPv6 counts as IPv4. */
function sameFamily(remote: Uint8Array, length: number): Uint8Array | undefined {
  if (remote.length === length) return remote;
  if (length === 4 && V4_MAPPED_PREFIX.every((b, i) => remote[i] === b)) return remote.slice(12);
  if (length === 16) {
    const mapped = new Uint8Array(16);
    mapped.set(V4_MAPPED_PREFIX);
    mapped.set(remote, 12);
    return mapped;
  }
  return undefined;
}

/** IPAuthenticationProvider.matches: whether client address `id` lies in the ACL's network. */
export function ipMatches(id: string, aclExpr: string): boolean {
  const acl = parseIpAcl(aclExpr);
  if (acl === undefined) return false;
  const parsed = parseIpAddress(id);
  if (parsed === undefined) return false;
  const remote = sameFamily(parsed, acl.address.length);
  if (remote === undefined) return false;
  const a = acl.address.slice();
  const r = remote.slice();
  mask(a, acl.bits);
  mask(r, acl.bits);
  for (let i = 0; i < a.length; i++) if (a[i] !== r[i]) return false;
  return true;
}
