/**
 * `@zkts/protocol`: ZooKeeper 3.8's wire protocol as pure functions over `Uint8Array`:
 * constants, jute records and their codecs, request/response frames, stream framing and
 * path rules. No I/O, no dependencies; runs in Node and browsers.
 * @module
 */

// Constants
export {
  AddWatchMode,
  CreateMode,
  DEFAULT_MAX_FRAME_BYTES,
  ErrorCode,
  type ErrorCodeName,
  errorCodeName,
  EventType,
  FILE_FORMAT_VERSION,
  KeeperState,
  OpCode,
  Perms,
  PROTOCOL_VERSION,
  QuorumPacketType,
  SNAP_MAGIC,
  SpecialXid,
  TXNLOG_MAGIC,
  WatcherType,
} from './constants.js';

// Errors
export { ZkError } from './errors.js';
export { ProtocolError } from './protocol-error.js';

// Jute encoding and record codecs
export { JuteReader, JuteWriter } from './jute.js';
export { type RecordCodec, decodeRecord, encodeRecord } from './codec.js';
export { codecs } from './codecs.js';

// Records
export type {
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
export type {
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
  MultiOp,
  MultiRequest,
  MultiResponse,
  MultiResult,
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
export type {
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

// Op code → body maps
export {
  type RequestBody,
  type RequestBodyByOp,
  type RequestOp,
  type ResponseBody,
  type ResponseBodyByOp,
  type ResponseOp,
  type TxnBodyByType,
  type TxnType,
  type BodyCodec,
  requestBodyCodec,
  responseBodyCodec,
  txnBodyCodec,
} from './op-bodies.js';

// Frames
export {
  type DecodedRequest,
  type DecodedResponse,
  type RequestBodyFor,
  type ResponseBodyFor,
  decodeConnectRequest,
  decodeConnectResponse,
  decodeRequest,
  decodeResponse,
  encodeConnectRequest,
  encodeConnectResponse,
  encodeRequest,
  encodeResponse,
  encodeWatcherEvent,
} from './frames.js';
export { encodeLengthPrefixed, FrameDecoder } from './framing.js';

// Paths
export { basename, joinPath, parentPath, validatePath } from './paths.js';
