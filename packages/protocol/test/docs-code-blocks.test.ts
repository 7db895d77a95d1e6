/**
 * Every TypeScript code block in README.md and docs/ is type-checked against the workspace
 * packages, and the blocks marked to run are executed against a real server, so the guides
 * cannot drift from the code.
 *
 * Conventions for authors:
 * - ```ts (or ```typescript) blocks are complete modules; they are type-checked with the
 *   compiler API (strict, noEmit), `@zkts/*` resolving to the packages' sources.
 * - ```ts run, or a `<!-- run -->` line right before the block, also runs it: a fresh
 *   standalone zkts server is started for each such block and every `127.0.0.1:2181` in the
 *   block is replaced by that server's address, so examples can show ZooKeeper's default
 *   address. A block must close every session it opens (checked after it finishes).
 * - `<!-- prelude ... -->` right before a block holds declarations (`declare const client:
 *   ZkClient;`) prepended when type-checking a snippet that continues an earlier one.
 * - Blocks in other languages are exempt, but only the ones listed in EXEMPT_LANGUAGES
 *   (shell commands, command output, zoo.cfg files), so a ```js block cannot slip by unchecked.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
// The protocol package does not depend on the server; the test reaches it by path.
import { ZkServer } from '../../server/src/index.js';
import { pollUntil } from '../../../test-support/poll.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const TS_LANGUAGES = new Set(['ts', 'typescript']);
const EXEMPT_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console', 'text', 'ini', 'properties']);
/** The address examples use for "a ZooKeeper server"; run blocks get a real one instead. */
const EXAMPLE_CONNECT_STRING = '127.0.0.1:2181';
const RUN_TIMEOUT_MS = 20_000;

interface CodeBlock {
  /** The markdown file, relative to the repository root. */
  readonly file: string;
  /** 1-based line of the block's first code line in the markdown file. */
  readonly line: number;
  readonly language: string;
  readonly code: string;
  readonly run: boolean;
  readonly prelude: string;
}

async function markdownFiles(): Promise<string[]> {
  const files = [join(root, 'README.md')];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path !== join(root, 'docs', 'api')) await walk(path);
      } else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  await walk(join(root, 'docs'));
  return files.sort();
}

/** The fenced code blocks of a markdown file, with the markers that precede them. */
export function extractBlocks(file: string, text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)(.*)$/.exec(lines[i]!);
    if (open === null) continue;
    const [, indent = '', fence = '', language = '', info = ''] = open;
    const body: string[] = [];
    let close = i + 1;
    while (close < lines.length && !lines[close]!.trim().startsWith(fence)) {
      body.push(lines[close]!.startsWith(indent) ? lines[close]!.slice(indent.length) : lines[close]!);
      close++;
    }
    const markers = markersBefore(lines, i);
    blocks.push({
      file,
      line: i + 2,
      language: language.toLowerCase(),
      code: body.join('\n'),
      run: /(^|\s)run(\s|$)/.test(info) || markers.run,
      prelude: markers.prelude,
    });
    i = close;
  }
  return blocks;
}

/** `<!-- run -->` and `<!-- prelude ... -->` comments directly above line `index` (blank lines allowed). */
function markersBefore(lines: readonly string[], index: number): { run: boolean; prelude: string } {
  let run = false;
  let prelude = '';
  let i = index - 1;
  while (i >= 0 && lines[i]!.trim() === '') i--;
  while (i >= 0 && lines[i]!.trim().endsWith('-->')) {
    let start = i;
    while (start >= 0 && !lines[start]!.includes('<!--')) start--;
    if (start < 0) break;
    const comment = lines.slice(start, i + 1).join('\n').replace(/^\s*<!--/, '').replace(/-->\s*$/, '').trim();
    if (comment === 'run') run = true;
    else if (comment.startsWith('prelude')) prelude = `${comment.slice('prelude'.length).trim()}\n${prelude}`;
    else break;
    i = start - 1;
    while (i >= 0 && lines[i]!.trim() === '') i--;
  }
  return { run, prelude };
}

function blockName(block: CodeBlock): string {
  return `${block.file}:${block.line}`;
}

/** Type-checks every block as its own module; returns one formatted message per diagnostic. */
function typeCheck(blocks: readonly CodeBlock[]): string[] {
  // The blocks are virtual files inside the repository, so `vitest`, `@types/node` and the
  // packages' own dependencies resolve from it as they would for a user's project.
  const virtualDir = join(root, 'docs', '.code-blocks');
  const sources = new Map<string, { block: CodeBlock; text: string; preludeLines: number }>();
  blocks.forEach((block, index) => {
    const prelude = block.prelude === '' ? '' : `${block.prelude.trimEnd()}\n`;
    const text = `${prelude}${block.code}\nexport {};\n`;
    const name = `${relative(root, block.file).replace(/[^\w]+/g, '-')}-${index}.mts`;
    sources.set(join(virtualDir, name), { block, text, preludeLines: prelude === '' ? 0 : prelude.split('\n').length - 1 });
  });
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: ['@zkts/source'],
    paths: { '@zkts/*': [join(root, 'packages', '*', 'src', 'index.ts')] },
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
  };
  const host = ts.createCompilerHost(options);
  const readFileBase = host.readFile.bind(host);
  const fileExistsBase = host.fileExists.bind(host);
  const getSourceFileBase = host.getSourceFile.bind(host);
  host.readFile = (fileName) => sources.get(fileName)?.text ?? readFileBase(fileName);
  host.fileExists = (fileName) => sources.has(fileName) || fileExistsBase(fileName);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const source = sources.get(fileName);
    if (source !== undefined) return ts.createSourceFile(fileName, source.text, languageVersion, true);
    return getSourceFileBase(fileName, languageVersion, onError, shouldCreate);
  };
  const program = ts.createProgram({ rootNames: [...sources.keys()], options, host });
  const messages: string[] = [];
  for (const [fileName, source] of sources) {
    const sourceFile = program.getSourceFile(fileName)!;
    const diagnostics = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    for (const diagnostic of diagnostics) {
      const { line } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const markdownLine = source.block.line + line - source.preludeLines;
      const where = line < source.preludeLines ? `${relative(root, source.block.file)}:${source.block.line} (prelude)` : `${relative(root, source.block.file)}:${markdownLine}`;
      messages.push(`${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    }
  }
  return messages;
}

/** Rewrites `@zkts/<name>` imports to the package's source file, so the block runs from a temp dir. */
function resolveWorkspaceImports(code: string): string {
  return code.replace(/(['"])@zkts\/([a-z-]+)\1/g, (_match, _quote: string, name: string) =>
    JSON.stringify(pathToFileURL(join(root, 'packages', name, 'src', 'index.ts')).pathname),
  );
}

const files = await markdownFiles();
const allBlocks: CodeBlock[] = [];
for (const file of files) allBlocks.push(...extractBlocks(file, await readFile(file, 'utf8')));
const tsBlocks = allBlocks.filter((block) => TS_LANGUAGES.has(block.language));
const runBlocks = tsBlocks.filter((block) => block.run);

describe('code blocks in README.md and docs/', () => {
  test('the extractor finds fences, languages and markers', () => {
    const sample = ['text', '<!-- run -->', '```ts', 'const a = 1;', '```', '<!-- prelude', 'declare const b: number;', '-->', '```ts', 'b;', '```', '```sh', 'ls', '```'].join('\n');
    const blocks = extractBlocks('sample.md', sample);
    expect(blocks.map((block) => [block.language, block.run, block.prelude.trim(), block.code, block.line])).toEqual([
      ['ts', true, '', 'const a = 1;', 4],
      ['ts', false, 'declare const b: number;', 'b;', 10],
      ['sh', false, '', 'ls', 13],
    ]);
  });

  test('the type check reports errors at their markdown line', () => {
    const bad: CodeBlock = {
      file: join(root, 'docs', 'sample.md'),
      line: 10,
      language: 'ts',
      code: "import { connect } from '@zkts/client';\nconst count: number = await connect('127.0.0.1:2181');",
      run: false,
      prelude: '',
    };
    const errors = typeCheck([bad]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^docs\/sample\.md:11: Type 'ZkClient' is not assignable to type 'number'/);
  });

  test('the guides exist and hold TypeScript examples, some of them run', () => {
    const names = files.map((file) => relative(root, file));
    for (const guide of ['getting-started', 'concepts', 'recipes', 'operations', 'protocol-compatibility', 'testing']) {
      expect(names).toContain(`docs/${guide}.md`);
    }
    expect(tsBlocks.length).toBeGreaterThan(10);
    expect(runBlocks.length).toBeGreaterThan(3);
  });

  test('every code block is TypeScript or in an exempt language', () => {
    const unknown = allBlocks.filter((block) => !TS_LANGUAGES.has(block.language) && !EXEMPT_LANGUAGES.has(block.language));
    expect(unknown.map((block) => `${blockName({ ...block, file: relative(root, block.file) })} \`\`\`${block.language}`)).toEqual([]);
  });

  test('every TypeScript block type-checks against the workspace packages', () => {
    const errors = typeCheck(tsBlocks);
    if (errors.length > 0) console.log(`Code blocks that do not type-check:\n  ${errors.join('\n  ')}`);
    expect(errors).toEqual([]);
  });

  describe('blocks marked to run', () => {
    let dir = '';
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'zkts-doc-blocks-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    test.each(runBlocks.map((block, index) => ({ name: blockName({ ...block, file: relative(root, block.file) }), block, index })))(
      'runs $name',
      async ({ block, index }) => {
        const server = new ZkServer({ tcpPort: 0, wsPort: null, tickTimeMs: 200 });
        await server.start();
        try {
          const code = resolveWorkspaceImports(block.code.replaceAll(EXAMPLE_CONNECT_STRING, server.connectString));
          const path = join(dir, `block-${index}.ts`);
          await writeFile(path, `${code}\nexport {};\n`);
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error(`did not finish within ${RUN_TIMEOUT_MS} ms`)), RUN_TIMEOUT_MS);
          });
          try {
            await Promise.race([import(pathToFileURL(path).href), timeout]);
          } finally {
            clearTimeout(timer);
          }
          // Examples teach cleanup: every session they opened must be closed once they finish.
          await pollUntil(async () => (server.stats().sessionCount === 0 ? true : undefined), {
            timeoutMs: 5_000,
            intervalMs: 10,
            description: 'the block to close its sessions',
          });
        } finally {
          await server.stop();
        }
      },
      RUN_TIMEOUT_MS + 10_000,
    );
  });
});
