import { CliError, wrapError } from './cli-error.js';
import { Printer } from './printer.js';
import { runRepl } from './repl.js';
import { ShellSession } from './session.js';
import { Shell, usageText } from './shell.js';
import { type ShellOptions, parseShellArgs } from './shell-options.js';

/** The streams and environment `zk` runs with; tests pass their own. */
export interface ZkIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Whether stdin and stdout are a terminal (prompt, line editing, completion). Default false. */
  readonly terminal?: boolean;
  /** Where the interactive shell keeps its line history (terminal only). */
  readonly historyFile?: string;
}

/**
 * The `zk` command: with a command after the options it runs that command and resolves with
 * its exit status; without one it reads commands from stdin until end of input or `quit` and
 * resolves with the status of the last command, as zkCli.sh does.
 */
export async function runZk(argv: readonly string[], io: ZkIo): Promise<number> {
  let options: ShellOptions;
  try {
    options = parseShellArgs(argv);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.stderr.write(`${error.message}\n${usageText()}`);
    return error.exitCode;
  }
  if (options.help) {
    io.stdout.write(usageText());
    return 0;
  }
  const printer = new Printer(io.stdout, io.stderr, options.json);
  const interactive = options.command === undefined;
  let shell: Shell | undefined;
  const session = new ShellSession(
    { sessionTimeoutMs: options.sessionTimeoutMs, readOnly: options.readOnly },
    (event) => {
      if (shell?.printWatches === true) printer.event(event);
    },
    interactive,
  );
  shell = new Shell(session, printer);
  if (interactive && !options.json) printer.info(`Connecting to ${options.server}`);
  try {
    await session.connect(options.server);
  } catch (error) {
    const cliError = wrapError(error);
    printer.error(cliError);
    return cliError.exitCode;
  }
  try {
    if (options.command !== undefined) {
      await shell.execute(options.command);
    } else {
      if (!options.json) printer.info('Welcome to zkts!');
      await runRepl(shell, { input: io.stdin, output: io.stdout, terminal: io.terminal ?? false, historyFile: io.historyFile });
    }
    return shell.exitCode;
  } finally {
    await session.close(true);
  }
}
