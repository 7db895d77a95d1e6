import { connect } from 'node:net';

/**
 * Sends one of ZooKeeper's four-letter admin words (`ruok`, `srvr`, `mntr`, `cons`, …) to a
 * server's client port and resolves with the whole answer. The server closes the connection
 * after answering, so the answer is complete when the socket closes.
 */
export function fourLetterWord(host: string, port: number, word: string, timeoutMs = 5_000): Promise<string> {
  if (word.length !== 4) throw new Error(`four-letter words have four letters, got ${JSON.stringify(word)}`);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy(new Error(`four-letter word ${word} to ${host}:${port} got no complete answer within ${timeoutMs} ms`));
    });
    socket.on('connect', () => socket.write(word));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', (hadError) => {
      if (!hadError) resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
