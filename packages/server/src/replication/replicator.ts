import type { Id } from '@zkts/protocol';

/** A client write on its way to becoming a transaction: it has no zxid or time yet. */
export interface TxnRequest {
  readonly sessionId: bigint;
  /** The client's xid, so the owning server can match the commit to the waiting reply. */
  readonly cxid: number;
  readonly type: number;
  /** The decoded protocol request body (for createSession: `{ timeOut }`). */
  readonly body: unknown;
  /** Identities of the session at submission, for ACL checks at apply time. */
  readonly authIds: readonly Id[];
  /** True when the session has superuser rights. */
  readonly superUser: boolean;
  /** The server whose client sent the request: only it answers the client. Absent on a standalone server. */
  readonly originServerId?: number;
}

/** A transaction: a request with the zxid and time the leader gave it. Applied in zxid order everywhere. */
export interface Txn extends TxnRequest {
  readonly zxid: number;
  readonly timeMs: number;
}

/**
 * Orders writes and tells the server when each is committed. Standalone, this
 * is a local counter plus the durable log; in an ensemble it is ZAB.
 */
export interface Replicator {
  /** Submits a write. Its commit is reported through the commit callback, in zxid order. */
  propose(request: TxnRequest): void;
  /** Calls `done` once every transaction proposed before this call is applied locally. */
  sync(done: () => void): void;
  /** Stops; pending proposals are dropped. */
  close(): Promise<void>;
}
