#!/usr/bin/env node
/**
 * `zk`: a ZooKeeper shell like zkCli.sh. `zk -server host:port ls /` runs one command;
 * `zk -server host:port` opens the interactive shell.
 * @module
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runZk } from './shell/main.js';

const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
const exitCode = await runZk(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  terminal,
  ...(terminal ? { historyFile: join(homedir(), '.zkts_history') } : {}),
});
// Pipes are asynchronous on some platforms: let pending output drain before exiting.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(exitCode);
