/**
 * Codecs of the data and proto records of `zookeeper.jute`, field for field in jute order
 * (checked against the 3.8 classes' `serialize` methods).
 * @module
 */
import { defineCodec } from './codec.js';
import type { JuteReader, JuteWriter } from './jute.js';
import type {
  AddWatchRequest,
  CheckVersionRequest,
  CheckWatchesRequest,
  Create2Response,
  CreateRequest,
  CreateResponse,
  CreateTTLRequest,
  DeleteRequest,
  ErrorResponse,
  ExistsRequest,
  ExistsResponse,
  GetACLRequest,
  GetACLResponse,
  GetAllChildrenNumberRequest,
  GetAllChildrenNumberResponse,
  GetChildren2Request,
  GetChildren2Response,
  GetChildrenRequest,
  GetChildrenResponse,
  GetDataRequest,
  GetDataResponse,
  GetEphemeralsRequest,
  GetEphemeralsResponse,
  GetSASLRequest,
  ReconfigRequest,
  RemoveWatchesRequest,
  SetACLRequest,
  SetACLResponse,
  SetDataRequest,
  SetDataResponse,
  SetSASLResponse,
  SyncRequest,
  SyncResponse,
  WhoAmIResponse,
} from './op-records.js';
import type {
  ACL,
  AuthPacket,
  ClientInfo,
  ConnectRequest,
  ConnectResponse,
  Id,
  MultiHeader,
  ReplyHeader,
  RequestHeader,
  SetWatches,
  SetWatches2,
  Stat,
  StatPersisted,
  WatcherEvent,
} from './records.js';

// ---- org.apache.zookeeper.data ----

function writeId(w: JuteWriter, v: Id): void {
  w.string(v.scheme);
  w.string(v.id);
}
function readId(r: JuteReader): Id {
  return { scheme: r.string(), id: r.string() };
}
/** Codec of {@link Id}. */
export const idCodec = defineCodec<Id>(8, writeId, readId);

function writeAcl(w: JuteWriter, v: ACL): void {
  w.int(v.perms);
  writeId(w, v.id);
}
function readAcl(r: JuteReader): ACL {
  return { perms: r.int(), id: readId(r) };
}
/** Codec of {@link ACL}. */
export const aclCodec = defineCodec<ACL>(12, writeAcl, readAcl);

/** Writes a `vector<ACL>`. */
export function writeAclVector(w: JuteWriter, acl: readonly ACL[]): void {
  w.vector(acl, writeAcl);
}
/** Reads a `vector<ACL>`; null reads as empty. */
export function readAclVector(r: JuteReader): ACL[] {
  return r.vector(readAcl, 12);
}

/** Encoded size of a Stat: 6 longs and 5 ints. */
const STAT_BYTES = 6 * 8 + 5 * 4;

function writeStat(w: JuteWriter, v: Stat): void {
  w.long(v.czxid);
  w.long(v.mzxid);
  w.long(v.ctime);
  w.long(v.mtime);
  w.int(v.version);
  w.int(v.cversion);
  w.int(v.aversion);
  w.long(v.ephemeralOwner);
  w.int(v.dataLength);
  w.int(v.numChildren);
  w.long(v.pzxid);
}
function readStat(r: JuteReader): Stat {
  return {
    czxid: r.long(),
    mzxid: r.long(),
    ctime: r.long(),
    mtime: r.long(),
    version: r.int(),
    cversion: r.int(),
    aversion: r.int(),
    ephemeralOwner: r.long(),
    dataLength: r.int(),
    numChildren: r.int(),
    pzxid: r.long(),
  };
}
/** Codec of {@link Stat} (always 68 bytes). */
export const statCodec = defineCodec<Stat>(STAT_BYTES, writeStat, readStat);

/** Codec of {@link StatPersisted} (always 60 bytes). */
export const statPersistedCodec = defineCodec<StatPersisted>(
  5 * 8 + 3 * 4 + 8,
  (w, v) => {
    w.long(v.czxid);
    w.long(v.mzxid);
    w.long(v.ctime);
    w.long(v.mtime);
    w.int(v.version);
    w.int(v.cversion);
    w.int(v.aversion);
    w.long(v.ephemeralOwner);
    w.long(v.pzxid);
  },
  (r) => ({
    czxid: r.long(),
    mzxid: r.long(),
    ctime: r.long(),
    mtime: r.long(),
    version: r.int(),
    cversion: r.int(),
    aversion: r.int(),
    ephemeralOwner: r.long(),
    pzxid: r.long(),
  }),
);

function writeClientInfo(w: JuteWriter, v: ClientInfo): void {
  w.string(v.authScheme);
  w.string(v.user);
}
function readClientInfo(r: JuteReader): ClientInfo {
  return { authScheme: r.string(), user: r.string() };
}
/** Codec of {@link ClientInfo}. */
export const clientInfoCodec = defineCodec<ClientInfo>(8, writeClientInfo, readClientInfo);

// ---- headers and session packets ----

/**
 * Codec of {@link ConnectRequest} including the trailing `readOnly` flag, which is optional:
 * it is read only if bytes remain, so this codec must read the last record of its frame.
 */
export const connectRequestCodec = defineCodec<ConnectRequest>(
  4 + 8 + 4 + 8 + 4,
  (w, v) => {
    w.int(v.protocolVersion);
    w.long(v.lastZxidSeen);
    w.int(v.timeOut);
    w.long(v.sessionId);
    w.buffer(v.passwd);
    if (v.readOnlyOmitted !== true) w.bool(v.readOnly);
  },
  (r) => {
    const v: ConnectRequest = {
      protocolVersion: r.int(),
      lastZxidSeen: r.long(),
      timeOut: r.int(),
      sessionId: r.long(),
      passwd: r.bufferNonNull(),
      readOnly: false,
    };
    if (r.remaining === 0) v.readOnlyOmitted = true;
    else v.readOnly = r.bool();
    return v;
  },
);

/** Codec of {@link ConnectResponse}; like {@link connectRequestCodec}, `readOnly` is optional. */
export const connectResponseCodec = defineCodec<ConnectResponse>(
  4 + 4 + 8 + 4,
  (w, v) => {
    w.int(v.protocolVersion);
    w.int(v.timeOut);
    w.long(v.sessionId);
    w.buffer(v.passwd);
    if (v.readOnlyOmitted !== true) w.bool(v.readOnly);
  },
  (r) => {
    const v: ConnectResponse = {
      protocolVersion: r.int(),
      timeOut: r.int(),
      sessionId: r.long(),
      passwd: r.bufferNonNull(),
      readOnly: false,
    };
    if (r.remaining === 0) v.readOnlyOmitted = true;
    else v.readOnly = r.bool();
    return v;
  },
);

/** Codec of {@link RequestHeader} (8 bytes). */
export const requestHeaderCodec = defineCodec<RequestHeader>(
  8,
  (w, v) => {
    w.int(v.xid);
    w.int(v.type);
  },
  (r) => ({ xid: r.int(), type: r.int() }),
);

/** Codec of {@link ReplyHeader} (16 bytes). */
export const replyHeaderCodec = defineCodec<ReplyHeader>(
  16,
  (w, v) => {
    w.int(v.xid);
    w.long(v.zxid);
    w.int(v.err);
  },
  (r) => ({ xid: r.int(), zxid: r.long(), err: r.int() }),
);

/** Codec of {@link MultiHeader} (9 bytes). */
export const multiHeaderCodec = defineCodec<MultiHeader>(
  9,
  (w, v) => {
    w.int(v.type);
    w.bool(v.done);
    w.int(v.err);
  },
  (r) => ({ type: r.int(), done: r.bool(), err: r.int() }),
);

/** Codec of {@link WatcherEvent}. */
export const watcherEventCodec = defineCodec<WatcherEvent>(
  12,
  (w, v) => {
    w.int(v.type);
    w.int(v.state);
    w.string(v.path);
  },
  (r) => ({ type: r.int(), state: r.int(), path: r.string() }),
);

/** Codec of {@link AuthPacket}. */
export const authPacketCodec = defineCodec<AuthPacket>(
  12,
  (w, v) => {
    w.int(v.type);
    w.string(v.scheme);
    w.buffer(v.auth);
  },
  (r) => ({ type: r.int(), scheme: r.string(), auth: r.buffer() }),
);

/** Codec of {@link SetWatches}. */
export const setWatchesCodec = defineCodec<SetWatches>(
  8 + 3 * 4,
  (w, v) => {
    w.long(v.relativeZxid);
    w.stringVector(v.dataWatches);
    w.stringVector(v.existWatches);
    w.stringVector(v.childWatches);
  },
  (r) => ({
    relativeZxid: r.long(),
    dataWatches: r.stringVector(),
    existWatches: r.stringVector(),
    childWatches: r.stringVector(),
  }),
);

/** Codec of {@link SetWatches2}. */
export const setWatches2Codec = defineCodec<SetWatches2>(
  8 + 5 * 4,
  (w, v) => {
    w.long(v.relativeZxid);
    w.stringVector(v.dataWatches);
    w.stringVector(v.existWatches);
    w.stringVector(v.childWatches);
    w.stringVector(v.persistentWatches);
    w.stringVector(v.persistentRecursiveWatches);
  },
  (r) => ({
    relativeZxid: r.long(),
    dataWatches: r.stringVector(),
    existWatches: r.stringVector(),
    childWatches: r.stringVector(),
    persistentWatches: r.stringVector(),
    persistentRecursiveWatches: r.stringVector(),
  }),
);

// ---- request bodies ----

function writePathWatch(w: JuteWriter, v: { path: string; watch: boolean }): void {
  w.string(v.path);
  w.bool(v.watch);
}
function readPathWatch(r: JuteReader): { path: string; watch: boolean } {
  return { path: r.string(), watch: r.bool() };
}
function writePath(w: JuteWriter, v: { path: string }): void {
  w.string(v.path);
}
function readPath(r: JuteReader): { path: string } {
  return { path: r.string() };
}
function writePathVersion(w: JuteWriter, v: { path: string; version: number }): void {
  w.string(v.path);
  w.int(v.version);
}
function readPathVersion(r: JuteReader): { path: string; version: number } {
  return { path: r.string(), version: r.int() };
}
function writePathType(w: JuteWriter, v: { path: string; type: number }): void {
  w.string(v.path);
  w.int(v.type);
}
function readPathType(r: JuteReader): { path: string; type: number } {
  return { path: r.string(), type: r.int() };
}
function writeStatOnly(w: JuteWriter, v: { stat: Stat }): void {
  writeStat(w, v.stat);
}
function readStatOnly(r: JuteReader): { stat: Stat } {
  return { stat: readStat(r) };
}
function writeChildren(w: JuteWriter, v: { children: string[] }): void {
  w.stringVector(v.children);
}
function readChildren(r: JuteReader): { children: string[] } {
  return { children: r.stringVector() };
}

/** Codec of {@link CreateRequest}. */
export const createRequestCodec = defineCodec<CreateRequest>(
  16,
  (w, v) => {
    w.string(v.path);
    w.buffer(v.data);
    writeAclVector(w, v.acl);
    w.int(v.flags);
  },
  (r) => ({ path: r.string(), data: r.buffer(), acl: readAclVector(r), flags: r.int() }),
);

/** Codec of {@link CreateTTLRequest}. */
export const createTTLRequestCodec = defineCodec<CreateTTLRequest>(
  24,
  (w, v) => {
    w.string(v.path);
    w.buffer(v.data);
    writeAclVector(w, v.acl);
    w.int(v.flags);
    w.long(v.ttl);
  },
  (r) => ({ path: r.string(), data: r.buffer(), acl: readAclVector(r), flags: r.int(), ttl: r.long() }),
);

/** Codec of {@link DeleteRequest}. */
export const deleteRequestCodec = defineCodec<DeleteRequest>(8, writePathVersion, readPathVersion);
/** Codec of {@link ExistsRequest}. */
export const existsRequestCodec = defineCodec<ExistsRequest>(5, writePathWatch, readPathWatch);
/** Codec of {@link GetDataRequest}. */
export const getDataRequestCodec = defineCodec<GetDataRequest>(5, writePathWatch, readPathWatch);

/** Codec of {@link SetDataRequest}. */
export const setDataRequestCodec = defineCodec<SetDataRequest>(
  12,
  (w, v) => {
    w.string(v.path);
    w.buffer(v.data);
    w.int(v.version);
  },
  (r) => ({ path: r.string(), data: r.buffer(), version: r.int() }),
);

/** Codec of {@link GetACLRequest}. */
export const getACLRequestCodec = defineCodec<GetACLRequest>(4, writePath, readPath);

/** Codec of {@link SetACLRequest}. */
export const setACLRequestCodec = defineCodec<SetACLRequest>(
  12,
  (w, v) => {
    w.string(v.path);
    writeAclVector(w, v.acl);
    w.int(v.version);
  },
  (r) => ({ path: r.string(), acl: readAclVector(r), version: r.int() }),
);

/** Codec of {@link GetChildrenRequest}. */
export const getChildrenRequestCodec = defineCodec<GetChildrenRequest>(5, writePathWatch, readPathWatch);
/** Codec of {@link GetChildren2Request}. */
export const getChildren2RequestCodec = defineCodec<GetChildren2Request>(5, writePathWatch, readPathWatch);
/** Codec of {@link SyncRequest}. */
export const syncRequestCodec = defineCodec<SyncRequest>(4, writePath, readPath);
/** Codec of {@link CheckVersionRequest}. */
export const checkVersionRequestCodec = defineCodec<CheckVersionRequest>(8, writePathVersion, readPathVersion);

/** Codec of {@link ReconfigRequest}. */
export const reconfigRequestCodec = defineCodec<ReconfigRequest>(
  20,
  (w, v) => {
    w.string(v.joiningServers);
    w.string(v.leavingServers);
    w.string(v.newMembers);
    w.long(v.curConfigId);
  },
  (r) => ({
    joiningServers: r.nullableString(),
    leavingServers: r.nullableString(),
    newMembers: r.nullableString(),
    curConfigId: r.long(),
  }),
);

/** Codec of {@link CheckWatchesRequest}. */
export const checkWatchesRequestCodec = defineCodec<CheckWatchesRequest>(8, writePathType, readPathType);
/** Codec of {@link RemoveWatchesRequest}. */
export const removeWatchesRequestCodec = defineCodec<RemoveWatchesRequest>(8, writePathType, readPathType);

/** Codec of {@link AddWatchRequest}. */
export const addWatchRequestCodec = defineCodec<AddWatchRequest>(
  8,
  (w, v) => {
    w.string(v.path);
    w.int(v.mode);
  },
  (r) => ({ path: r.string(), mode: r.int() }),
);

/** Codec of {@link GetEphemeralsRequest}. */
export const getEphemeralsRequestCodec = defineCodec<GetEphemeralsRequest>(
  4,
  (w, v) => w.string(v.prefixPath),
  (r) => ({ prefixPath: r.string() }),
);

/** Codec of {@link GetAllChildrenNumberRequest}. */
export const getAllChildrenNumberRequestCodec = defineCodec<GetAllChildrenNumberRequest>(4, writePath, readPath);

/** Codec of {@link GetSASLRequest}. */
export const getSASLRequestCodec = defineCodec<GetSASLRequest>(
  4,
  (w, v) => w.buffer(v.token),
  (r) => ({ token: r.buffer() }),
);

// ---- response bodies ----

/** Codec of {@link CreateResponse}. */
export const createResponseCodec = defineCodec<CreateResponse>(4, writePath, readPath);

/** Codec of {@link Create2Response}. */
export const create2ResponseCodec = defineCodec<Create2Response>(
  4 + STAT_BYTES,
  (w, v) => {
    w.string(v.path);
    writeStat(w, v.stat);
  },
  (r) => ({ path: r.string(), stat: readStat(r) }),
);

/** Codec of {@link ExistsResponse}. */
export const existsResponseCodec = defineCodec<ExistsResponse>(STAT_BYTES, writeStatOnly, readStatOnly);

/** Codec of {@link GetDataResponse}. */
export const getDataResponseCodec = defineCodec<GetDataResponse>(
  4 + STAT_BYTES,
  (w, v) => {
    w.buffer(v.data);
    writeStat(w, v.stat);
  },
  (r) => ({ data: r.buffer(), stat: readStat(r) }),
);

/** Codec of {@link SetDataResponse}. */
export const setDataResponseCodec = defineCodec<SetDataResponse>(STAT_BYTES, writeStatOnly, readStatOnly);

/** Codec of {@link GetACLResponse}. */
export const getACLResponseCodec = defineCodec<GetACLResponse>(
  4 + STAT_BYTES,
  (w, v) => {
    writeAclVector(w, v.acl);
    writeStat(w, v.stat);
  },
  (r) => ({ acl: readAclVector(r), stat: readStat(r) }),
);

/** Codec of {@link SetACLResponse}. */
export const setACLResponseCodec = defineCodec<SetACLResponse>(STAT_BYTES, writeStatOnly, readStatOnly);

/** Codec of {@link GetChildrenResponse}. */
export const getChildrenResponseCodec = defineCodec<GetChildrenResponse>(4, writeChildren, readChildren);

/** Codec of {@link GetChildren2Response}. */
export const getChildren2ResponseCodec = defineCodec<GetChildren2Response>(
  4 + STAT_BYTES,
  (w, v) => {
    w.stringVector(v.children);
    writeStat(w, v.stat);
  },
  (r) => ({ children: r.stringVector(), stat: readStat(r) }),
);

/** Codec of {@link SyncResponse}. */
export const syncResponseCodec = defineCodec<SyncResponse>(4, writePath, readPath);

/** Codec of {@link ErrorResponse}. */
export const errorResponseCodec = defineCodec<ErrorResponse>(
  4,
  (w, v) => w.int(v.err),
  (r) => ({ err: r.int() }),
);

/** Codec of {@link GetEphemeralsResponse}. */
export const getEphemeralsResponseCodec = defineCodec<GetEphemeralsResponse>(
  4,
  (w, v) => w.stringVector(v.ephemerals),
  (r) => ({ ephemerals: r.stringVector() }),
);

/** Codec of {@link GetAllChildrenNumberResponse}. */
export const getAllChildrenNumberResponseCodec = defineCodec<GetAllChildrenNumberResponse>(
  4,
  (w, v) => w.int(v.totalNumber),
  (r) => ({ totalNumber: r.int() }),
);

/** Codec of {@link WhoAmIResponse}. */
export const whoAmIResponseCodec = defineCodec<WhoAmIResponse>(
  4,
  (w, v) => w.vector(v.clientInfo, writeClientInfo),
  (r) => ({ clientInfo: r.vector(readClientInfo, 8) }),
);

/** Codec of {@link SetSASLResponse}. */
export const setSASLResponseCodec = defineCodec<SetSASLResponse>(
  4,
  (w, v) => w.buffer(v.token),
  (r) => ({ token: r.buffer() }),
);
