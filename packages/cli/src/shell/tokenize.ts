/** zkCli's `ARGS_PATTERN`: a bare word, or a whole `"…"` / `'…'` group that may hold spaces. */
const ARGS_PATTERN = /\s*([^"']\S*|"[^"]*"|'[^']*')\s*/g;
const QUOTED_PATTERN = /^(['"])(.*)\1$/s;

/**
 * Splits a command line the way `ZooKeeperMain.MyCommandOptions.parseCommand` does: words
 * separated by white space, quotes grouping words (and stripped), a stray quote ignored.
 */
export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  for (const match of line.matchAll(ARGS_PATTERN)) {
    const value = match[1];
    if (value === undefined) continue;
    const quoted = QUOTED_PATTERN.exec(value);
    tokens.push(quoted === null ? value : (quoted[2] ?? ''));
  }
  return tokens;
}
