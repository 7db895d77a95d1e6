/**
 * A TCP transport factory that can refuse connections, so a test can keep a session away
 * from its server (a partition) without a proxy hop on every request.
 * @module
 */
import { DEFAULT_MAX_FRAME_BYTES } from '@zkts/protocol';
import type { Transport, TransportFactory } from '../../src/index.js';
import { createTcpTransport } from '../../src/transport/tcp-transport.js';

/** Hands out real TCP transports while open; while refusing, every connection attempt fails at once. */
export class TransportGate {
  private refusing = false;

  /** The factory to pass as the client's `transportFactory`. */
  readonly factory: TransportFactory = (endpoint, handlers) => {
    if (endpoint.transport !== 'tcp') throw new Error('TransportGate carries TCP endpoints only');
    if (!this.refusing) return createTcpTransport(endpoint, handlers, { maxFrameBytes: DEFAULT_MAX_FRAME_BYTES });
    let closed = false;
    // Fail asynchronously, as a refused TCP connect does, and never after the owner closed it.
    setImmediate(() => {
      if (!closed) handlers.onClose(new Error('connection refused by the test'));
    });
    const refused: Transport = {
      send() {},
      close() {
        closed = true;
      },
    };
    return refused;
  };

  /** While refusing, new connection attempts fail; an open connection is not touched. */
  refuse(refusing: boolean): void {
    this.refusing = refusing;
  }
}
