import { CliError, EXIT_COMMAND_NOT_FOUND } from './cli-error.js';
import { parseCommandArgs } from './command-args.js';
import { type ShellControl, usageLine } from './commands/command.js';
import { COMMANDS, commandList } from './commands/command-table.js';
import type { Printer } from './printer.js';
import type { ShellSession } from './session.js';
import { tokenize } from './tokenize.js';
import { assert } from '../util/assert.js';

/** The first line of the usage text. */
export const USAGE_HEADER = 'zk -server host:port[,host:port][/chroot] [-timeout ms] [-r] [--json] [cmd args]\n';

/** The whole usage text: how to start the shell and every command. */
export function usageText(): string {
  return USAGE_HEADER + commandList();
}

/**
 * Runs zkCli's commands against a {@link ShellSession}, keeping what `ZooKeeperMain` keeps:
 * the numbered history, the `printwatches` switch, and the exit status of the last command
 * (0 on success, 1 for a failed command, 127 for an unknown one).
 */
export class Shell implements ShellControl {
  /** {@inheritDoc ShellControl.history} */
  readonly history = new Map<number, string>();
  /** {@inheritDoc ShellControl.commandCount} */
  commandCount = 0;
  /** {@inheritDoc ShellControl.printWatches} */
  printWatches = true;
  /** The exit status of the last command. */
  exitCode = 0;
  /** Set by `quit`: the REPL stops reading. */
  quitRequested = false;

  constructor(
    readonly session: ShellSession,
    readonly printer: Printer,
  ) {}

  /** zkCli's prompt: `[zk: host:port(CONNECTED) 3] `. */
  prompt(): string {
    return `[zk: ${this.session.connectString}(${this.session.stateName}) ${this.commandCount}] `;
  }

  /** Runs one line typed at the prompt; blank lines are ignored and not numbered. */
  async executeLine(line: string): Promise<void> {
    if (line.trim() === '') return;
    const tokens = tokenize(line);
    this.history.set(this.commandCount, line);
    await this.execute(tokens);
    this.commandCount++;
  }

  /** Runs one command given as words and records its exit status. */
  async execute(tokens: readonly string[]): Promise<void> {
    try {
      await this.dispatch(tokens);
      // zkCli's `quit` exits with the status of the command before it.
      if (!this.quitRequested) this.exitCode = 0;
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      this.exitCode = error.exitCode;
      this.printer.error(error);
    }
  }

  /** {@link ShellControl.redo}. */
  async redo(line: string): Promise<void> {
    this.history.set(this.commandCount, line);
    await this.execute(tokenize(line));
  }

  /** {@link ShellControl.quit}. */
  quit(): void {
    this.quitRequested = true;
  }

  private async dispatch(tokens: readonly string[]): Promise<void> {
    const name = tokens[0];
    if (name === undefined) {
      this.printer.usage(usageText());
      throw new CliError('No command entered');
    }
    const command = COMMANDS.get(name);
    if (command === undefined) {
      this.printer.usage(usageText());
      throw new CliError(`Command not found: Command not found ${name}`, EXIT_COMMAND_NOT_FOUND);
    }
    const client = this.session.client;
    if (command.needsConnection && client === undefined) {
      this.printer.info('Not connected');
      return;
    }
    const parsed = parseCommandArgs(tokens, command.options);
    if (parsed.args.length < command.minArgs) throw new CliError(usageLine(command));
    await command.run({
      session: this.session,
      printer: this.printer,
      shell: this,
      parsed,
      get client() {
        assert(client !== undefined, `${name} is declared not to need a connection`);
        return client;
      },
    });
  }
}
