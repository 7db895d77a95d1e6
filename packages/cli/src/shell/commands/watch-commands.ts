import type { AddWatchModeName, WatcherTypeName } from '@zkts/client';
import { type Command, arg, call, checkPath, flag, has, usageLine, valued } from './command.js';
import { CliError } from '../cli-error.js';

const ADD_WATCH_MODES: readonly AddWatchModeName[] = ['PERSISTENT', 'PERSISTENT_RECURSIVE'];
const DEFAULT_ADD_WATCH_MODE: AddWatchModeName = 'PERSISTENT_RECURSIVE';

/** `addWatch [-m mode] path`: a persistent (by default recursive) watch whose events the shell prints. */
export const addWatchCommand: Command = {
  name: 'addWatch',
  usage: `[-m mode] path # optional mode is one of [${ADD_WATCH_MODES.join(', ')}] - default is ${DEFAULT_ADD_WATCH_MODE}`,
  options: [valued('m')],
  minArgs: 2,
  needsConnection: true,
  async run(invocation) {
    // zkCli insists on exactly one path and a known mode, and answers anything else with its usage line.
    if (invocation.parsed.args.length !== 2) throw new CliError(usageLine(addWatchCommand));
    const modeOption = invocation.parsed.options.get('m');
    const modeText = typeof modeOption === 'string' ? modeOption.toUpperCase() : DEFAULT_ADD_WATCH_MODE;
    const mode = ADD_WATCH_MODES.find((candidate) => candidate === modeText);
    if (mode === undefined) throw new CliError(usageLine(addWatchCommand));
    const path = checkPath(arg(invocation, 1));
    await call(invocation.client.addWatch(path, invocation.session.watcher, mode));
    invocation.printer.result('', { path, mode });
  },
};

/** `removewatches path [-c|-d|-a] [-l]`: removes the shell's watches of a type (default any) from a path. */
export const removeWatchesCommand: Command = {
  name: 'removewatches',
  usage: 'path [-c|-d|-a] [-l]',
  options: [flag('c'), flag('d'), flag('a'), flag('l')],
  minArgs: 2,
  needsConnection: true,
  async run(invocation) {
    const path = checkPath(arg(invocation, 1));
    const type: WatcherTypeName = has(invocation, 'c') ? 'Children' : has(invocation, 'd') ? 'Data' : 'Any';
    await call(invocation.client.removeAllWatches(path, type, has(invocation, 'l')));
    invocation.printer.result('', { path, type });
  },
};

/** `printwatches on|off`: whether watch events are printed; without an argument, the current setting. */
export const printWatchesCommand: Command = {
  name: 'printwatches',
  usage: 'on|off',
  options: [],
  minArgs: 1,
  needsConnection: false,
  async run(invocation) {
    const { shell, printer } = invocation;
    const setting = invocation.parsed.args[1];
    if (setting === undefined) {
      printer.result(`printwatches is ${shell.printWatches ? 'on' : 'off'}\n`, { printwatches: shell.printWatches ? 'on' : 'off' });
      return;
    }
    // As in zkCli, anything but "on" turns printing off.
    shell.printWatches = setting === 'on';
    printer.result('', { printwatches: shell.printWatches ? 'on' : 'off' });
  },
};
