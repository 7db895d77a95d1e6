import type { Command } from './command.js';
import {
  configCommand,
  getAclCommand,
  getAllChildrenNumberCommand,
  getCommand,
  getEphemeralsCommand,
  lsCommand,
  statCommand,
  syncCommand,
} from './read-commands.js';
import { addAuthCommand, closeCommand, connectCommand, historyCommand, quitCommand, redoCommand } from './session-commands.js';
import { addWatchCommand, printWatchesCommand, removeWatchesCommand } from './watch-commands.js';
import { createCommand, deleteAllCommand, deleteCommand, setAclCommand, setCommand } from './write-commands.js';

/** Every command of the shell, by the name typed. */
export const COMMANDS: ReadonlyMap<string, Command> = new Map(
  [
    lsCommand,
    getCommand,
    statCommand,
    createCommand,
    setCommand,
    deleteCommand,
    deleteAllCommand,
    syncCommand,
    getAclCommand,
    setAclCommand,
    addAuthCommand,
    getEphemeralsCommand,
    getAllChildrenNumberCommand,
    addWatchCommand,
    removeWatchesCommand,
    configCommand,
    connectCommand,
    closeCommand,
    quitCommand,
    historyCommand,
    redoCommand,
    printWatchesCommand,
  ].map((command) => [command.name, command]),
);

/** Command names in zkCli's (Java `String`) order, for usage and completion. */
export const COMMAND_NAMES: readonly string[] = [...COMMANDS.keys()].sort();

/** `ZooKeeperMain.usage()`'s list: a tab, the name and the option string of each command. */
export function commandList(): string {
  return COMMAND_NAMES.map((name) => `\t${name} ${COMMANDS.get(name)?.usage ?? ''}\n`).join('');
}
