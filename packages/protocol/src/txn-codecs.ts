/**
 * Codecs of the transaction, quorum and file-header records of `zookeeper.jute`.
 * @module
 */
import { defineCodec } from './codec.js';
import type { JuteReader, JuteWriter } from './jute.js';
import { idCodec, readAclVector, writeAclVector } from './record-codecs.js';
import type {
  CheckVersionTxn,
  CloseSessionTxn,
  CreateContainerTxn,
  CreateSessionTxn,
  CreateTTLTxn,
  CreateTxn,
  DeleteTxn,
  ErrorTxn,
  FileHeader,
  LearnerInfo,
  MultiTxn,
  QuorumAuthPacket,
  QuorumPacket,
  SetACLTxn,
  SetDataTxn,
  Txn,
  TxnDigest,
  TxnHeader,
} from './txn-records.js';

/** Codec of {@link TxnHeader} (32 bytes). */
export const txnHeaderCodec = defineCodec<TxnHeader>(
  32,
  (w, v) => {
    w.long(v.clientId);
    w.int(v.cxid);
    w.long(v.zxid);
    w.long(v.time);
    w.int(v.type);
  },
  (r) => ({ clientId: r.long(), cxid: r.int(), zxid: r.long(), time: r.long(), type: r.int() }),
);

/** Codec of {@link TxnDigest} (12 bytes). */
export const txnDigestCodec = defineCodec<TxnDigest>(
  12,
  (w, v) => {
    w.int(v.version);
    w.long(v.treeDigest);
  },
  (r) => ({ version: r.int(), treeDigest: r.long() }),
);

/** Codec of {@link CreateTxn}. */
export const createTxnCodec = defineCodec<CreateTxn>(
  17,
  (w, v) => {
    w.string(v.path);
    w.buffer(v.data);
    writeAclVector(w, v.acl);
    w.bool(v.ephemeral);
    w.int(v.parentCVersion);
  },
  (r) => ({ path: r.string(), data: r.buffer(), acl: readAclVector(r), ephemeral: r.bool(), parentCVersion: r.int() }),
);

/** Codec of {@link CreateTTLTxn}. */
export const createTTLTxnCodec = defineCodec<CreateTTLTxn>(
  24,
  (w, v) => {
    w.string(v.path);
    w.buffer(v.data);
    writeAclVector(w, v.acl);
    w.int(v.parentCVersion);
    w.long(v.ttl);
  },
  (r) => ({ path: r.string(), data: r.buffer(), acl: readAclVector(r), parentCVersion: r.int(), ttl: r.long() }),
);

/** Codec of {@link CreateContainerTxn}. */
export const createContainerTxnCodec = defineCodec<CreateContainerTxn>(
  16,
  (w, v) => {
    w.string(v.path);
    w.buffer(v.data);
    writeAclVector(w, v.acl);
    w.int(v.parentCVersion);
  },
  (r) => ({ path: r.string(), data: r.buffer(), acl: readAclVector(r), parentCVersion: r.int() }),
);

/** Codec of {@link DeleteTxn}. */
export const deleteTxnCodec = defineCodec<DeleteTxn>(
  4,
  (w, v) => w.string(v.path),
  (r) => ({ path: r.string() }),
);

/** Codec of {@link SetDataTxn}. */
export const setDataTxnCodec = defineCodec<SetDataTxn>(
  12,
  (w, v) => {
    w.string(v.path);
    w.buffer(v.data);
    w.int(v.version);
  },
  (r) => ({ path: r.string(), data: r.buffer(), version: r.int() }),
);

/** Codec of {@link CheckVersionTxn}. */
export const checkVersionTxnCodec = defineCodec<CheckVersionTxn>(
  8,
  (w, v) => {
    w.string(v.path);
    w.int(v.version);
  },
  (r) => ({ path: r.string(), version: r.int() }),
);

/** Codec of {@link SetACLTxn}. */
export const setACLTxnCodec = defineCodec<SetACLTxn>(
  12,
  (w, v) => {
    w.string(v.path);
    writeAclVector(w, v.acl);
    w.int(v.version);
  },
  (r) => ({ path: r.string(), acl: readAclVector(r), version: r.int() }),
);

/** Codec of {@link CreateSessionTxn}. */
export const createSessionTxnCodec = defineCodec<CreateSessionTxn>(
  4,
  (w, v) => w.int(v.timeOut),
  (r) => ({ timeOut: r.int() }),
);

/** Codec of {@link CloseSessionTxn}. */
export const closeSessionTxnCodec = defineCodec<CloseSessionTxn>(
  4,
  (w, v) => w.stringVector(v.paths2Delete),
  (r) => ({ paths2Delete: r.stringVector() }),
);

/** Codec of {@link ErrorTxn}. */
export const errorTxnCodec = defineCodec<ErrorTxn>(
  4,
  (w, v) => w.int(v.err),
  (r) => ({ err: r.int() }),
);

function writeTxn(w: JuteWriter, v: Txn): void {
  w.int(v.type);
  w.buffer(v.data);
}
function readTxn(r: JuteReader): Txn {
  return { type: r.int(), data: r.buffer() };
}
/** Codec of {@link Txn}. */
export const txnCodec = defineCodec<Txn>(8, writeTxn, readTxn);

/** Codec of {@link MultiTxn}. */
export const multiTxnCodec = defineCodec<MultiTxn>(
  4,
  (w, v) => w.vector(v.txns, writeTxn),
  (r) => ({ txns: r.vector(readTxn, 8) }),
);

/** Codec of {@link LearnerInfo} (20 bytes). */
export const learnerInfoCodec = defineCodec<LearnerInfo>(
  20,
  (w, v) => {
    w.long(v.serverid);
    w.int(v.protocolVersion);
    w.long(v.configVersion);
  },
  (r) => ({ serverid: r.long(), protocolVersion: r.int(), configVersion: r.long() }),
);

/** Codec of {@link QuorumPacket}; null `data` and `authinfo` stay null. */
export const quorumPacketCodec = defineCodec<QuorumPacket>(
  20,
  (w, v) => {
    w.int(v.type);
    w.long(v.zxid);
    w.buffer(v.data);
    w.vector(v.authinfo, idCodec.write);
  },
  (r) => ({ type: r.int(), zxid: r.long(), data: r.buffer(), authinfo: r.nullableVector(idCodec.read, idCodec.minBytes) }),
);

/** Codec of {@link QuorumAuthPacket}. */
export const quorumAuthPacketCodec = defineCodec<QuorumAuthPacket>(
  16,
  (w, v) => {
    w.long(v.magic);
    w.int(v.status);
    w.buffer(v.token);
  },
  (r) => ({ magic: r.long(), status: r.int(), token: r.buffer() }),
);

/** Codec of {@link FileHeader} (16 bytes). */
export const fileHeaderCodec = defineCodec<FileHeader>(
  16,
  (w, v) => {
    w.int(v.magic);
    w.int(v.version);
    w.long(v.dbid);
  },
  (r) => ({ magic: r.int(), version: r.int(), dbid: r.long() }),
);
