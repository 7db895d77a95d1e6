/** Random, well-formed values of every record, request body and response body. */
import {
  type ACL,
  codecs,
  type Id,
  type MultiOp,
  type MultiRequest,
  type MultiResponse,
  type MultiResult,
  OpCode,
  type RecordCodec,
  type RequestBodyByOp,
  type RequestOp,
  type ResponseBodyByOp,
  type ResponseOp,
  type Stat,
  type StatPersisted,
  type Txn,
} from '@zkts/protocol';
import type { Rng } from './rng.js';

type CodecValue<C> = C extends RecordCodec<infer T> ? T : never;
/** The codec names of `codecs`. */
export type RecordName = keyof typeof codecs;
type Arbitraries = { [K in RecordName]: (rng: Rng) => CodecValue<(typeof codecs)[K]> };

function list<T>(rng: Rng, item: (rng: Rng) => T, max = 4): T[] {
  const n = rng.below(max + 1);
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(item(rng));
  return out;
}

function data(rng: Rng): Uint8Array | null {
  if (rng.chance(0.15)) return null;
  return rng.bytes(rng.chance(0.1) ? rng.below(3000) : rng.below(24));
}

function id(rng: Rng): Id {
  return { scheme: rng.pick(['world', 'digest', 'ip', 'auth', rng.string(5)]), id: rng.string(10) };
}

function acl(rng: Rng): ACL {
  return { perms: rng.range(0, 31), id: id(rng) };
}

function stat(rng: Rng): Stat {
  return {
    czxid: rng.int64(),
    mzxid: rng.int64(),
    ctime: rng.int64(),
    mtime: rng.int64(),
    version: rng.int32(),
    cversion: rng.int32(),
    aversion: rng.int32(),
    ephemeralOwner: rng.int64(),
    dataLength: rng.int32(),
    numChildren: rng.int32(),
    pzxid: rng.int64(),
  };
}

function statPersisted(rng: Rng): StatPersisted {
  const { dataLength: _d, numChildren: _n, ...rest } = stat(rng);
  return rest;
}

function strings(rng: Rng): string[] {
  return list(rng, (r) => r.string(8), 5);
}

function pathWatch(rng: Rng): { path: string; watch: boolean } {
  return { path: rng.path(), watch: rng.bool() };
}

function multiOp(rng: Rng, read: boolean): MultiOp {
  if (read) {
    return rng.bool() ? { type: OpCode.getChildren, body: pathWatch(rng) } : { type: OpCode.getData, body: pathWatch(rng) };
  }
  switch (rng.below(6)) {
    case 0:
      return { type: rng.pick([OpCode.create, OpCode.create2, OpCode.createContainer] as const), body: arbitrary.CreateRequest(rng) };
    case 1:
      return { type: OpCode.createTTL, body: arbitrary.CreateTTLRequest(rng) };
    case 2:
      return { type: OpCode.delete, body: { path: rng.path(), version: rng.int32() } };
    case 3:
      return { type: OpCode.setData, body: arbitrary.SetDataRequest(rng) };
    default:
      return { type: OpCode.check, body: { path: rng.path(), version: rng.int32() } };
  }
}

/** A multi (write ops) or multiRead (read ops) request. */
export function multiRequest(rng: Rng, read: boolean): MultiRequest {
  return { ops: list(rng, (r) => multiOp(r, read), 5) };
}

function multiResult(rng: Rng): MultiResult {
  switch (rng.below(7)) {
    case 0:
      return { type: OpCode.create, err: 0, body: { path: rng.path() } };
    case 1:
      return { type: OpCode.create2, err: 0, body: { path: rng.path(), stat: stat(rng) } };
    case 2:
      return { type: rng.pick([OpCode.delete, OpCode.check] as const), err: 0 };
    case 3:
      return { type: OpCode.setData, err: 0, body: { stat: stat(rng) } };
    case 4:
      return { type: OpCode.getChildren, err: 0, body: { children: strings(rng) } };
    case 5:
      return { type: OpCode.getData, err: 0, body: { data: data(rng), stat: stat(rng) } };
    default: {
      const err = rng.pick([0, -2, -101, -103, -110]);
      return { type: OpCode.error, err, body: { err } };
    }
  }
}

function multiResponse(rng: Rng): MultiResponse {
  return { results: list(rng, multiResult, 5) };
}

function txn(rng: Rng): Txn {
  return { type: rng.pick([1, 2, 5, 13, -1]), data: data(rng) };
}

/** A generator for every codec in `codecs`. */
export const arbitrary: Arbitraries = {
  Id: id,
  ACL: acl,
  Stat: stat,
  StatPersisted: statPersisted,
  ClientInfo: (r) => ({ authScheme: r.string(6), user: r.string(10) }),
  ConnectRequest: (r) => ({
    protocolVersion: r.int32(),
    lastZxidSeen: r.int64(),
    timeOut: r.int32(),
    sessionId: r.int64(),
    passwd: r.bytes(r.pick([0, 16, 5])),
    readOnly: r.bool(),
    ...(r.chance(0.2) ? { readOnly: false, readOnlyOmitted: true } : {}),
  }),
  ConnectResponse: (r) => ({
    protocolVersion: r.int32(),
    timeOut: r.int32(),
    sessionId: r.int64(),
    passwd: r.bytes(r.pick([0, 16])),
    readOnly: r.bool(),
    ...(r.chance(0.2) ? { readOnly: false, readOnlyOmitted: true } : {}),
  }),
  RequestHeader: (r) => ({ xid: r.int32(), type: r.int32() }),
  ReplyHeader: (r) => ({ xid: r.int32(), zxid: r.int64(), err: r.int32() }),
  MultiHeader: (r) => ({ type: r.int32(), done: r.bool(), err: r.int32() }),
  WatcherEvent: (r) => ({ type: r.range(-1, 7), state: r.pick([-112, -1, 0, 3, 5]), path: r.path() }),
  AuthPacket: (r) => ({ type: 0, scheme: r.pick(['digest', 'ip', r.string(5)]), auth: data(r) }),
  SetWatches: (r) => ({ relativeZxid: r.int64(), dataWatches: strings(r), existWatches: strings(r), childWatches: strings(r) }),
  SetWatches2: (r) => ({
    relativeZxid: r.int64(),
    dataWatches: strings(r),
    existWatches: strings(r),
    childWatches: strings(r),
    persistentWatches: strings(r),
    persistentRecursiveWatches: strings(r),
  }),
  CreateRequest: (r) => ({ path: r.path(), data: data(r), acl: list(r, acl), flags: r.range(0, 6) }),
  CreateTTLRequest: (r) => ({ path: r.path(), data: data(r), acl: list(r, acl), flags: r.range(5, 6), ttl: r.int64() }),
  DeleteRequest: (r) => ({ path: r.path(), version: r.int32() }),
  ExistsRequest: pathWatch,
  GetDataRequest: pathWatch,
  SetDataRequest: (r) => ({ path: r.path(), data: data(r), version: r.int32() }),
  GetACLRequest: (r) => ({ path: r.path() }),
  SetACLRequest: (r) => ({ path: r.path(), acl: list(r, acl), version: r.int32() }),
  GetChildrenRequest: pathWatch,
  GetChildren2Request: pathWatch,
  SyncRequest: (r) => ({ path: r.path() }),
  CheckVersionRequest: (r) => ({ path: r.path(), version: r.int32() }),
  ReconfigRequest: (r) => ({
    joiningServers: r.chance(0.3) ? null : r.string(20),
    leavingServers: r.chance(0.3) ? null : r.string(5),
    newMembers: r.chance(0.3) ? null : r.string(20),
    curConfigId: r.int64(),
  }),
  CheckWatchesRequest: (r) => ({ path: r.path(), type: r.range(1, 5) }),
  RemoveWatchesRequest: (r) => ({ path: r.path(), type: r.range(1, 5) }),
  AddWatchRequest: (r) => ({ path: r.path(), mode: r.range(0, 1) }),
  GetEphemeralsRequest: (r) => ({ prefixPath: r.chance(0.3) ? '/' : r.path() }),
  GetAllChildrenNumberRequest: (r) => ({ path: r.path() }),
  GetSASLRequest: (r) => ({ token: data(r) }),
  CreateResponse: (r) => ({ path: r.path() }),
  Create2Response: (r) => ({ path: r.path(), stat: stat(r) }),
  ExistsResponse: (r) => ({ stat: stat(r) }),
  GetDataResponse: (r) => ({ data: data(r), stat: stat(r) }),
  SetDataResponse: (r) => ({ stat: stat(r) }),
  GetACLResponse: (r) => ({ acl: list(r, acl), stat: stat(r) }),
  SetACLResponse: (r) => ({ stat: stat(r) }),
  GetChildrenResponse: (r) => ({ children: strings(r) }),
  GetChildren2Response: (r) => ({ children: strings(r), stat: stat(r) }),
  SyncResponse: (r) => ({ path: r.path() }),
  ErrorResponse: (r) => ({ err: r.int32() }),
  GetEphemeralsResponse: (r) => ({ ephemerals: list(r, (x) => x.path()) }),
  GetAllChildrenNumberResponse: (r) => ({ totalNumber: r.int32() }),
  WhoAmIResponse: (r) => ({ clientInfo: list(r, (x) => ({ authScheme: x.string(6), user: x.string(10) })) }),
  SetSASLResponse: (r) => ({ token: data(r) }),
  MultiRequest: (r) => multiRequest(r, r.bool()),
  MultiResponse: multiResponse,
  TxnHeader: (r) => ({ clientId: r.int64(), cxid: r.int32(), zxid: r.int64(), time: r.int64(), type: r.int32() }),
  TxnDigest: (r) => ({ version: r.int32(), treeDigest: r.int64() }),
  CreateTxn: (r) => ({ path: r.path(), data: data(r), acl: list(r, acl), ephemeral: r.bool(), parentCVersion: r.int32() }),
  CreateTTLTxn: (r) => ({ path: r.path(), data: data(r), acl: list(r, acl), parentCVersion: r.int32(), ttl: r.int64() }),
  CreateContainerTxn: (r) => ({ path: r.path(), data: data(r), acl: list(r, acl), parentCVersion: r.int32() }),
  DeleteTxn: (r) => ({ path: r.path() }),
  SetDataTxn: (r) => ({ path: r.path(), data: data(r), version: r.int32() }),
  CheckVersionTxn: (r) => ({ path: r.path(), version: r.int32() }),
  SetACLTxn: (r) => ({ path: r.path(), acl: list(r, acl), version: r.int32() }),
  CreateSessionTxn: (r) => ({ timeOut: r.int32() }),
  CloseSessionTxn: (r) => ({ paths2Delete: list(r, (x) => x.path()) }),
  ErrorTxn: (r) => ({ err: r.int32() }),
  Txn: txn,
  MultiTxn: (r) => ({ txns: list(r, txn) }),
  LearnerInfo: (r) => ({ serverid: r.int64(), protocolVersion: r.int32(), configVersion: r.int64() }),
  QuorumPacket: (r) => ({
    type: r.range(1, 19),
    zxid: r.int64(),
    data: data(r),
    authinfo: r.chance(0.3) ? null : list(r, id),
  }),
  QuorumAuthPacket: (r) => ({ magic: r.int64(), status: r.int32(), token: data(r) }),
  FileHeader: (r) => ({ magic: r.int32(), version: r.int32(), dbid: r.int64() }),
};

/** Every op code with a request format, and its body generator (undefined: header only). */
export const requestBodies: { [K in RequestOp]: ((rng: Rng) => RequestBodyByOp[K]) | undefined } = {
  [OpCode.create]: arbitrary.CreateRequest,
  [OpCode.delete]: arbitrary.DeleteRequest,
  [OpCode.exists]: arbitrary.ExistsRequest,
  [OpCode.getData]: arbitrary.GetDataRequest,
  [OpCode.setData]: arbitrary.SetDataRequest,
  [OpCode.getACL]: arbitrary.GetACLRequest,
  [OpCode.setACL]: arbitrary.SetACLRequest,
  [OpCode.getChildren]: arbitrary.GetChildrenRequest,
  [OpCode.sync]: arbitrary.SyncRequest,
  [OpCode.ping]: undefined,
  [OpCode.getChildren2]: arbitrary.GetChildren2Request,
  [OpCode.check]: arbitrary.CheckVersionRequest,
  [OpCode.multi]: (r) => multiRequest(r, false),
  [OpCode.create2]: arbitrary.CreateRequest,
  [OpCode.reconfig]: arbitrary.ReconfigRequest,
  [OpCode.checkWatches]: arbitrary.CheckWatchesRequest,
  [OpCode.removeWatches]: arbitrary.RemoveWatchesRequest,
  [OpCode.createContainer]: arbitrary.CreateRequest,
  [OpCode.createTTL]: arbitrary.CreateTTLRequest,
  [OpCode.multiRead]: (r) => multiRequest(r, true),
  [OpCode.auth]: arbitrary.AuthPacket,
  [OpCode.setWatches]: arbitrary.SetWatches,
  [OpCode.sasl]: arbitrary.GetSASLRequest,
  [OpCode.getEphemerals]: arbitrary.GetEphemeralsRequest,
  [OpCode.getAllChildrenNumber]: arbitrary.GetAllChildrenNumberRequest,
  [OpCode.setWatches2]: arbitrary.SetWatches2,
  [OpCode.addWatch]: arbitrary.AddWatchRequest,
  [OpCode.whoAmI]: undefined,
  [OpCode.closeSession]: undefined,
};

/** Every op code with a reply format, and its success body generator (undefined: header only). */
export const responseBodies: { [K in ResponseOp]: ((rng: Rng) => ResponseBodyByOp[K]) | undefined } = {
  [OpCode.create]: arbitrary.CreateResponse,
  [OpCode.delete]: undefined,
  [OpCode.exists]: arbitrary.ExistsResponse,
  [OpCode.getData]: arbitrary.GetDataResponse,
  [OpCode.setData]: arbitrary.SetDataResponse,
  [OpCode.getACL]: arbitrary.GetACLResponse,
  [OpCode.setACL]: arbitrary.SetACLResponse,
  [OpCode.getChildren]: arbitrary.GetChildrenResponse,
  [OpCode.sync]: arbitrary.SyncResponse,
  [OpCode.ping]: undefined,
  [OpCode.getChildren2]: arbitrary.GetChildren2Response,
  [OpCode.check]: arbitrary.SetDataResponse,
  [OpCode.multi]: multiResponse,
  [OpCode.create2]: arbitrary.Create2Response,
  [OpCode.reconfig]: arbitrary.GetDataResponse,
  [OpCode.checkWatches]: undefined,
  [OpCode.removeWatches]: undefined,
  [OpCode.createContainer]: arbitrary.Create2Response,
  [OpCode.createTTL]: arbitrary.Create2Response,
  [OpCode.multiRead]: multiResponse,
  [OpCode.auth]: undefined,
  [OpCode.setWatches]: undefined,
  [OpCode.sasl]: arbitrary.SetSASLResponse,
  [OpCode.getEphemerals]: arbitrary.GetEphemeralsResponse,
  [OpCode.getAllChildrenNumber]: arbitrary.GetAllChildrenNumberResponse,
  [OpCode.setWatches2]: undefined,
  [OpCode.addWatch]: (r) => ({ err: 0 }),
  [OpCode.whoAmI]: arbitrary.WhoAmIResponse,
  [OpCode.closeSession]: undefined,
};

/** The op codes of `requestBodies` / `responseBodies` as numbers. */
export const requestOps = Object.keys(requestBodies).map(Number) as RequestOp[];
export const responseOps = Object.keys(responseBodies).map(Number) as ResponseOp[];
