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

/**
 * Turns an addAuth packet into the identity it proves, or undefined when the
 * scheme is not one we can authenticate (ZooKeeper answers AUTH_FAILED then).
 * Only `digest` is accepted from clients: `ip` ids come from the socket and
 * `world`/`auth` are not authentication schemes.
 */
export function authenticate(scheme: string, auth: Uint8Array): Id | undefined {
  if (scheme !== 'digest') return undefined;
  const text = new TextDecoder().decode(auth);
  if (!text.includes(':')) return undefined;
  return { scheme: 'digest', id: generateDigest(text) };
}
