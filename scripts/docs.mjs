#!/usr/bin/env node
// `npm run docs`: builds the API reference of every public package into docs/api with typedoc,
// together with the guides in docs/. It fails on any typedoc warning, so a broken link or a
// public signature that mentions an unexported type is caught when the docs are built.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publicPackages } from './docs-packages.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function run(label, args) {
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`;
  return { label, status: result.status ?? 1, output };
}

// typedoc converts each package with its own tsconfig, whose project references point at the
// siblings' declaration output: build those first.
const build = run('tsc -b', [join(root, 'node_modules/typescript/bin/tsc'), '-b']);
if (build.status !== 0) {
  process.stderr.write(build.output);
  console.error('[docs] the build failed; fix it before generating the reference');
  process.exit(1);
}

const packages = publicPackages(root);
const entryArgs = packages.flatMap((pkg) => ['--entryPoints', pkg.dir]);
const typedoc = run('typedoc', [join(root, 'node_modules/typedoc/bin/typedoc'), '--options', 'typedoc.json', ...entryArgs]);
// Strip colours so the warning check does not depend on the terminal.
const output = typedoc.output.replace(/\x1b\[[0-9;]*m/g, '');
process.stdout.write(output);
const warnings = output.split('\n').filter((line) => /^\[(warning|error)\]/.test(line));
if (typedoc.status !== 0 || warnings.length > 0) {
  console.error(`[docs] typedoc reported ${warnings.length} warning(s)/error(s) (exit ${typedoc.status})`);
  process.exit(1);
}
console.log(`[docs] reference for ${packages.map((pkg) => pkg.name).join(', ')} written to docs/api`);
