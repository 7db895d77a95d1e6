/**
 * Which record each op code carries: request bodies, response bodies and transaction bodies,
 * as types (for callers) and as codec tables (for the frame functions).
 * @module
 */
import type { RecordCodec } from './codec.js';
import { OpCode } from './constants.js';
import { multiRequestCodec, multiResponseCodec } from './multi-codecs.js';
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
  MultiRequest,
  MultiResponse,
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
import {
  addWatchRequestCodec,
  authPacketCodec,
  checkVersionRequestCodec,
  checkWatchesRequestCodec,
  create2ResponseCodec,
  createRequestCodec,
  createResponseCodec,
  createTTLRequestCodec,
  deleteRequestCodec,
  errorResponseCodec,
  existsRequestCodec,
  existsResponseCodec,
  getACLRequestCodec,
  getACLResponseCodec,
  getAllChildrenNumberRequestCodec,
  getAllChildrenNumberResponseCodec,
  getChildren2RequestCodec,
  getChildren2ResponseCodec,
  getChildrenRequestCodec,
  getChildrenResponseCodec,
  getDataRequestCodec,
  getDataResponseCodec,
  getEphemeralsRequestCodec,
  getEphemeralsResponseCodec,
  getSASLRequestCodec,
  reconfigRequestCodec,
  removeWatchesRequestCodec,
  setACLRequestCodec,
  setACLResponseCodec,
  setDataRequestCodec,
  setDataResponseCodec,
  setSASLResponseCodec,
  setWatches2Codec,
  setWatchesCodec,
  syncRequestCodec,
  syncResponseCodec,
  whoAmIResponseCodec,
} from './record-codecs.js';
import type { AuthPacket, SetWatches, SetWatches2 } from './records.js';
import {
  checkVersionTxnCodec,
  closeSessionTxnCodec,
  createContainerTxnCodec,
  createSessionTxnCodec,
  createTTLTxnCodec,
  createTxnCodec,
  deleteTxnCodec,
  errorTxnCodec,
  multiTxnCodec,
  setACLTxnCodec,
  setDataTxnCodec,
} from './txn-codecs.js';
import type {
  CheckVersionTxn,
  CloseSessionTxn,
  CreateContainerTxn,
  CreateSessionTxn,
  CreateTTLTxn,
  CreateTxn,
  DeleteTxn,
  ErrorTxn,
  MultiTxn,
  SetACLTxn,
  SetDataTxn,
} from './txn-records.js';

/**
 * The request body each client op code carries after its RequestHeader; `undefined` for
 * header-only requests (ping, closeSession, whoAmI). deleteContainer and createSession are
 * server-internal and never arrive as client frames.
 */
export interface RequestBodyByOp {
  [OpCode.create]: CreateRequest;
  [OpCode.delete]: DeleteRequest;
  [OpCode.exists]: ExistsRequest;
  [OpCode.getData]: GetDataRequest;
  [OpCode.setData]: SetDataRequest;
  [OpCode.getACL]: GetACLRequest;
  [OpCode.setACL]: SetACLRequest;
  [OpCode.getChildren]: GetChildrenRequest;
  [OpCode.sync]: SyncRequest;
  [OpCode.ping]: undefined;
  [OpCode.getChildren2]: GetChildren2Request;
  [OpCode.check]: CheckVersionRequest;
  [OpCode.multi]: MultiRequest;
  [OpCode.create2]: CreateRequest;
  [OpCode.reconfig]: ReconfigRequest;
  [OpCode.checkWatches]: CheckWatchesRequest;
  [OpCode.removeWatches]: RemoveWatchesRequest;
  [OpCode.createContainer]: CreateRequest;
  [OpCode.createTTL]: CreateTTLRequest;
  [OpCode.multiRead]: MultiRequest;
  [OpCode.auth]: AuthPacket;
  [OpCode.setWatches]: SetWatches;
  [OpCode.sasl]: GetSASLRequest;
  [OpCode.getEphemerals]: GetEphemeralsRequest;
  [OpCode.getAllChildrenNumber]: GetAllChildrenNumberRequest;
  [OpCode.setWatches2]: SetWatches2;
  [OpCode.addWatch]: AddWatchRequest;
  [OpCode.whoAmI]: undefined;
  [OpCode.closeSession]: undefined;
}

/** An op code a client may send. */
export type RequestOp = keyof RequestBodyByOp;

/** Any request body. */
export type RequestBody = RequestBodyByOp[RequestOp];

/**
 * The response body each op code's successful reply (err 0) carries after its ReplyHeader, as
 * `FinalRequestProcessor` builds it; `undefined` for header-only replies. A reply with a
 * non-zero err never has a body. Note the quirks: a standalone check answers with
 * SetDataResponse, createContainer and createTTL with Create2Response, addWatch with
 * ErrorResponse{err: 0}, reconfig with GetDataResponse.
 */
export interface ResponseBodyByOp {
  [OpCode.create]: CreateResponse;
  [OpCode.delete]: undefined;
  [OpCode.exists]: ExistsResponse;
  [OpCode.getData]: GetDataResponse;
  [OpCode.setData]: SetDataResponse;
  [OpCode.getACL]: GetACLResponse;
  [OpCode.setACL]: SetACLResponse;
  [OpCode.getChildren]: GetChildrenResponse;
  [OpCode.sync]: SyncResponse;
  [OpCode.ping]: undefined;
  [OpCode.getChildren2]: GetChildren2Response;
  [OpCode.check]: SetDataResponse;
  [OpCode.multi]: MultiResponse;
  [OpCode.create2]: Create2Response;
  [OpCode.reconfig]: GetDataResponse;
  [OpCode.checkWatches]: undefined;
  [OpCode.removeWatches]: undefined;
  [OpCode.createContainer]: Create2Response;
  [OpCode.createTTL]: Create2Response;
  [OpCode.multiRead]: MultiResponse;
  [OpCode.auth]: undefined;
  [OpCode.setWatches]: undefined;
  [OpCode.sasl]: SetSASLResponse;
  [OpCode.getEphemerals]: GetEphemeralsResponse;
  [OpCode.getAllChildrenNumber]: GetAllChildrenNumberResponse;
  [OpCode.setWatches2]: undefined;
  [OpCode.addWatch]: ErrorResponse;
  [OpCode.whoAmI]: WhoAmIResponse;
  [OpCode.closeSession]: undefined;
}

/** An op code that has a reply. */
export type ResponseOp = keyof ResponseBodyByOp;

/** Any response body. */
export type ResponseBody = ResponseBodyByOp[ResponseOp];

/**
 * The transaction record that follows a TxnHeader of each type in ZooKeeper's log
 * (`SerializeUtils.deserializeTxn`). CheckVersionTxn appears only inside a MultiTxn;
 * a closeSession txn has an empty body when `zookeeper.closeSessionTxn.enabled` is false.
 */
export interface TxnBodyByType {
  [OpCode.create]: CreateTxn;
  [OpCode.create2]: CreateTxn;
  [OpCode.createContainer]: CreateContainerTxn;
  [OpCode.createTTL]: CreateTTLTxn;
  [OpCode.delete]: DeleteTxn;
  [OpCode.deleteContainer]: DeleteTxn;
  [OpCode.setData]: SetDataTxn;
  [OpCode.reconfig]: SetDataTxn;
  [OpCode.setACL]: SetACLTxn;
  [OpCode.check]: CheckVersionTxn;
  [OpCode.createSession]: CreateSessionTxn;
  [OpCode.closeSession]: CloseSessionTxn;
  [OpCode.error]: ErrorTxn;
  [OpCode.multi]: MultiTxn;
}

/** A transaction type that has a body record. */
export type TxnType = keyof TxnBodyByType;

type CodecTable<Map> = { [K in keyof Map]: Map[K] extends undefined ? null : RecordCodec<Map[K]> };

const requestCodecTable: CodecTable<RequestBodyByOp> = {
  [OpCode.create]: createRequestCodec,
  [OpCode.delete]: deleteRequestCodec,
  [OpCode.exists]: existsRequestCodec,
  [OpCode.getData]: getDataRequestCodec,
  [OpCode.setData]: setDataRequestCodec,
  [OpCode.getACL]: getACLRequestCodec,
  [OpCode.setACL]: setACLRequestCodec,
  [OpCode.getChildren]: getChildrenRequestCodec,
  [OpCode.sync]: syncRequestCodec,
  [OpCode.ping]: null,
  [OpCode.getChildren2]: getChildren2RequestCodec,
  [OpCode.check]: checkVersionRequestCodec,
  [OpCode.multi]: multiRequestCodec,
  [OpCode.create2]: createRequestCodec,
  [OpCode.reconfig]: reconfigRequestCodec,
  [OpCode.checkWatches]: checkWatchesRequestCodec,
  [OpCode.removeWatches]: removeWatchesRequestCodec,
  [OpCode.createContainer]: createRequestCodec,
  [OpCode.createTTL]: createTTLRequestCodec,
  [OpCode.multiRead]: multiRequestCodec,
  [OpCode.auth]: authPacketCodec,
  [OpCode.setWatches]: setWatchesCodec,
  [OpCode.sasl]: getSASLRequestCodec,
  [OpCode.getEphemerals]: getEphemeralsRequestCodec,
  [OpCode.getAllChildrenNumber]: getAllChildrenNumberRequestCodec,
  [OpCode.setWatches2]: setWatches2Codec,
  [OpCode.addWatch]: addWatchRequestCodec,
  [OpCode.whoAmI]: null,
  [OpCode.closeSession]: null,
};

const responseCodecTable: CodecTable<ResponseBodyByOp> = {
  [OpCode.create]: createResponseCodec,
  [OpCode.delete]: null,
  [OpCode.exists]: existsResponseCodec,
  [OpCode.getData]: getDataResponseCodec,
  [OpCode.setData]: setDataResponseCodec,
  [OpCode.getACL]: getACLResponseCodec,
  [OpCode.setACL]: setACLResponseCodec,
  [OpCode.getChildren]: getChildrenResponseCodec,
  [OpCode.sync]: syncResponseCodec,
  [OpCode.ping]: null,
  [OpCode.getChildren2]: getChildren2ResponseCodec,
  [OpCode.check]: setDataResponseCodec,
  [OpCode.multi]: multiResponseCodec,
  [OpCode.create2]: create2ResponseCodec,
  [OpCode.reconfig]: getDataResponseCodec,
  [OpCode.checkWatches]: null,
  [OpCode.removeWatches]: null,
  [OpCode.createContainer]: create2ResponseCodec,
  [OpCode.createTTL]: create2ResponseCodec,
  [OpCode.multiRead]: multiResponseCodec,
  [OpCode.auth]: null,
  [OpCode.setWatches]: null,
  [OpCode.sasl]: setSASLResponseCodec,
  [OpCode.getEphemerals]: getEphemeralsResponseCodec,
  [OpCode.getAllChildrenNumber]: getAllChildrenNumberResponseCodec,
  [OpCode.setWatches2]: null,
  [OpCode.addWatch]: errorResponseCodec,
  [OpCode.whoAmI]: whoAmIResponseCodec,
  [OpCode.closeSession]: null,
};

const txnCodecTable: CodecTable<TxnBodyByType> = {
  [OpCode.create]: createTxnCodec,
  [OpCode.create2]: createTxnCodec,
  [OpCode.createContainer]: createContainerTxnCodec,
  [OpCode.createTTL]: createTTLTxnCodec,
  [OpCode.delete]: deleteTxnCodec,
  [OpCode.deleteContainer]: deleteTxnCodec,
  [OpCode.setData]: setDataTxnCodec,
  [OpCode.reconfig]: setDataTxnCodec,
  [OpCode.setACL]: setACLTxnCodec,
  [OpCode.check]: checkVersionTxnCodec,
  [OpCode.createSession]: createSessionTxnCodec,
  [OpCode.closeSession]: closeSessionTxnCodec,
  [OpCode.error]: errorTxnCodec,
  [OpCode.multi]: multiTxnCodec,
};

/** A codec, `null` for a known op without a body, or `undefined` for an unknown op. */
export type BodyCodec = RecordCodec<unknown> | null | undefined;

function toMap(table: object): ReadonlyMap<number, RecordCodec<unknown> | null> {
  return new Map(Object.entries(table).map(([op, codec]) => [Number(op), codec as RecordCodec<unknown> | null]));
}

const requestCodecs = toMap(requestCodecTable);
const responseCodecs = toMap(responseCodecTable);
const txnCodecs = toMap(txnCodecTable);

/** The request body codec of an op code: null if header-only, undefined if unknown. */
export function requestBodyCodec(op: number): BodyCodec {
  return requestCodecs.get(op);
}

/** The response body codec of an op code: null if header-only, undefined if unknown. */
export function responseBodyCodec(op: number): BodyCodec {
  return responseCodecs.get(op);
}

/** The transaction body codec of a TxnHeader type: undefined if the type has no body record. */
export function txnBodyCodec<T extends TxnType>(type: T): RecordCodec<TxnBodyByType[T]>;
export function txnBodyCodec(type: number): RecordCodec<unknown> | undefined;
export function txnBodyCodec(type: number): RecordCodec<unknown> | undefined {
  return txnCodecs.get(type) ?? undefined;
}
