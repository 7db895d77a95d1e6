/**
 * `@zkts/client`: a ZooKeeper client for Node and browsers with the semantics of ZooKeeper's
 * Java client — one-shot and persistent watches, session resume across servers, chroot,
 * multi/transactions — over TCP or WebSocket.
 *
 * ```ts
 * import { connect } from '@zkts/client';
 * const client = await connect('127.0.0.1:2181');
 * await client.create('/app', 'hello', { mode: 'PERSISTENT' });
 * const { data } = await client.getData('/app', (event) => console.log(event.type));
 * await client.close();
 * ```
 * @module
 */

export { createClient, connect } from './create-client.js';
export {
  ZkClient,
  type ACLResult,
  type CallOptions,
  type ChildrenResult,
  type CreateOptions,
  type CreateResult,
  type CreateWithParentsOptions,
  type DataResult,
  type WaitOptions,
} from './client.js';
export type { AuthInfo, RetryOptions, ZkClientOptions } from './client-options.js';
export type { ClientState, CloseReason, ConnectedInfo, ZkClientEvents } from './client-events.js';
export {
  NO_ZXID,
  type AddWatchModeName,
  type KeeperStateName,
  type WatchEventType,
  type WatchedEvent,
  type Watcher,
  type WatcherTypeName,
} from './watched-event.js';
export { Transaction, type TransactionCreateOptions } from './transaction.js';
export type { CheckOp, CreateOp, DeleteOp, ErrorResult, Op, OpResult, ReadOp, ReadOpResult, SetDataOp } from './multi-op.js';
export { MultiError, isRetryable } from './errors.js';
export { ANYONE_ID_UNSAFE, AUTH_IDS, Ids } from './acl.js';
export { MAX_TTL_MS, type CreateModeName } from './create-mode.js';
export type { NodeData } from './data.js';
export { DEFAULT_CLIENT_PORT, parseConnectString, type ConnectString } from './connect-string.js';
export type { Endpoint, TcpEndpoint, Transport, TransportFactory, TransportHandlers, WebSocketEndpoint } from './transport/transport.js';
// Records and errors users handle, re-exported so one import suffices.
export { ZkError, type ACL, type ClientInfo, type ErrorCodeName, type Id, type Stat, Perms } from '@zkts/protocol';
