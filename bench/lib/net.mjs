// Loopback helpers: free ports, four-letter words, polling with a deadline.
import { connect, createServer } from 'node:net';

/** The only address the benchmark talks to. */
export const HOST = '127.0.0.1';

/**
 * `count` distinct free ports on 127.0.0.1, found by binding port 0 and releasing it. Another
 * process may take one before we bind it; cluster start-up retries on that.
 */
export async function findFreePorts(count) {
  const servers = [];
  try {
    const ports = [];
    for (let i = 0; i < count; i += 1) {
      const server = createServer();
      servers.push(server);
      ports.push(
        await new Promise((resolve, reject) => {
          server.once('error', reject);
          server.listen({ host: HOST, port: 0, exclusive: true }, () => resolve(server.address().port));
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(() => resolve()))));
  }
}

/** Sends a four-letter word and resolves with the answer (complete when the server closes). */
export function fourLetterWord(port, word, timeoutMs = 3_000) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const socket = connect({ host: HOST, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`${word} to ${HOST}:${port}: no answer within ${timeoutMs} ms`)));
    socket.on('connect', () => socket.write(word));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', (hadError) => {
      if (!hadError) resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** The `Mode:` a server reports in `srvr`, or undefined while it does not serve (or is down). */
export async function serverMode(port, timeoutMs = 2_000) {
  try {
    const answer = await fourLetterWord(port, 'srvr', timeoutMs);
    return /^Mode: (\w+)$/m.exec(answer)?.[1];
  } catch {
    return undefined;
  }
}

/** `mntr` as a map of key → value (strings), or undefined when the server does not answer. */
export async function monitor(port, timeoutMs = 5_000) {
  try {
    const answer = await fourLetterWord(port, 'mntr', timeoutMs);
    const values = new Map();
    for (const line of answer.split('\n')) {
      const [key, value] = line.split('\t');
      if (key && value !== undefined) values.set(key.trim(), value.trim());
    }
    return values;
  } catch {
    return undefined;
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `probe` every `intervalMs` until it returns something other than undefined/false and
 * resolves with that; throws after `timeoutMs` with `description` (and `detail()` if given).
 */
export async function pollUntil(probe, { timeoutMs, intervalMs = 50, description, detail }) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${detail ? `\n${detail()}` : ''}`);
    }
    await sleep(intervalMs);
  }
}
