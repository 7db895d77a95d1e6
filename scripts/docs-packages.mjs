// Which workspace packages are public, shared by `npm run docs` (typedoc's entry points) and the
// test that every exported symbol has a TSDoc comment, so the two cannot drift apart.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Package directories under packages/, in the order the reference lists them. */
const ORDER = ['protocol', 'client', 'recipes', 'server', 'consensus', 'cli', 'testing'];

/**
 * The public packages: not private, with a `src/index.ts` that exports something (a package
 * that is still an empty skeleton, `export {};`, has nothing to document yet).
 * @param {string} root the repository root
 * @returns {{ dir: string, name: string, entry: string }[]}
 */
export function publicPackages(root) {
  const packages = [];
  for (const dir of ORDER) {
    const packageJsonPath = join(root, 'packages', dir, 'package.json');
    const entry = join(root, 'packages', dir, 'src', 'index.ts');
    if (!existsSync(packageJsonPath) || !existsSync(entry)) continue;
    const manifest = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
    if (manifest.private === true) continue;
    if (!hasExports(readFileSync(entry, 'utf8'))) continue;
    packages.push({ dir: `packages/${dir}`, name: manifest.name, entry });
  }
  return packages;
}

/** True if a module's source exports a name (anything but a bare `export {};`). */
function hasExports(source) {
  return /^export\s+(?!\{\s*\}\s*;?\s*$)/m.test(source);
}
