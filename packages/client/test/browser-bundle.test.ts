/**
 * The package must work in browsers: bundled for the browser platform it may pull in no Node
 * built-in (no node:net, no ws), because the TCP transport and the `ws` package sit behind
 * package.json `imports` conditions.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const nodeBuiltins = ['net', 'tls', 'fs', 'dns', 'http', 'https', 'crypto', 'stream', 'zlib', 'os', 'path', 'child_process', 'events', 'buffer', 'url', 'util'];

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
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced no output');
  return { code: output.text, inputs: Object.keys(result.metafile.inputs) };
}

describe('browser bundle', () => {
  test('contains no Node built-ins and no ws package', async () => {
    const { code, inputs } = await bundle('browser');
    expect(code).not.toMatch(/["']node:/);
    for (const name of nodeBuiltins) {
      expect(code).not.toMatch(new RegExp(`(?:require\\(|from\\s*|import\\()\\s*["']${name}["']`));
    }
    expect(inputs.some((input) => input.includes('node_modules/ws/'))).toBe(false);
    expect(inputs.some((input) => input.endsWith('transport/tcp-unavailable.ts'))).toBe(true);
    expect(inputs.some((input) => input.endsWith('transport/websocket-global.ts'))).toBe(true);
    expect(inputs.some((input) => input.endsWith('transport/tcp-transport.ts'))).toBe(false);
  });

  test('the Node bundle does use node:net and ws, so the check above can fail', async () => {
    const { code, inputs } = await bundle('node');
    expect(code).toMatch(/["']node:net["']/);
    expect(inputs.some((input) => input.endsWith('transport/tcp-transport.ts'))).toBe(true);
    expect(inputs.some((input) => input.includes('node_modules/ws/') || input.includes('/ws@'))).toBe(true);
  });
});
