import { createHash } from 'node:crypto';
import type { Id } from '@zkts/protocol';

/**
 * The digest scheme's id for a `user:password` pair, as ZooKeeper's
 * DigestAuthenticationProvider.generateDigest computes it:
 * `user:base64(sha1("user:password"))`.
 */
export function generateDigest(userAndPassword: string): string {
  const colon = userAndPassword.indexOf(':');
  const user = colon < 0 ? userAndPassword : userAndPassword.slice(0, colon);
  const hash = createHash('sha1').update(userAndPassword, 'utf8').digest('base64');
  return `${user}:${hash}`;
}

/** What an addAuth packet is checked against. */
export interface AuthenticationContext {
  /** The client's address, the identity the `ip` scheme proves. */
  remoteAddress: string;
  /** The superuser's digest id (`DigestAuthenticationProvider.superDigest`), if configured. */
  superDigest: string | undefined;
}

/**
 * Turns an addAuth packet into the identities it proves, or undefined when
 * no provider handles the scheme (ZooKeeper answers AUTH_FAILED and closes).
 * The providers are ZooKeeper's defaults: `digest` accepts any text (it
 * hashes it, colon or not) and adds `super:` when it matches the superDigest;
 * `ip` proves the connection's own address, whatever the packet says.
 */
export function authenticate(scheme: string, auth: Uint8Array, context: AuthenticationContext): Id[] | undefined {
  switch (scheme) {
    case 'digest': {
      const digest = generateDigest(new TextDecoder().decode(auth));
      const ids: Id[] = [];
      if (digest === context.superDigest) ids.push({ scheme: 'super', id: '' });
      ids.push({ scheme: 'digest', id: digest });
      return ids;
    }
    case 'ip':
      return [{ scheme: 'ip', id: context.remoteAddress }];
    default:
      return undefined;
  }
}
