// Progress while the benchmark runs: one line rewritten in place on a terminal, plain lines
// (at most one status line every few seconds) when the output is a pipe or a CI log.

const PLAIN_STATUS_INTERVAL_MS = 5_000;

/** Status and result lines on stderr. */
export class Progress {
  #stream;
  #tty;
  #startedAt = performance.now();
  #statusShown = false;
  #lastPlainStatusAt = -Infinity;

  constructor(stream = process.stderr) {
    this.#stream = stream;
    this.#tty = Boolean(stream.isTTY);
  }

  #stamp() {
    return `[${((performance.now() - this.#startedAt) / 1000).toFixed(1).padStart(6)}s]`;
  }

  /** A transient status: replaces the previous one on a terminal. */
  status(text) {
    const line = `${this.#stamp()} ${text}`;
    if (this.#tty) {
      const width = this.#stream.columns || 120;
      this.#stream.write(`\r\x1b[K${line.length >= width ? `${line.slice(0, width - 2)}…` : line}`);
      this.#statusShown = true;
      return;
    }
    const now = performance.now();
    if (now - this.#lastPlainStatusAt < PLAIN_STATUS_INTERVAL_MS) return;
    this.#lastPlainStatusAt = now;
    this.#stream.write(`${line}\n`);
  }

  /** A permanent line (a result, a phase change). */
  line(text) {
    this.clear();
    this.#stream.write(`${this.#stamp()} ${text}\n`);
  }

  /** Removes the status line, e.g. before exiting. */
  clear() {
    if (this.#tty && this.#statusShown) this.#stream.write('\r\x1b[K');
    this.#statusShown = false;
  }

  get elapsedMs() {
    return performance.now() - this.#startedAt;
  }
}
