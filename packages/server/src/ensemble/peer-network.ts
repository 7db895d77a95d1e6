import { WebSocket, WebSocketServer, type RawData } from 'ws';

/** Where a peer listens for other servers. */
export interface PeerAddress {
  id: number;
  host: string;
  port: number;
}

/** Channels multiplexed over one peer connection: the consensus core's messages, and the server's own. */
export const PeerChannel = {
  CONSENSUS: 0,
  SERVER: 1,
} as const;

/** What the network hands its owner. */
export interface PeerNetworkHandler {
  onMessage(from: number, channel: number, payload: Uint8Array): void;
  /** A connection to `id` closed: consensus learns at once that the link is gone, as a Java socket read fails. */
  onDisconnected(id: number): void;
}

const RECONNECT_DELAY_MS = 50;
const RECONNECT_DELAY_MAX_MS = 1000;
const HELLO_MAGIC = 0x7a6b7473; // "zkts"

/**
 * WebSocket links between the servers of an ensemble. As in ZooKeeper's
 * QuorumCnxManager, only the server with the larger id dials, so each pair
 * keeps exactly one connection; the dialer introduces itself with a hello.
 * Messages to a peer without a live link are dropped: ZAB tolerates loss.
 */
export class PeerNetwork {
  private server: WebSocketServer | undefined;
  private readonly links = new Map<number, WebSocket>();
  private readonly dialTimers = new Map<number, NodeJS.Timeout>();
  private readonly dialDelays = new Map<number, number>();
  /** Peers we drop traffic to and from (test partitions). */
  private readonly blocked = new Set<number>();
  private closed = false;

  constructor(
    private readonly myId: number,
    private readonly self: PeerAddress,
    private readonly peers: readonly PeerAddress[],
    private readonly handler: PeerNetworkHandler,
  ) {}

  /** Listens on our quorum port and dials every peer with a smaller id. */
  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const server = new WebSocketServer({ host: this.self.host, port: this.self.port, perMessageDeflate: false, maxPayload: 512 * 1024 * 1024 });
      this.server = server;
      server.once('error', reject);
      server.once('listening', () => {
        server.off('error', reject);
        resolve();
      });
      server.on('connection', (socket) => this.onInbound(socket));
    });
    for (const peer of this.peers) if (peer.id < this.myId) this.dial(peer);
  }

  /** Sends to one peer; dropped if there is no link. */
  send(to: number, channel: number, payload: Uint8Array): void {
    if (this.blocked.has(to)) return;
    const link = this.links.get(to);
    if (link === undefined || link.readyState !== WebSocket.OPEN) return;
    const frame = new Uint8Array(payload.byteLength + 1);
    frame[0] = channel;
    frame.set(payload, 1);
    link.send(frame, { binary: true });
  }

  /** Ids with a live link, for status. */
  connectedPeers(): number[] {
    return [...this.links.entries()].filter(([, link]) => link.readyState === WebSocket.OPEN).map(([id]) => id);
  }

  /** Cuts traffic with these peers (both directions) until `unblock`; links are closed so both sides notice. */
  block(ids: Iterable<number>): void {
    for (const id of ids) {
      this.blocked.add(id);
      this.links.get(id)?.terminate();
    }
  }

  /** Restores traffic with every peer. */
  unblockAll(): void {
    this.blocked.clear();
    for (const peer of this.peers) if (peer.id < this.myId && !this.links.has(peer.id)) this.dial(peer);
  }

  /** Closes every link and the listener. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.dialTimers.values()) clearTimeout(timer);
    for (const link of this.links.values()) link.terminate();
    this.links.clear();
    const server = this.server;
    if (server !== undefined) {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private dial(peer: PeerAddress): void {
    if (this.closed || this.dialTimers.has(peer.id)) return;
    const socket = new WebSocket(`ws://${peer.host.includes(':') ? `[${peer.host}]` : peer.host}:${peer.port}`, { perMessageDeflate: false, maxPayload: 512 * 1024 * 1024 });
    socket.binaryType = 'nodebuffer';
    socket.on('open', () => {
      const hello = new Uint8Array(8);
      const view = new DataView(hello.buffer);
      view.setUint32(0, HELLO_MAGIC);
      view.setUint32(4, this.myId);
      socket.send(hello, { binary: true });
      this.dialDelays.delete(peer.id);
      this.adopt(peer.id, socket);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.links.get(peer.id) === socket) this.dropLink(peer.id);
      this.scheduleDial(peer);
    });
  }

  private scheduleDial(peer: PeerAddress): void {
    if (this.closed || this.dialTimers.has(peer.id)) return;
    const delay = Math.min(this.dialDelays.get(peer.id) ?? RECONNECT_DELAY_MS, RECONNECT_DELAY_MAX_MS);
    this.dialDelays.set(peer.id, delay * 2);
    const timer = setTimeout(() => {
      this.dialTimers.delete(peer.id);
      if (!this.blocked.has(peer.id) && !this.links.has(peer.id)) this.dial(peer);
    }, delay);
    timer.unref();
    this.dialTimers.set(peer.id, timer);
  }

  private onInbound(socket: WebSocket): void {
    let peerId: number | undefined;
    socket.on('error', () => undefined);
    socket.on('message', (data) => {
      const bytes = toBytes(data);
      if (peerId === undefined) {
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const id = bytes.byteLength === 8 && view.getUint32(0) === HELLO_MAGIC ? view.getUint32(4) : -1;
        if (id <= this.myId || !this.peers.some((peer) => peer.id === id) || this.blocked.has(id)) {
          socket.terminate();
          return;
        }
        peerId = id;
        this.links.get(id)?.terminate();
        this.links.set(id, socket);
        return;
      }
      this.receive(peerId, bytes);
    });
    socket.on('close', () => {
      if (peerId !== undefined && this.links.get(peerId) === socket) this.dropLink(peerId);
    });
  }

  private adopt(id: number, socket: WebSocket): void {
    this.links.get(id)?.terminate();
    this.links.set(id, socket);
    socket.on('message', (data) => this.receive(id, toBytes(data)));
  }

  private receive(from: number, bytes: Uint8Array): void {
    if (this.blocked.has(from) || bytes.byteLength < 1) return;
    this.handler.onMessage(from, bytes[0]!, bytes.subarray(1));
  }

  private dropLink(id: number): void {
    this.links.delete(id);
    if (!this.closed) this.handler.onDisconnected(id);
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
