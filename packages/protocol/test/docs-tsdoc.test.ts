/**
 * Every symbol a public package exports has a TSDoc comment with text, because typedoc builds
 * the API reference from them (`npm run docs`). The exports are walked with the compiler API
 * from each package's `src/index.ts`, following re-exports to the declaring file, so a symbol
 * documented where it is declared counts wherever it is re-exported.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { publicPackages } from '../../../scripts/docs-packages.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const packages = publicPackages(root);

function createProgram(): ts.Program {
  return ts.createProgram({
    rootNames: packages.map((pkg) => pkg.entry),
    options: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      // Resolve sibling packages to their sources, as vitest does, so no build is needed.
      customConditions: ['@zkts/source'],
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    },
  });
}

/** `name (file)` of every export of `entry` whose declaration has no documentation text. */
function undocumentedExports(program: ts.Program, entry: string, packageName: string): string[] {
  const checker = program.getTypeChecker();
  const sourceFile = program.getSourceFile(entry);
  if (sourceFile === undefined) throw new Error(`${entry} is not in the program`);
  const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
  if (moduleSymbol === undefined) throw new Error(`${entry} is not a module`);
  const offenders: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const text = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
    if (text !== '') continue;
    const declaration = symbol.declarations?.[0];
    const where = declaration === undefined ? '?' : declaration.getSourceFile().fileName.replace(root, '');
    offenders.push(`${packageName}: ${exported.name} (${where})`);
  }
  return offenders;
}

/** The text of the comment that opens a file, if it is a `/** ... @module` comment. */
function moduleComment(program: ts.Program, entry: string): string | undefined {
  const text = program.getSourceFile(entry)?.getFullText() ?? '';
  const match = /^\s*\/\*\*([\s\S]*?)\*\//.exec(text);
  return match?.[1]?.includes('@module') === true ? match[1] : undefined;
}

describe('TSDoc of public packages', () => {
  const program = createProgram();

  test('finds the public packages and their exports', () => {
    const names = packages.map((pkg) => pkg.name);
    for (const name of ['@zkts/protocol', '@zkts/consensus', '@zkts/server', '@zkts/client', '@zkts/recipes']) expect(names).toContain(name);
    const checker = program.getTypeChecker();
    for (const pkg of packages) {
      const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(pkg.entry)!);
      expect(checker.getExportsOfModule(moduleSymbol!).length, pkg.name).toBeGreaterThan(0);
    }
  });

  test('every exported symbol has a TSDoc comment', () => {
    const offenders = packages.flatMap((pkg) => undocumentedExports(program, pkg.entry, pkg.name));
    if (offenders.length > 0) console.log(`Exported symbols without TSDoc:\n  ${offenders.join('\n  ')}`);
    expect(offenders).toEqual([]);
  });

  test('every package entry point opens with a @module comment', () => {
    const missing = packages.filter((pkg) => moduleComment(program, pkg.entry) === undefined).map((pkg) => pkg.name);
    expect(missing).toEqual([]);
  });
});
