import type { ZkClient } from '@zkts/client';
import { ZkError, validatePath } from '@zkts/protocol';
import { CliError, baseMessage, wrapError } from '../cli-error.js';
import type { OptionSpec, ParsedArgs } from '../command-args.js';
import type { Printer } from '../printer.js';
import type { ShellSession } from '../session.js';
import { assert } from '../../util/assert.js';

/** What the shell offers commands that control the shell itself (history, printwatches, quit). */
export interface ShellControl {
  /** Past command lines by number, as `history` and `redo` see them. */
  readonly history: ReadonlyMap<number, string>;
  /** The number the current command line got. */
  readonly commandCount: number;
  /** Whether watch events are printed (`printwatches`). */
  printWatches: boolean;
  /** Runs a command line again (`redo`), recorded under the current number. */
  redo(line: string): Promise<void>;
  /** Ends the shell after this command (`quit`). */
  quit(): void;
}

/** Everything a command may use. */
export interface CommandContext {
  readonly session: ShellSession;
  readonly printer: Printer;
  readonly shell: ShellControl;
}

/** What a command receives: its context, the connected client (for commands that need one) and its parsed words. */
export interface Invocation extends CommandContext {
  /** The live client; commands declared with `needsConnection: false` must not use it. */
  readonly client: ZkClient;
  readonly parsed: ParsedArgs;
}

/** One zkCli command. */
export interface Command {
  readonly name: string;
  /** zkCli's option string, e.g. `[-s] [-w] path`; `name + " " + usage` is the usage line. */
  readonly usage: string;
  readonly options: readonly OptionSpec[];
  /** Fewest words (counting the command's name) the command needs; fewer prints the usage line. */
  readonly minArgs: number;
  /** Commands that talk to the server print `Not connected` when there is no live session. */
  readonly needsConnection: boolean;
  run(invocation: Invocation): Promise<void>;
}

/** The usage line of a command, which zkCli prints as the error for missing arguments. */
export function usageLine(command: Pick<Command, 'name' | 'usage'>): string {
  return `${command.name} ${command.usage}`;
}

/** Flags shared by several commands. */
export const flag = (letter: string): OptionSpec => ({ letter, takesValue: false });
/** An option that takes a value. */
export const valued = (letter: string): OptionSpec => ({ letter, takesValue: true });

/** The `i`-th word (0 is the command), known to exist because of `minArgs`. */
export function arg(invocation: Invocation, index: number): string {
  const value = invocation.parsed.args[index];
  assert(value !== undefined, `word ${index} is within the command's minArgs`);
  return value;
}

/** True when the flag was given. */
export function has(invocation: Invocation, letter: string): boolean {
  return invocation.parsed.options.has(letter);
}

/**
 * Validates a path the way the Java client does before sending, failing with just the
 * reason, as zkCli prints `MalformedPathException`s (`Path must start with / character`).
 */
export function checkPath(path: string, isSequential = false): string {
  try {
    validatePath(path, isSequential);
  } catch (error) {
    if (error instanceof ZkError) throw new CliError(baseMessage(error), undefined, { cause: error });
    throw error;
  }
  return path;
}

/** Parses an int option such as `-v version`; zkCli would die on a malformed one, we explain it. */
export function intOption(invocation: Invocation, letter: string, fallback: number): number {
  const text = invocation.parsed.options.get(letter);
  if (text === undefined || text === true) return fallback;
  const value = Number(text);
  if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
    throw new CliError(`-${letter} argument must be an int value`);
  }
  return value;
}

/** Awaits a client call, turning a ZkError into the CliError zkCli would print. */
export async function call<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw wrapError(error);
  }
}
