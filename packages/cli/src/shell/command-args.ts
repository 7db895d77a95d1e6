import { CliError } from './cli-error.js';

/** One single-letter option of a command, like commons-cli's `Option`. */
export interface OptionSpec {
  readonly letter: string;
  /** The option takes a value (`-v 3` or `-v3`). */
  readonly takesValue: boolean;
}

/** A command's words after option parsing. */
export interface ParsedArgs {
  /** The words that are not options, the command name first (commons-cli's `getArgs()`). */
  readonly args: readonly string[];
  /** Options given: `true` for flags, the value for options that take one. */
  readonly options: ReadonlyMap<string, string | true>;
}

/**
 * Parses a command's words as commons-cli's `DefaultParser` does for zkCli's commands: options
 * may come before or after the other words, flags may be combined (`-es`), a value may be
 * attached (`-v3`) or follow (`-v 3`, also `-v -1`), `--` ends the options, and an unknown
 * option is an error. Messages are the commons-cli exceptions zkCli prints.
 */
export function parseCommandArgs(tokens: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const byLetter = new Map(specs.map((spec) => [spec.letter, spec]));
  const args: string[] = [];
  const options = new Map<string, string | true>();
  let onlyArgs = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (onlyArgs || token === '-' || !token.startsWith('-')) {
      args.push(token);
      continue;
    }
    if (token === '--') {
      onlyArgs = true;
      continue;
    }
    const name = token.slice(1);
    const whole = byLetter.get(name);
    if (whole !== undefined && !whole.takesValue) {
      options.set(name, true);
      continue;
    }
    if (whole !== undefined) {
      const next = tokens[i + 1];
      if (next === undefined || !isArgument(next, byLetter)) throw missingArgument(name);
      options.set(name, next);
      i++;
      continue;
    }
    // Combined flags or an attached value: `-es`, `-v3`.
    for (let at = 1; at < token.length; at++) {
      const letter = token.charAt(at);
      const spec = byLetter.get(letter);
      if (spec === undefined) throw unrecognized(token);
      if (!spec.takesValue) {
        options.set(letter, true);
        continue;
      }
      const attached = token.slice(at + 1);
      if (attached !== '') {
        options.set(letter, attached);
      } else {
        const next = tokens[i + 1];
        if (next === undefined || !isArgument(next, byLetter)) throw missingArgument(letter);
        options.set(letter, next);
        i++;
      }
      break;
    }
  }
  return { args, options };
}

/** `DefaultParser.isArgument`: not an option, or a negative number. */
function isArgument(token: string, byLetter: ReadonlyMap<string, OptionSpec>): boolean {
  if (/^-\d+(\.\d+)?$/.test(token)) return true;
  return !(token.startsWith('-') && token.length > 1 && byLetter.has(token.charAt(1)));
}

function unrecognized(option: string): CliError {
  return new CliError(`org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: ${option}`);
}

function missingArgument(letter: string): CliError {
  return new CliError(`org.apache.commons.cli.MissingArgumentException: Missing argument for option: ${letter}`);
}
