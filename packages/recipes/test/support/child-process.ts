/**
 * Recipe users in separate processes, so tests can kill one with SIGKILL as a crash would.
 * The child scripts are TypeScript under `test/fixtures/`; esbuild bundles each once (resolving
 * `@zkts/*` to sources) into a temporary `.mjs` that plain Node runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll } from 'vitest';

const bundles = new Map<string, Promise<string>>();
let bundleDir: string | undefined;
const children = new Set<ChildProcess>();

function cleanup(): void {
  for (const child of children) child.kill('SIGKILL');
  if (bundleDir !== undefined) rmSync(bundleDir, { recursive: true, force: true });
  bundleDir = undefined;
  bundles.clear();
}

// Registered while the importing test file is collected, so it runs after that file's tests.
afterAll(cleanup);
process.on('exit', cleanup);

async function bundle(fixture: string): Promise<string> {
  bundleDir ??= mkdtempSync(join(tmpdir(), 'zkts-recipes-fixtures-'));
  const outfile = join(bundleDir, `${fixture}.mjs`);
  await build({
    entryPoints: [fileURLToPath(new URL(`../fixtures/${fixture}.ts`, import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
    conditions: ['@zkts/source'],
    // Everything is bundled (the file runs from a temporary directory); ws's optional native
    // helpers are required inside try/catch, so leaving them out is fine.
    external: ['bufferutil', 'utf-8-validate'],
    // ws is CommonJS and requires Node built-ins; an ESM bundle needs a real require for them.
    banner: { js: "import { createRequire as __zktsCreateRequire } from 'node:module'; const require = __zktsCreateRequire(import.meta.url);" },
  });
  return outfile;
}

/** A running fixture process. */
export interface FixtureProcess {
  readonly child: ChildProcess;
  /** Every stdout line so far. */
  readonly lines: string[];
  /** Resolves with the first stdout line matching `pattern` (rejects if the process exits first). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGKILLs the process and resolves once it has exited. */
  kill(): Promise<void>;
}

/** Starts `test/fixtures/<fixture>.ts` with `args`. */
export async function startFixture(fixture: string, args: readonly string[]): Promise<FixtureProcess> {
  let pending = bundles.get(fixture);
  if (pending === undefined) {
    pending = bundle(fixture);
    bundles.set(fixture, pending);
  }
  const script = await pending;
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: fileURLToPath(new URL('..', import.meta.url)) });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));
  const lines: string[] = [];
  let stderr = '';
  const listeners = new Set<() => void>();
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
    for (const listener of listeners) listener();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return {
    child,
    lines,
    waitForLine(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const line = lines.find((candidate) => pattern.test(candidate));
          if (line === undefined) return;
          cleanup();
          resolve(line);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout: ${lines.join(' | ')}; stderr: ${stderr}`));
        }, timeoutMs);
        const onExit = (): void => {
          cleanup();
          reject(new Error(`fixture ${fixture} exited before printing ${pattern}; stdout: ${lines.join(' | ')}; stderr: ${stderr}`));
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', onExit);
        };
        listeners.add(check);
        child.once('exit', onExit);
        check();
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
