/**
 * Transaction, quorum and file-header records of `zookeeper.jute`
 * (`org.apache.zookeeper.txn`, `server.quorum`, `server.persistence`), the shapes ZooKeeper
 * writes to its transaction log and snapshots and sends between servers.
 * @module
 */
import type { ACL, Id } from './records.js';

/** Header of every logged transaction. `time` is wall-clock milliseconds at the leader. */
export interface TxnHeader {
  clientId: bigint;
  cxid: number;
  zxid: bigint;
  time: bigint;
  type: number;
}

/** Digest of the data tree after a transaction, logged after the txn when digests are on. */
export interface TxnDigest {
  version: number;
  treeDigest: bigint;
}

/** Transaction of create and create2. `parentCVersion` is the parent's cversion after the create. */
export interface CreateTxn {
  path: string;
  data: Uint8Array | null;
  acl: ACL[];
  ephemeral: boolean;
  parentCVersion: number;
}

/** Transaction of createTTL. */
export interface CreateTTLTxn {
  path: string;
  data: Uint8Array | null;
  acl: ACL[];
  parentCVersion: number;
  ttl: bigint;
}

/** Transaction of createContainer. */
export interface CreateContainerTxn {
  path: string;
  data: Uint8Array | null;
  acl: ACL[];
  parentCVersion: number;
}

/** Transaction of delete and deleteContainer. */
export interface DeleteTxn {
  path: string;
}

/** Transaction of setData; `version` is the node's new version. */
export interface SetDataTxn {
  path: string;
  data: Uint8Array | null;
  version: number;
}

/** Transaction of check inside a multi. */
export interface CheckVersionTxn {
  path: string;
  version: number;
}

/** Transaction of setACL; `version` is the node's new aversion. */
export interface SetACLTxn {
  path: string;
  acl: ACL[];
  version: number;
}

/** Transaction of createSession: the negotiated session timeout in milliseconds. */
export interface CreateSessionTxn {
  timeOut: number;
}

/** Transaction of closeSession: the session's ephemerals to delete. */
export interface CloseSessionTxn {
  paths2Delete: string[];
}

/** Transaction of a failed request (type `error`): the error code. */
export interface ErrorTxn {
  err: number;
}

/** One sub-transaction of a MultiTxn: its type and its own serialized txn record. */
export interface Txn {
  type: number;
  data: Uint8Array | null;
}

/** Transaction of multi. */
export interface MultiTxn {
  txns: Txn[];
}

/** What a learner tells the leader when it connects. */
export interface LearnerInfo {
  serverid: bigint;
  protocolVersion: number;
  configVersion: bigint;
}

/**
 * A message between quorum peers. `type` is a {@link QuorumPacketType}; ZooKeeper sends null
 * `data` and `authinfo` for packets that carry none (e.g. PING from the leader).
 */
export interface QuorumPacket {
  type: number;
  zxid: bigint;
  data: Uint8Array | null;
  authinfo: Id[] | null;
}

/** Quorum SASL authentication message. */
export interface QuorumAuthPacket {
  magic: bigint;
  status: number;
  token: Uint8Array | null;
}

/** First record of a transaction log or snapshot file. */
export interface FileHeader {
  magic: number;
  version: number;
  dbid: bigint;
}
