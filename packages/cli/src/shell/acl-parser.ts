import { type ACL, Perms } from '@zkts/protocol';

const PERM_LETTERS: Readonly<Record<string, number>> = {
  r: Perms.READ,
  w: Perms.WRITE,
  c: Perms.CREATE,
  d: Perms.DELETE,
  a: Perms.ADMIN,
};

/**
 * Parses zkCli's ACL syntax, `scheme:id:perms[,scheme:id:perms…]` (`world:anyone:cdrwa`,
 * `digest:user:hash:r`, `ip:10.0.0.0/8:rw`, `auth::cdrwa`), as `AclParser.parse` does: the id
 * is everything between the first and the last colon; malformed entries and unknown permission
 * letters are reported through `warn` and skipped, so the result may be empty.
 */
export function parseAcl(text: string, warn: (message: string) => void): ACL[] {
  const acl: ACL[] = [];
  for (const entry of javaSplit(text, ',')) {
    const first = entry.indexOf(':');
    const last = entry.lastIndexOf(':');
    if (first === -1 || first === last) {
      warn(`${entry} does not have the form scheme:id:perm`);
      continue;
    }
    acl.push({ id: { scheme: entry.slice(0, first), id: entry.slice(first + 1, last) }, perms: parsePerms(entry.slice(last + 1), warn) });
  }
  return acl;
}

function parsePerms(letters: string, warn: (message: string) => void): number {
  let perms = 0;
  for (const letter of letters) {
    const bit = PERM_LETTERS[letter];
    if (bit === undefined) warn(`Unknown perm type: ${letter}`);
    else perms |= bit;
  }
  return perms;
}

/** `String.split` of Java: trailing empty strings are dropped. */
function javaSplit(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
