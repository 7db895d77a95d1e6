/**
 * The bytes of one transaction in the log: a replicated request (see
 * `replication/replicator.ts`) with its zxid, time, origin and the identities
 * it is checked against at apply time. The body is the request body in its
 * wire encoding, so the log stays as compact as the client's frame.
 *
 * Layout (jute): int formatVersion, long sessionId, int cxid, long zxid,
 * long timeMs, int type, boolean superUser, vector<Id> authIds, then the body
 * (the request codec of `type`; createSession: int timeOut; deleteContainer:
 * ustring path; closeSession: nothing).
 * @module
 */
import { JuteReader, JuteWriter, OpCode, codecs, requestBodyCodec, type Id, type RecordCodec } from '@zkts/protocol';
import type { Txn } from '../replication/replicator.js';
import { assert } from '../util/assert.js';

/** Version of the layout above; bump it when fields change and keep reading old ones. */
const TXN_FORMAT_VERSION = 1;

/** Bytes that cannot be a transaction: the record is corrupt or from an unknown format. */
export class TxnCodecError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TxnCodecError';
  }
}

const createSessionBodyCodec: RecordCodec<{ timeOut: number }> = {
  minBytes: 4,
  write: (w, v) => w.int(v.timeOut),
  read: (r) => ({ timeOut: r.int() }),
};

const deleteContainerBodyCodec: RecordCodec<{ path: string }> = {
  minBytes: 4,
  write: (w, v) => w.string(v.path),
  read: (r) => ({ path: r.string() }),
};

const errorBodyCodec: RecordCodec<{ err: number }> = {
  minBytes: 4,
  write: (w, v) => w.int(v.err),
  read: (r) => ({ err: r.int() }),
};

/** The body codec of a transaction type: null when the type has no body, undefined when unknown. */
function bodyCodec(type: number): RecordCodec<unknown> | null | undefined {
  switch (type) {
    case OpCode.error:
      return errorBodyCodec as RecordCodec<unknown>;
    case OpCode.createSession:
      return createSessionBodyCodec as RecordCodec<unknown>;
    case OpCode.deleteContainer:
      return deleteContainerBodyCodec as RecordCodec<unknown>;
    default:
      return requestBodyCodec(type);
  }
}

/** Encodes a transaction for the log. Logging a type without a codec is a bug. */
export function encodeTxn(txn: Txn): Uint8Array {
  const codec = bodyCodec(txn.type);
  assert(codec !== undefined, `no codec for transaction type ${txn.type}`);
  assert(Number.isSafeInteger(txn.zxid) && txn.zxid >= 0, `zxid ${txn.zxid} is not a safe integer`);
  const writer = new JuteWriter(128);
  writer.int(TXN_FORMAT_VERSION);
  writer.long(txn.sessionId);
  writer.int(txn.cxid);
  writer.long(BigInt(txn.zxid));
  writer.long(BigInt(txn.timeMs));
  writer.int(txn.type);
  writer.bool(txn.superUser);
  writer.vector(txn.authIds, codecs.Id.write);
  if (codec !== null) codec.write(writer, txn.body);
  return writer.toBytes();
}

/**
 * Decodes a transaction. Never throws anything but {@link TxnCodecError}, whatever
 * the bytes. Buffer fields of the body are views into `bytes`: pass a private copy.
 */
export function decodeTxn(bytes: Uint8Array): Txn {
  try {
    const reader = new JuteReader(bytes);
    const version = reader.int();
    if (version !== TXN_FORMAT_VERSION) throw new TxnCodecError(`unknown transaction format version ${version}`);
    const sessionId = reader.long();
    const cxid = reader.int();
    const zxid = toSafeNumber(reader.long(), 'zxid');
    const timeMs = toSafeNumber(reader.long(), 'time');
    const type = reader.int();
    const superUser = reader.bool();
    const authIds: Id[] = reader.vector(codecs.Id.read, codecs.Id.minBytes);
    const codec = bodyCodec(type);
    if (codec === undefined) throw new TxnCodecError(`unknown transaction type ${type}`);
    const body = codec === null ? undefined : codec.read(reader);
    reader.expectEnd('transaction');
    return { zxid, timeMs, sessionId, cxid, type, body, authIds, superUser };
  } catch (error) {
    if (error instanceof TxnCodecError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new TxnCodecError(`malformed transaction: ${reason}`, { cause: error });
  }
}

function toSafeNumber(value: bigint, what: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new TxnCodecError(`${what} ${value} out of range`);
  return Number(value);
}
