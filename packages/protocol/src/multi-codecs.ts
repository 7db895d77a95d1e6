/**
 * Codecs of the multi and multiRead bodies, which jute does not describe: ZooKeeper's
 * `MultiOperationRecord` and `MultiResponse` frame each op or result with a MultiHeader and
 * end the list with `MultiHeader{type: -1, done: true, err: -1}`.
 * @module
 */
import { defineCodec } from './codec.js';
import { OpCode } from './constants.js';
import type { JuteReader, JuteWriter } from './jute.js';
import type { MultiOp, MultiRequest, MultiResponse, MultiResult } from './op-records.js';
import { ProtocolError } from './protocol-error.js';
import {
  checkVersionRequestCodec,
  create2ResponseCodec,
  createRequestCodec,
  createResponseCodec,
  createTTLRequestCodec,
  deleteRequestCodec,
  errorResponseCodec,
  getChildrenRequestCodec,
  getChildrenResponseCodec,
  getDataRequestCodec,
  getDataResponseCodec,
  setDataRequestCodec,
  setDataResponseCodec,
} from './record-codecs.js';

/** MultiHeader bytes: int type, boolean done, int err. */
const MULTI_HEADER_BYTES = 9;

function writeMultiHeader(w: JuteWriter, type: number, done: boolean, err: number): void {
  w.int(type);
  w.bool(done);
  w.int(err);
}

function writeEnd(w: JuteWriter): void {
  writeMultiHeader(w, -1, true, -1);
}

function writeMultiRequest(w: JuteWriter, v: MultiRequest): void {
  for (const op of v.ops) {
    writeMultiHeader(w, op.type, false, -1);
    switch (op.type) {
      case OpCode.create:
      case OpCode.create2:
      case OpCode.createContainer:
        createRequestCodec.write(w, op.body);
        break;
      case OpCode.createTTL:
        createTTLRequestCodec.write(w, op.body);
        break;
      case OpCode.delete:
        deleteRequestCodec.write(w, op.body);
        break;
      case OpCode.setData:
        setDataRequestCodec.write(w, op.body);
        break;
      case OpCode.check:
        checkVersionRequestCodec.write(w, op.body);
        break;
      case OpCode.getChildren:
        getChildrenRequestCodec.write(w, op.body);
        break;
      case OpCode.getData:
        getDataRequestCodec.write(w, op.body);
        break;
    }
  }
  writeEnd(w);
}

function readMultiRequest(r: JuteReader): MultiRequest {
  const ops: MultiOp[] = [];
  let sawRead = false;
  let sawWrite = false;
  for (;;) {
    // Every iteration consumes at least a MultiHeader, so a finite frame ends the loop.
    const type = r.int();
    const done = r.bool();
    r.int(); // err: −1 in requests, ignored as ZooKeeper does
    if (done) break;
    switch (type) {
      case OpCode.create:
      case OpCode.create2:
      case OpCode.createContainer:
        ops.push({ type, body: createRequestCodec.read(r) });
        sawWrite = true;
        break;
      case OpCode.createTTL:
        ops.push({ type, body: createTTLRequestCodec.read(r) });
        sawWrite = true;
        break;
      case OpCode.delete:
        ops.push({ type, body: deleteRequestCodec.read(r) });
        sawWrite = true;
        break;
      case OpCode.setData:
        ops.push({ type, body: setDataRequestCodec.read(r) });
        sawWrite = true;
        break;
      case OpCode.check:
        ops.push({ type, body: checkVersionRequestCodec.read(r) });
        sawWrite = true;
        break;
      case OpCode.getChildren:
        ops.push({ type, body: getChildrenRequestCodec.read(r) });
        sawRead = true;
        break;
      case OpCode.getData:
        ops.push({ type, body: getDataRequestCodec.read(r) });
        sawRead = true;
        break;
      default:
        throw new ProtocolError(`Invalid type of op ${type} in multi request`);
    }
    // MultiOperationRecord refuses to mix transactional and read-only ops.
    if (sawRead && sawWrite) throw new ProtocolError('Mixing different kind of ops in multi request');
  }
  return { ops };
}

/** Codec of {@link MultiRequest} (the body of multi and multiRead). */
export const multiRequestCodec = defineCodec<MultiRequest>(MULTI_HEADER_BYTES, writeMultiRequest, readMultiRequest);

function writeMultiResponse(w: JuteWriter, v: MultiResponse): void {
  for (const result of v.results) {
    writeMultiHeader(w, result.type, false, result.err);
    switch (result.type) {
      case OpCode.create:
        createResponseCodec.write(w, result.body);
        break;
      case OpCode.create2:
        create2ResponseCodec.write(w, result.body);
        break;
      case OpCode.delete:
      case OpCode.check:
        break;
      case OpCode.setData:
        setDataResponseCodec.write(w, result.body);
        break;
      case OpCode.getChildren:
        getChildrenResponseCodec.write(w, result.body);
        break;
      case OpCode.getData:
        getDataResponseCodec.write(w, result.body);
        break;
      case OpCode.error:
        errorResponseCodec.write(w, result.body);
        break;
    }
  }
  writeEnd(w);
}

function readMultiResponse(r: JuteReader): MultiResponse {
  const results: MultiResult[] = [];
  for (;;) {
    const type = r.int();
    const done = r.bool();
    const err = r.int();
    if (done) break;
    switch (type) {
      case OpCode.create:
        results.push({ type, err, body: createResponseCodec.read(r) });
        break;
      case OpCode.create2:
        results.push({ type, err, body: create2ResponseCodec.read(r) });
        break;
      case OpCode.delete:
      case OpCode.check:
        results.push({ type, err });
        break;
      case OpCode.setData:
        results.push({ type, err, body: setDataResponseCodec.read(r) });
        break;
      case OpCode.getChildren:
        results.push({ type, err, body: getChildrenResponseCodec.read(r) });
        break;
      case OpCode.getData:
        results.push({ type, err, body: getDataResponseCodec.read(r) });
        break;
      case OpCode.error:
        results.push({ type, err, body: errorResponseCodec.read(r) });
        break;
      default:
        throw new ProtocolError(`Invalid type ${type} in MultiResponse`);
    }
  }
  return { results };
}

/** Codec of {@link MultiResponse} (the answer to multi and multiRead). */
export const multiResponseCodec = defineCodec<MultiResponse>(MULTI_HEADER_BYTES, writeMultiResponse, readMultiResponse);
