// Every child process and temporary directory the benchmark creates is registered here, so that
// a normal end, an exception and Ctrl+C all leave nothing behind: children are SIGKILLed
// synchronously on exit (no promise can run then) and the directories removed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const liveChildren = new Set();
const tempDirs = new Set();
let hooksInstalled = false;
/** Functions run (synchronously) before exit on a signal, e.g. to restore the terminal line. */
const signalListeners = new Set();

/** Registers a function to run when the benchmark is interrupted. */
export function onInterrupt(listener) {
  signalListeners.add(listener);
}

/** Installs the exit and signal hooks once. */
export function installCleanupHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', cleanupSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      for (const listener of signalListeners) listener(signal);
      cleanupSync();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/** Kills every child still running and removes every temporary directory. */
export function cleanupSync() {
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
  liveChildren.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** A fresh temporary directory that is removed at exit (or earlier with {@link removeTempDir}). */
export function makeTempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** Removes a directory made by {@link makeTempDir} now. */
export function removeTempDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/**
 * Spawns a child that is killed when the benchmark ends. Resolves nothing: the returned object
 * carries the child and an `exited` promise that settles with a description of how it ended.
 */
export function spawnTracked(command, args, options) {
  const child = spawn(command, args, options);
  liveChildren.add(child);
  const exited = new Promise((resolve) => {
    child.once('error', (error) => {
      liveChildren.delete(child);
      resolve(`could not start ${command}: ${error.message}`);
    });
    child.once('exit', (code, signal) => {
      liveChildren.delete(child);
      resolve(`exited with ${signal ?? `code ${code}`}`);
    });
  });
  return { child, exited };
}
