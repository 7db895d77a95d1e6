/**
 * Path helpers for recipes. The client validates every path it sends; these only join and split.
 * @module
 */
import { assert } from './assert.js';

/** Joins a parent path and a child name (`ZKPaths.makePath`). */
export function joinPath(parent: string, child: string): string {
  assert(!child.includes('/'), `a child name has no slash: ${child}`);
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}

/** The last segment of a path (`ZKPaths.getNodeFromPath`). */
export function nodeName(path: string): string {
  const index = path.lastIndexOf('/');
  return index < 0 ? path : path.slice(index + 1);
}

/** The parent of a path; the root's parent is the root. */
export function parentOf(path: string): string {
  const index = path.lastIndexOf('/');
  return index <= 0 ? '/' : path.slice(0, index);
}

/** Checks a recipe's base path up front so a typo fails at construction, not at first use. */
export function checkBasePath(path: string): string {
  assert(path.startsWith('/') && (path === '/' || !path.endsWith('/')) && !path.includes('//'), `invalid base path '${path}'`);
  return path;
}
