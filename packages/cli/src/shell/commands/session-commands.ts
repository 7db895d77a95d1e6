import { type Command, arg, call } from './command.js';
import { CliError, wrapError } from '../cli-error.js';

/** `addauth scheme auth`: adds credentials to the session (`digest user:password`). */
export const addAuthCommand: Command = {
  name: 'addauth',
  usage: 'scheme auth',
  options: [],
  minArgs: 2,
  needsConnection: true,
  async run(invocation) {
    const scheme = arg(invocation, 1);
    await call(invocation.client.addAuth(scheme, invocation.parsed.args[2] ?? new Uint8Array(0)));
    invocation.printer.result('', { scheme });
  },
};

/** `connect [host:port]`: replaces the session with one to another server (or reconnects to the current one). */
export const connectCommand: Command = {
  name: 'connect',
  usage: 'host:port',
  options: [],
  minArgs: 1,
  needsConnection: false,
  async run(invocation) {
    const { session } = invocation;
    const host = invocation.parsed.args[1] ?? session.connectString;
    try {
      await session.connect(host);
    } catch (error) {
      throw wrapError(error);
    }
    invocation.printer.result('', { server: host });
  },
};

/** `close`: closes the session; later commands print `Not connected` until `connect`. */
export const closeCommand: Command = {
  name: 'close',
  usage: '',
  options: [],
  minArgs: 1,
  needsConnection: true,
  async run(invocation) {
    await invocation.session.close();
    invocation.printer.result('', { closed: true });
  },
};

/** `quit`: closes the session and leaves the shell. */
export const quitCommand: Command = {
  name: 'quit',
  usage: '',
  options: [],
  minArgs: 1,
  needsConnection: false,
  async run(invocation) {
    // zkCli closes the session before exiting, so its watcher reports Closed.
    await invocation.session.close();
    invocation.shell.quit();
  },
};

/** How many earlier commands `history` lists (ZooKeeperMain shows the last ten and the current one). */
const HISTORY_SHOWN = 10;

/** `history`: the last commands with their numbers, for `redo`. */
export const historyCommand: Command = {
  name: 'history',
  usage: '',
  options: [],
  minArgs: 1,
  needsConnection: false,
  async run(invocation) {
    const { shell } = invocation;
    const entries: Array<{ index: number; command: string }> = [];
    for (let index = Math.max(0, shell.commandCount - HISTORY_SHOWN); index <= shell.commandCount; index++) {
      entries.push({ index, command: shell.history.get(index) ?? 'null' });
    }
    invocation.printer.result(entries.map((entry) => `${entry.index} - ${entry.command}\n`).join(''), { history: entries });
  },
};

/** `redo cmdno`: runs a command from the history again. */
export const redoCommand: Command = {
  name: 'redo',
  usage: 'cmdno',
  options: [],
  minArgs: 2,
  needsConnection: false,
  async run(invocation) {
    const { shell } = invocation;
    const text = arg(invocation, 1);
    const index = Number(text);
    if (!/^\d+$/.test(text) || index >= shell.commandCount) throw new CliError('Command index out of range');
    const line = shell.history.get(index);
    if (line === undefined) throw new CliError('Command index out of range');
    if (line.trim().split(/\s+/)[0] === 'redo') throw new CliError('No redoing redos');
    await shell.redo(line);
  },
};
