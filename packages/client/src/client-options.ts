import type { TransportFactory } from './transport/transport.js';

/** Exponential backoff for retry-safe operations, in the spirit of Curator's `ExponentialBackoffRetry`. */
export interface RetryOptions {
  /** How many times to retry after the first failure. */
  readonly retries: number;
  /** Delay before the first retry; later delays double, each randomized by a factor of 1–2. Default 100. */
  readonly minTimeoutMs?: number;
  /** Cap on any single delay. Default 10 000. */
  readonly maxTimeoutMs?: number;
}

/** Credentials sent with every connection, as `ZooKeeper.addAuthInfo` registers them. */
export interface AuthInfo {
  /** The auth scheme, e.g. `digest`. */
  readonly scheme: string;
  /** The credentials; strings are sent as UTF-8 (`user:password` for `digest`). */
  readonly auth: Uint8Array | string;
}

/** Options of {@link createClient}. Everything is optional; defaults follow ZooKeeper's Java client. */
export interface ZkClientOptions {
  /** Requested session timeout; the server clamps it to its min/max. Default 30 000. */
  readonly sessionTimeoutMs?: number;
  /**
   * How long one connection attempt (TCP/WebSocket connect plus handshake) may take before
   * the next server is tried. Default: the session timeout divided by the number of servers,
   * as ClientCnxn computes it.
   */
  readonly connectTimeoutMs?: number;
  /** `tcp` (Node only) or `websocket`. Default: `websocket` for `ws://`/`wss://` URLs, else `tcp`. */
  readonly transport?: 'tcp' | 'websocket';
  /** Allow connecting to a read-only server when no majority is reachable (`canBeReadOnly`). Default false. */
  readonly readOnly?: boolean;
  /** Retry policy for retry-safe operations (reads, exists, sync …); off by default, as in ZooKeeper. */
  readonly retry?: RetryOptions;
  /** Root all paths at this znode. Also accepted as a connect string suffix (`host:2181/app`); give one or the other. */
  readonly chroot?: string;
  /** Credentials to add before any request, and again after every reconnect. */
  readonly authInfo?: readonly AuthInfo[];
  /** Resume this session instead of creating one (with `sessionPassword`). */
  readonly sessionId?: bigint;
  /** The password of the session given in `sessionId`. */
  readonly sessionPassword?: Uint8Array;
  /** Seed for the server-order shuffle and the reconnect jitter, for reproducible tests. */
  readonly randomSeed?: number;
  /** Upper bound of the random pause before a reconnect attempt (ClientCnxn: 1000). */
  readonly reconnectDelayMaxMs?: number;
  /** Pause after every server has been tried without success (StaticHostProvider: 1000). */
  readonly spinDelayMs?: number;
  /**
   * Bound on requests queued or awaiting a reply. A request beyond it fails at once with
   * `THROTTLED_OP` instead of growing memory without limit. Default 100 000.
   */
  readonly pendingRequestsMax?: number;
  /** Largest frame accepted from the server (the client's `jute.maxbuffer`). Default 1 MiB − 1. */
  readonly maxFrameBytes?: number;
  /** Re-register watches after a reconnect (ZooKeeper's default); false mirrors `zookeeper.disableAutoWatchReset`. */
  readonly autoWatchReset?: boolean;
  /** Replaces the built-in transports, e.g. to interpose a proxy in tests. */
  readonly transportFactory?: TransportFactory;
}

/** Default requested session timeout. */
export const DEFAULT_SESSION_TIMEOUT_MS = 30_000;
/** ClientCnxn sleeps a random time below one second before each reconnect, to spread reconnect storms. */
export const DEFAULT_RECONNECT_DELAY_MAX_MS = 1_000;
/** StaticHostProvider's pause after a full cycle over the servers. */
export const DEFAULT_SPIN_DELAY_MS = 1_000;
/** Default bound on queued plus in-flight requests. */
export const DEFAULT_PENDING_REQUESTS_MAX = 100_000;
