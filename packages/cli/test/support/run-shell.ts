/**
 * Runs the `zk` shell in-process with scripted stdin and captured output, and Apache's
 * zkCli (`ZooKeeperMain`) as a child process fed the same script, for comparisons.
 * @module
 */
import { spawn } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { runZk } from '../../src/shell/main.js';

/** What a finished shell run printed. */
export interface ShellRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A Writable that keeps everything written to it. */
export class Capture extends Writable {
  text = '';

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

/** Runs `zk` with `argv`; `lines` (if any) are fed to stdin, followed by end of input. */
export async function runShell(argv: readonly string[], lines: readonly string[] = []): Promise<ShellRun> {
  const stdin = new PassThrough();
  stdin.end(lines.map((line) => `${line}\n`).join(''));
  const stdout = new Capture();
  const stderr = new Capture();
  const exitCode = await runZk(argv, { stdin, stdout, stderr });
  return { exitCode, stdout: stdout.text, stderr: stderr.text };
}

/** The class path of test-support/apache-zookeeper.ts: Debian's zookeeper.jar and an slf4j binding. */
const APACHE_CLASS_PATH = '/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar';
const JVM_OPTIONS = ['-Xshare:auto', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmx128m', '-Djava.net.preferIPv4Stack=true'];

/** Runs Apache ZooKeeper's zkCli (`ZooKeeperMain`) against `connectString` with `lines` on stdin (logging off). */
export function runZooKeeperMain(connectString: string, lines: readonly string[], timeoutMs = 30_000): Promise<ShellRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'java',
      [...JVM_OPTIONS, '-Dorg.slf4j.simpleLogger.defaultLogLevel=off', '-cp', APACHE_CLASS_PATH, 'org.apache.zookeeper.ZooKeeperMain', '-server', connectString],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`zkCli did not finish within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
    child.stdin.end(lines.map((line) => `${line}\n`).join(''));
  });
}

/** Replaces what legitimately differs between runs: Java dates and non-zero session ids. */
export function normalize(text: string): string {
  return text
    .replace(/[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \S+ \d{4}/g, '<date>')
    .replace(/ephemeralOwner = 0x[0-9a-f]+/g, (match) => (match.endsWith(' 0x0') ? match : 'ephemeralOwner = <session>'));
}
