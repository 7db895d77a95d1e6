/**
 * The recipes run in browsers: bundled for the browser platform they pull in no Node built-in,
 * because the only one they use (AsyncLocalStorage, for async-context lock owners) sits behind
 * the package.json `imports` condition `#async-owner`.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

async function bundle(platform: 'browser' | 'node'): Promise<{ code: string; inputs: string[] }> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform,
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    conditions: ['@zkts/source'],
    // The client's own Node transports are its business (and its browser test's).
    external: platform === 'node' ? ['ws', 'bufferutil', 'utf-8-validate'] : [],
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced no output');
  return { code: output.text, inputs: Object.keys(result.metafile.inputs) };
}

describe('browser bundle', () => {
  test('contains no Node built-ins and uses the async-owner stand-in', async () => {
    const { code, inputs } = await bundle('browser');
    expect(code).not.toMatch(/["']node:/);
    expect(code).not.toMatch(/(?:require\(|from\s*|import\()\s*["']async_hooks["']/);
    expect(inputs.some((input) => input.endsWith('locks/async-owner-unavailable.ts'))).toBe(true);
    expect(inputs.some((input) => input.endsWith('locks/async-owner.ts'))).toBe(false);
  });

  test('the Node bundle does use node:async_hooks, so the check above can fail', async () => {
    const { code, inputs } = await bundle('node');
    expect(code).toMatch(/["']node:async_hooks["']/);
    expect(inputs.some((input) => input.endsWith('locks/async-owner.ts'))).toBe(true);
  });
});
