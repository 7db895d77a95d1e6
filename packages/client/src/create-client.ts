import { DEFAULT_MAX_FRAME_BYTES, ZkError, validatePath } from '@zkts/protocol';
import { createTcpTransport, isReadWriteServer, tcpSupported } from '#tcp-transport';
import { Chroot } from './chroot.js';
import { type WaitOptions, ZkClient } from './client.js';
import {
  DEFAULT_PENDING_REQUESTS_MAX,
  DEFAULT_RECONNECT_DELAY_MAX_MS,
  DEFAULT_SESSION_TIMEOUT_MS,
  DEFAULT_SPIN_DELAY_MS,
  type ZkClientOptions,
} from './client-options.js';
import { ClientConnection } from './connection.js';
import { parseConnectString } from './connect-string.js';
import type { Endpoint, TransportFactory } from './transport/transport.js';
import { createWebSocketTransport } from './transport/websocket-transport.js';
import { createRandom } from './util/rng.js';

/**
 * Creates a client and starts connecting in the background, like `new ZooKeeper(...)`.
 * Requests made before the session is established wait for it (and fail with
 * CONNECTION_LOSS if that connection attempt fails). Use {@link ZkClient.connected} or
 * {@link connect} to wait for the session.
 *
 * @param connectString - `host:port,host:port[/chroot]` (IPv6 as `[::1]:2181`), or
 *   comma-separated `ws://`/`wss://` URLs for the WebSocket transport.
 * @throws ZkError BAD_ARGUMENTS for a malformed connect string or options.
 */
export function createClient(connectString: string, options: ZkClientOptions = {}): ZkClient {
  const parsed = parseConnectString(connectString, options.transport);
  const chroot = new Chroot(resolveChroot(parsed.chroot, options.chroot));
  const sessionTimeoutMs = positiveInteger('sessionTimeoutMs', options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS);
  const maxFrameBytes = positiveInteger('maxFrameBytes', options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
  if ((options.sessionId === undefined) !== (options.sessionPassword === undefined)) {
    throw new ZkError('BAD_ARGUMENTS', { message: 'sessionId and sessionPassword must be given together' });
  }
  if (options.transportFactory === undefined && !tcpSupported && parsed.endpoints.some((endpoint) => endpoint.transport === 'tcp')) {
    throw new ZkError('BAD_ARGUMENTS', { message: 'TCP is not available on this platform; connect with ws:// or wss:// URLs' });
  }
  const transportFactory: TransportFactory =
    options.transportFactory ??
    ((endpoint, handlers) =>
      endpoint.transport === 'tcp'
        ? createTcpTransport(endpoint, handlers, { maxFrameBytes })
        : createWebSocketTransport(endpoint, handlers, { maxFrameBytes }));
  const encoder = new TextEncoder();
  const config = {
    endpoints: parsed.endpoints,
    chroot,
    sessionTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs === undefined ? undefined : positiveInteger('connectTimeoutMs', options.connectTimeoutMs),
    readOnly: options.readOnly ?? false,
    sessionId: options.sessionId,
    sessionPassword: options.sessionPassword === undefined ? undefined : new Uint8Array(options.sessionPassword),
    random: createRandom(options.randomSeed),
    reconnectDelayMaxMs: nonNegative('reconnectDelayMaxMs', options.reconnectDelayMaxMs ?? DEFAULT_RECONNECT_DELAY_MAX_MS),
    spinDelayMs: nonNegative('spinDelayMs', options.spinDelayMs ?? DEFAULT_SPIN_DELAY_MS),
    pendingRequestsMax: positiveInteger('pendingRequestsMax', options.pendingRequestsMax ?? DEFAULT_PENDING_REQUESTS_MAX),
    autoWatchReset: options.autoWatchReset ?? true,
    authInfo: (options.authInfo ?? []).map(({ scheme, auth }) => ({ scheme, auth: typeof auth === 'string' ? encoder.encode(auth) : new Uint8Array(auth) })),
    transportFactory,
    probeReadWrite: (endpoint: Endpoint, timeoutMs: number) =>
      endpoint.transport === 'tcp' ? isReadWriteServer(endpoint, timeoutMs) : Promise.resolve(false),
  };
  return new ZkClient((emitter) => new ClientConnection(config, emitter), chroot, options.retry);
}

/**
 * Creates a client and resolves once its session is established. If that does not happen
 * within `wait.timeoutMs` (default: the session timeout) or the client stops for good, the
 * client is closed and the promise rejects.
 */
export async function connect(connectString: string, options: ZkClientOptions = {}, wait: WaitOptions = {}): Promise<ZkClient> {
  const client = createClient(connectString, options);
  try {
    await client.connected({ timeoutMs: wait.timeoutMs ?? options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS, signal: wait.signal });
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}

function resolveChroot(fromConnectString: string | undefined, fromOptions: string | undefined): string | undefined {
  if (fromOptions === undefined || fromOptions === '/') return fromConnectString;
  validatePath(fromOptions);
  if (fromConnectString !== undefined && fromConnectString !== fromOptions) {
    throw new ZkError('BAD_ARGUMENTS', { message: `Chroot given twice: '${fromConnectString}' in the connect string and '${fromOptions}' in options` });
  }
  return fromOptions;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new ZkError('BAD_ARGUMENTS', { message: `${name} must be a positive integer, got ${value}` });
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new ZkError('BAD_ARGUMENTS', { message: `${name} must be a non-negative number, got ${value}` });
  return value;
}
