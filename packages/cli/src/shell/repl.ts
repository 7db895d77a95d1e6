import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { COMMAND_NAMES } from './commands/command-table.js';
import { createCompleter } from './completer.js';
import type { Shell } from './shell.js';

/** How many lines of history readline keeps and the history file holds. */
const HISTORY_SIZE = 500;

/** The streams of the interactive shell. */
export interface ReplIo {
  readonly input: NodeJS.ReadableStream;
  /** Where prompts and line editing go; only used on a terminal. */
  readonly output: NodeJS.WritableStream;
  /** True on a terminal: prompt, line editing, tab completion and history. Piped input just runs line by line, as zkCli does without JLine. */
  readonly terminal: boolean;
  /** File that keeps the line history between sessions (terminal only). */
  readonly historyFile?: string;
}

/**
 * Reads command lines until end of input or `quit`, running each to completion before the
 * next (so piped scripts behave like typed ones). Watch events print whenever they arrive.
 */
export async function runRepl(shell: Shell, io: ReplIo): Promise<void> {
  const completer = createCompleter(COMMAND_NAMES, () => shell.session.client);
  const rl = createInterface({
    input: io.input,
    ...(io.terminal
      ? {
          output: io.output,
          terminal: true,
          history: loadHistory(io.historyFile),
          historySize: HISTORY_SIZE,
          completer: (line: string, callback: (error: Error | null, result: [string[], string]) => void) => {
            completer(line).then((result) => callback(null, result), (error: Error) => callback(error, [[], line]));
          },
        }
      : { terminal: false }),
  });
  if (io.terminal && io.historyFile !== undefined) {
    const file = io.historyFile;
    rl.on('history', (history: string[]) => saveHistory(file, history));
  }
  const prompt = (): void => {
    if (!io.terminal) return;
    rl.setPrompt(shell.prompt());
    rl.prompt();
  };
  try {
    prompt();
    for await (const line of rl) {
      await shell.executeLine(line);
      if (shell.quitRequested) break;
      prompt();
    }
  } finally {
    rl.close();
  }
}

/** Newest first, as readline wants it; a missing or unreadable file means no history. */
function loadHistory(file: string | undefined): string[] {
  if (file === undefined) return [];
  try {
    return readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').reverse().slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

function saveHistory(file: string, newestFirst: readonly string[]): void {
  try {
    writeFileSync(file, `${[...newestFirst].reverse().join('\n')}\n`, { mode: 0o600 });
  } catch {
    // History is a convenience; a read-only home directory must not break the shell.
  }
}
