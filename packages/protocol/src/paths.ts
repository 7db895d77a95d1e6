/**
 * Znode path rules, as ZooKeeper's `PathUtils.validatePath` applies them, and small helpers.
 * @module
 */
import { assert } from './assert.js';
import { ZkError } from './errors.js';

/**
 * Checks a znode path exactly as ZooKeeper's `PathUtils.validatePath` does and throws
 * `ZkError('BAD_ARGUMENTS')` with ZooKeeper's message when it is invalid: it must start with
 * `/`, must not end with `/` (except the root), and must not contain empty names (`//`),
 * `.` or `..` names, U+0000, or characters in U+0001–U+001F, U+007F–U+009F,
 * U+D800–U+F8FF (which includes every surrogate, so nothing outside the BMP) and U+FFF0–U+FFFF.
 *
 * With `isSequential` the path is checked with a `1` appended, as ZooKeeper does for
 * sequential creates, so a trailing `/` is allowed (the server appends the sequence number).
 * Positions in messages are UTF-16 indexes into that (possibly extended) path, as in Java.
 */
export function validatePath(path: string, isSequential = false): void {
  const reason = invalidPathReason(isSequential ? `${path}1` : path);
  if (reason !== undefined) throw new ZkError('BAD_ARGUMENTS', { path, message: reason });
}

/** ZooKeeper's message for an invalid path, or undefined if the path is valid. */
function invalidPathReason(path: string | null | undefined): string | undefined {
  if (path === null || path === undefined) return 'Path cannot be null';
  const length = path.length;
  if (length === 0) return 'Path length must be > 0';
  if (path.charCodeAt(0) !== SLASH) return 'Path must start with / character';
  if (length === 1) return undefined;
  if (path.charCodeAt(length - 1) === SLASH) return 'Path must not end with / character';

  let reason: string | undefined;
  let last = SLASH;
  for (let i = 1; i < length; last = path.charCodeAt(i), i++) {
    const c = path.charCodeAt(i);
    if (c === 0) {
      reason = `null character not allowed @${i}`;
    } else if (c === SLASH && last === SLASH) {
      reason = `empty node name specified @${i}`;
    } else if (c === DOT && last === DOT) {
      // "..": relative only when it is a whole name.
      if (path.charCodeAt(i - 2) === SLASH && (i + 1 === length || path.charCodeAt(i + 1) === SLASH)) {
        reason = `relative paths not allowed @${i}`;
      }
    } else if (c === DOT) {
      if (path.charCodeAt(i - 1) === SLASH && (i + 1 === length || path.charCodeAt(i + 1) === SLASH)) {
        reason = `relative paths not allowed @${i}`;
      }
    } else if ((c > 0x0000 && c <= 0x001f) || (c >= 0x007f && c <= 0x009f) || (c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0) {
      reason = `invalid character @${i}`;
    }
    if (reason !== undefined) return `Invalid path string "${path}" caused by ${reason}`;
  }
  return undefined;
}

const SLASH = 0x2f;
const DOT = 0x2e;

/** The parent of a valid non-root path: `/a/b` → `/a`, `/a` → `/`. */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  assert(slash >= 0 && path.length > 1, `"${path}" has no parent`);
  return slash === 0 ? '/' : path.slice(0, slash);
}

/** The last name of a path: `/a/b` → `b`; the root's is `''`. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Joins a parent path and a child name: (`/`, `a`) → `/a`, (`/a`, `b`) → `/a/b`. */
export function joinPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}
