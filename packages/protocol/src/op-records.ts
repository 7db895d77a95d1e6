/**
 * Request and response bodies of the client operations, named after their jute classes
 * (`zookeeper.jute`, `org.apache.zookeeper.proto`), plus the multi request and response,
 * which jute does not describe (`MultiOperationRecord`, `MultiResponse`).
 *
 * A `data` of `null` is a jute null buffer (length −1), which ZooKeeper keeps distinct from
 * an empty one: a node created with null data answers getData with null data.
 * @module
 */
import type { ACL, ClientInfo, Stat } from './records.js';

/** Body of create, create2 and createContainer. `flags` is a {@link CreateMode}. */
export interface CreateRequest {
  path: string;
  data: Uint8Array | null;
  acl: ACL[];
  flags: number;
}

/** Body of createTTL: a create with a time-to-live in milliseconds. */
export interface CreateTTLRequest {
  path: string;
  data: Uint8Array | null;
  acl: ACL[];
  flags: number;
  ttl: bigint;
}

/** Answer to create: the created path (with its sequence suffix, if any). */
export interface CreateResponse {
  path: string;
}

/** Answer to create2, createContainer and createTTL: the created path and its Stat. */
export interface Create2Response {
  path: string;
  stat: Stat;
}

/** Body of delete. Version −1 matches any version. */
export interface DeleteRequest {
  path: string;
  version: number;
}

/** Body of exists. */
export interface ExistsRequest {
  path: string;
  watch: boolean;
}

/** Answer to exists when the node exists (a missing node is error NO_NODE with no body). */
export interface ExistsResponse {
  stat: Stat;
}

/** Body of getData. */
export interface GetDataRequest {
  path: string;
  watch: boolean;
}

/** Answer to getData (and to reconfig, carrying the new configuration). */
export interface GetDataResponse {
  data: Uint8Array | null;
  stat: Stat;
}

/** Body of setData. Version −1 matches any version. */
export interface SetDataRequest {
  path: string;
  data: Uint8Array | null;
  version: number;
}

/** Answer to setData, and to a standalone check (ZooKeeper reuses this record for both). */
export interface SetDataResponse {
  stat: Stat;
}

/** Body of getACL. */
export interface GetACLRequest {
  path: string;
}

/** Answer to getACL. */
export interface GetACLResponse {
  acl: ACL[];
  stat: Stat;
}

/** Body of setACL. Version −1 matches any ACL version. */
export interface SetACLRequest {
  path: string;
  acl: ACL[];
  version: number;
}

/** Answer to setACL. */
export interface SetACLResponse {
  stat: Stat;
}

/** Body of getChildren. */
export interface GetChildrenRequest {
  path: string;
  watch: boolean;
}

/** Answer to getChildren: child names, not full paths. */
export interface GetChildrenResponse {
  children: string[];
}

/** Body of getChildren2. */
export interface GetChildren2Request {
  path: string;
  watch: boolean;
}

/** Answer to getChildren2: child names and the parent's Stat. */
export interface GetChildren2Response {
  children: string[];
  stat: Stat;
}

/** Body of sync. */
export interface SyncRequest {
  path: string;
}

/** Answer to sync: the path the request named. */
export interface SyncResponse {
  path: string;
}

/** Body of check (op 13), standalone or inside multi. */
export interface CheckVersionRequest {
  path: string;
  version: number;
}

/** Body of reconfig. A null string means "not given", which ZooKeeper distinguishes from empty. */
export interface ReconfigRequest {
  joiningServers: string | null;
  leavingServers: string | null;
  newMembers: string | null;
  curConfigId: bigint;
}

/** Body of checkWatches. `type` is a {@link WatcherType}. */
export interface CheckWatchesRequest {
  path: string;
  type: number;
}

/** Body of removeWatches. `type` is a {@link WatcherType}. */
export interface RemoveWatchesRequest {
  path: string;
  type: number;
}

/** Body of addWatch. `mode` is an {@link AddWatchMode}. */
export interface AddWatchRequest {
  path: string;
  mode: number;
}

/** An error code as a record: the answer to addWatch (err 0) and the body of failed multi results. */
export interface ErrorResponse {
  err: number;
}

/** Body of getEphemerals: the session's ephemerals under `prefixPath` ("/" or blank for all). */
export interface GetEphemeralsRequest {
  prefixPath: string;
}

/** Answer to getEphemerals: full paths. */
export interface GetEphemeralsResponse {
  ephemerals: string[];
}

/** Body of getAllChildrenNumber. */
export interface GetAllChildrenNumberRequest {
  path: string;
}

/** Answer to getAllChildrenNumber: the number of descendants, not counting the node itself. */
export interface GetAllChildrenNumberResponse {
  totalNumber: number;
}

/** Answer to whoAmI (a request with no body). */
export interface WhoAmIResponse {
  clientInfo: ClientInfo[];
}

/** Body of a SASL request (op `sasl`). */
export interface GetSASLRequest {
  token: Uint8Array | null;
}

/** Answer to a SASL request. */
export interface SetSASLResponse {
  token: Uint8Array | null;
}

/**
 * One operation inside a multi (write ops) or multiRead (getChildren, getData) request.
 * The wire allows exactly these types (`MultiOperationRecord`); create2 and createContainer
 * ops carry a CreateRequest.
 */
export type MultiOp =
  | { type: 1 | 15 | 19; body: CreateRequest }
  | { type: 21; body: CreateTTLRequest }
  | { type: 2; body: DeleteRequest }
  | { type: 5; body: SetDataRequest }
  | { type: 13; body: CheckVersionRequest }
  | { type: 8; body: GetChildrenRequest }
  | { type: 4; body: GetDataRequest };

/**
 * Body of multi and multiRead. On the wire each op is preceded by
 * `MultiHeader{type, done: false, err: -1}` and the list ends with
 * `MultiHeader{type: -1, done: true, err: -1}`. One request may not mix read and write ops.
 */
export interface MultiRequest {
  ops: MultiOp[];
}

/**
 * One result of a multi or multiRead. `type` and `err` are those of the result's MultiHeader:
 * `err` is 0 except for error results (type −1), which also carry the code as ErrorResponse.
 * createTTL and createContainer ops answer with create2 results, delete and check with no body.
 */
export type MultiResult =
  | { type: 1; err: number; body: CreateResponse }
  | { type: 15; err: number; body: Create2Response }
  | { type: 2 | 13; err: number; body?: undefined }
  | { type: 5; err: number; body: SetDataResponse }
  | { type: 8; err: number; body: GetChildrenResponse }
  | { type: 4; err: number; body: GetDataResponse }
  | { type: -1; err: number; body: ErrorResponse };

/**
 * Answer to multi and multiRead. A failed multi still has reply err 0: every result is then
 * an error result, OK (0) for ops before the failing one, its code for the failing one and
 * RUNTIME_INCONSISTENCY for the rest.
 */
export interface MultiResponse {
  results: MultiResult[];
}
