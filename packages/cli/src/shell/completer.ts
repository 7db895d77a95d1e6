import type { ZkClient } from '@zkts/client';
import { joinPath } from '@zkts/protocol';

/** A tab press must not hang the prompt on a slow or lost server. */
const COMPLETION_TIMEOUT_MS = 2_000;

/** What readline's completer returns: the candidates and the text they replace. */
export type Completion = [candidates: string[], replaced: string];

/**
 * Tab completion like zkCli's `JLineZNodeCompleter`: the first word completes to command
 * names; a later word starting with `/` completes to the children of its parent path that
 * start with what follows the last `/`. Failures (no session, no such parent) offer nothing.
 */
export function createCompleter(commandNames: readonly string[], client: () => ZkClient | undefined): (line: string) => Promise<Completion> {
  return async (line) => {
    const tokenStart = line.search(/\S*$/);
    const token = line.slice(tokenStart);
    if (line.slice(0, tokenStart).trim() === '') return [commandNames.filter((name) => name.startsWith(token)), token];
    const current = client();
    if (!token.startsWith('/') || current === undefined) return [[], token];
    const slash = token.lastIndexOf('/');
    const parent = slash === 0 ? '/' : token.slice(0, slash);
    const prefix = token.slice(slash + 1);
    let children: string[];
    try {
      children = await current.getChildren(parent, undefined, { signal: AbortSignal.timeout(COMPLETION_TIMEOUT_MS) });
    } catch {
      return [[], token];
    }
    return [children.filter((child) => child.startsWith(prefix)).sort().map((child) => joinPath(parent, child)), token];
  };
}
