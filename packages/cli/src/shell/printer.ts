import type { WatchedEvent } from '@zkts/client';
import { ZkError } from '@zkts/protocol';
import type { CliError } from './cli-error.js';
import { formatEvent } from './format.js';

/** Where the shell writes; `process.stdout`/`process.stderr` or test buffers. */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * Writes the shell's output in one of two styles. Text mode matches zkCli.sh: results on
 * stdout, notes such as `Created /x` and errors on stderr. JSON mode (`--json`) writes one
 * JSON object per line on stdout for every result, note and watch event, and errors as
 * `{"error":…}` on stderr, so scripts can read stdout line by line.
 */
export class Printer {
  constructor(
    private readonly stdout: TextSink,
    private readonly stderr: TextSink,
    /** Print JSON lines instead of zkCli's text. */
    readonly json: boolean,
  ) {}

  /** A command's result: `text` (already line-terminated) in text mode, `value` in JSON mode. */
  result(text: string, value: unknown): void {
    if (this.json) this.writeJson(this.stdout, value);
    else this.stdout.write(text);
  }

  /** What zkCli writes to stderr on success (`Created /x`); in JSON mode `value` goes to stdout instead. */
  note(line: string, value: unknown): void {
    if (this.json) this.writeJson(this.stdout, value);
    else this.stderr.write(`${line}\n`);
  }

  /** A warning, on stderr in both modes (in JSON mode as `{"warning":…}`). */
  warn(line: string): void {
    if (this.json) this.writeJson(this.stderr, { warning: line });
    else this.stderr.write(`${line}\n`);
  }

  /** Plain informational text on stdout that has no JSON form (banners, `Not connected`). */
  info(line: string): void {
    if (this.json) this.writeJson(this.stdout, { info: line });
    else this.stdout.write(`${line}\n`);
  }

  /** Usage text, on stderr as zkCli prints it; not repeated in JSON mode, where the error says enough. */
  usage(text: string): void {
    if (!this.json) this.stderr.write(text);
  }

  /** A failed command. */
  error(error: CliError): void {
    if (!this.json) {
      this.stderr.write(`${error.message}\n`);
      return;
    }
    const cause = error.cause instanceof ZkError ? error.cause : undefined;
    this.writeJson(this.stderr, {
      error: {
        message: error.message,
        exitCode: error.exitCode,
        ...(cause === undefined ? {} : { code: cause.code, errno: cause.errno, ...(cause.path === undefined ? {} : { path: cause.path }) }),
      },
    });
  }

  /** A watch or session event, as `ZooKeeperMain.MyWatcher` prints it (a blank line before each line). */
  event(event: WatchedEvent): void {
    if (this.json) this.writeJson(this.stdout, { event: { type: event.type, state: event.state, path: event.path } });
    else this.stdout.write(`\nWATCHER::\n\n${formatEvent(event)}\n`);
  }

  private writeJson(sink: TextSink, value: unknown): void {
    sink.write(`${JSON.stringify(value)}\n`);
  }
}
