/**
 * A WebSocket front for a TCP ZooKeeper server: each binary WebSocket message is one frame,
 * forwarded with TCP's length prefix, and each TCP frame goes back as one message. Lets the
 * client's WebSocket transport be tested against Apache ZooKeeper.
 */
import { createConnection } from 'node:net';
import { FrameDecoder, encodeLengthPrefixed } from '@zkts/protocol';
import { type WebSocket, WebSocketServer } from 'ws';

/** A running bridge. */
export interface WebSocketBridge {
  /** `ws://127.0.0.1:port/zookeeper` */
  readonly url: string;
  readonly accepted: number;
  /** Closes every bridged connection. */
  dropAll(): void;
  close(): Promise<void>;
}

/** Starts a bridge on a free loopback port in front of `127.0.0.1:targetPort`. */
export async function startWebSocketBridge(targetPort: number): Promise<WebSocketBridge> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/zookeeper' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const sockets = new Set<WebSocket>();
  let accepted = 0;
  server.on('connection', (ws) => {
    accepted++;
    sockets.add(ws);
    const tcp = createConnection({ host: '127.0.0.1', port: targetPort });
    const decoder = new FrameDecoder();
    const end = (): void => {
      sockets.delete(ws);
      tcp.destroy();
      ws.terminate();
    };
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return end();
      tcp.write(encodeLengthPrefixed(data));
    });
    tcp.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) ws.send(frame, { binary: true });
    });
    ws.on('close', end);
    ws.on('error', end);
    tcp.on('close', end);
    tcp.on('error', end);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('bridge has no port');
  return {
    url: `ws://127.0.0.1:${address.port}/zookeeper`,
    get accepted() {
      return accepted;
    },
    dropAll() {
      for (const ws of sockets) ws.terminate();
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
