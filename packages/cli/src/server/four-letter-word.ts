import { connect } from 'node:net';

/**
 * Sends one of ZooKeeper's four-letter admin words (`srvr`, `ruok`, `mntr` …) to a client port
 * and resolves with the whole answer, which ends when the server closes the connection.
 * Rejects if the server cannot be reached or does not finish within `timeoutMs`.
 */
export function sendFourLetterWord(host: string, port: number, word: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no complete answer to ${word} from ${host}:${port} within ${timeoutMs} ms`)));
    socket.on('connect', () => socket.write(word));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', (hadError) => {
      if (!hadError) resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
