/**
 * Apache ZooKeeper's own shell (`zkCli.sh`, class ZooKeeperMain) driven line by line over stdin,
 * with the class path the Apache harness uses. A session stays open until `quit`, so a test can
 * wait for output (a watch firing) between commands.
 * @module
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { pollUntil } from '../../../../test-support/poll.js';

const CLASS_PATH = '/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar';
const JVM_OPTIONS = ['-Xshare:auto', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmx128m', '-Djava.net.preferIPv4Stack=true'];

/** What a finished zkCli session printed. */
export interface ZkCliResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/** One running zkCli session. */
export class ZkCli {
  private stdoutText = '';
  private stderrText = '';
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (text: string) => (this.stdoutText += text));
    child.stderr.on('data', (text: string) => (this.stderrText += text));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Starts zkCli against `connectString`; logging is off so only the shell's own output remains. */
  static start(connectString: string): ZkCli {
    const child = spawn(
      'java',
      [...JVM_OPTIONS, '-Dorg.slf4j.simpleLogger.defaultLogLevel=off', '-cp', CLASS_PATH, 'org.apache.zookeeper.ZooKeeperMain', '-server', connectString],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    return new ZkCli(child);
  }

  /** Everything printed so far, stdout and stderr. */
  get output(): string {
    return this.stdoutText + this.stderrText;
  }

  /** Sends commands, one per line. */
  send(...lines: string[]): void {
    this.child.stdin.write(`${lines.join('\n')}\n`);
  }

  /** Waits until stdout has printed `text` `times` times. */
  async waitForStdout(text: string, times = 1, timeoutMs = 10_000): Promise<void> {
    await pollUntil(async () => (this.stdoutText.split(text).length - 1 >= times ? true : undefined), {
      timeoutMs,
      intervalMs: 20,
      description: `zkCli to print ${JSON.stringify(text)}`,
      detail: () => `stdout:\n${this.stdoutText}\nstderr:\n${this.stderrText}`,
    });
  }

  /** Sends `quit` (which closes the session) and waits for the JVM to exit. */
  async quit(): Promise<ZkCliResult> {
    this.send('quit');
    this.child.stdin.end();
    const exitCode = await this.exited;
    return { stdout: this.stdoutText, stderr: this.stderrText, exitCode };
  }

  /** Kills the JVM, for cleanup after a failure. */
  kill(): void {
    this.child.kill('SIGKILL');
  }
}
