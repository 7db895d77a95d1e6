import { CliError } from './cli-error.js';

/** zkCli's exit status for a bad command line (`ExitCode.INVALID_INVOCATION`). */
export const EXIT_INVALID_INVOCATION = 2;

/** How `zk` was started. */
export interface ShellOptions {
  /** Connect string (`-server`), default `localhost:2181` as in zkCli. */
  readonly server: string;
  /** Requested session timeout (`-timeout`), default 30 000 ms as in zkCli. */
  readonly sessionTimeoutMs: number;
  /** Accept a read-only server (`-r`). */
  readonly readOnly: boolean;
  /** Print JSON lines instead of zkCli's text (`--json`). */
  readonly json: boolean;
  /** `-h` / `--help`. */
  readonly help: boolean;
  /** The command to run and exit; undefined starts the interactive shell. */
  readonly command: readonly string[] | undefined;
}

/**
 * Parses `zk`'s arguments like `ZooKeeperMain.MyCommandOptions.parseOptions`: options first,
 * and the first word that is not an option starts the command, which takes every word after it.
 * Unlike zkCli, an unknown option is an error rather than silently ignored.
 */
export function parseShellArgs(argv: readonly string[]): ShellOptions {
  let server = 'localhost:2181';
  let sessionTimeoutMs = 30_000;
  let readOnly = false;
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new CliError(`Error: no argument found for option ${word}`, EXIT_INVALID_INVOCATION);
      return next;
    };
    switch (word) {
      case '-server':
        server = value();
        break;
      case '-timeout': {
        const text = value();
        sessionTimeoutMs = Number(text);
        if (!/^\d+$/.test(text) || sessionTimeoutMs <= 0) throw new CliError(`Error: -timeout needs a positive number of milliseconds, got ${text}`, EXIT_INVALID_INVOCATION);
        break;
      }
      case '-r':
        readOnly = true;
        break;
      case '--json':
        json = true;
        break;
      case '-h':
      case '-help':
      case '--help':
        help = true;
        break;
      default:
        if (word.startsWith('-')) throw new CliError(`Error: unknown option ${word}`, EXIT_INVALID_INVOCATION);
        return { server, sessionTimeoutMs, readOnly, json, help, command: argv.slice(i) };
    }
  }
  return { server, sessionTimeoutMs, readOnly, json, help, command: undefined };
}
