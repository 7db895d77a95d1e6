/**
 * A readable dump of one transaction log file, one line per transaction, in
 * the shape of ZooKeeper's LogFormatter / TxnLogToolkit:
 *
 * ```
 * zkts Transactional Log File with dbid 0 txnlog format version 1
 * 11/22/26, 4:43:41 AM UTC session 0x1000000a1b20000 cxid 0x3 zxid 0x2a create /app,hello,[31:world:anyone],0
 * EOF reached after 1 txns.
 * ```
 *
 * Times are printed in UTC (ZooKeeper uses the JVM's zone) so output does not
 * depend on the machine. The body summary shows the replicated request (zkts
 * logs requests, where ZooKeeper logs their resulting txn records).
 * @module
 */
import { OpCode, type ACL, type MultiOp } from '@zkts/protocol';
import { LogFileCursor } from './log-format.js';
import { nodeStorageFs, type StorageFs } from './storage-fs.js';
import { TxnCodecError, decodeTxn } from './txn-codec.js';

/** Options of {@link formatTxnLog}. */
export interface FormatTxnLogOptions {
  /** The file system to read from. Default: the real one. */
  fs?: StorageFs;
  /** Largest record length accepted as valid. Default 64 MiB, as the storage's default. */
  maxRecordBytes?: number;
}

/**
 * The lines of a dump of the log file at `path`. Damaged bytes (a torn tail
 * after a crash, or worse) end the dump with a line saying where and why.
 */
export async function* formatTxnLog(path: string, options: FormatTxnLogOptions = {}): AsyncGenerator<string> {
  const fs = options.fs ?? nodeStorageFs;
  const bytes = await fs.readFile(path);
  const cursor = new LogFileCursor(bytes, options.maxRecordBytes ?? 64 * 1024 * 1024);
  if (cursor.header === null) {
    yield `${path} is not a zkts transaction log (${cursor.invalid?.reason ?? 'bad header'})`;
    return;
  }
  yield `zkts Transactional Log File with dbid ${cursor.header.dbId} txnlog format version ${cursor.header.version}`;
  for (let record = cursor.next(); record !== null; record = cursor.next()) {
    try {
      const txn = decodeTxn(record.payload.slice());
      yield `${formatShortDateTime(txn.timeMs)} session 0x${hex64(txn.sessionId)} cxid 0x${hex64(BigInt(txn.cxid))} zxid 0x${txn.zxid.toString(16)} ${opName(txn.type)} ${summarizeBody(txn.type, txn.body)}`;
    } catch (error) {
      if (!(error instanceof TxnCodecError)) throw error;
      yield `zxid 0x${record.zxid.toString(16)} undecodable transaction at offset ${record.offset}: ${error.message}`;
    }
  }
  if (cursor.invalid !== null) {
    yield `Invalid record at offset ${cursor.invalid.offset}: ${cursor.invalid.reason} (${bytes.length - cursor.invalid.offset} bytes to the end of the file)`;
  }
  yield `EOF reached after ${cursor.count} txns.`;
}

const opNames = new Map<number, string>(Object.entries(OpCode).map(([name, code]) => [code, name === 'createTTL' ? 'createTtl' : name]));

/** An op code's name as ZooKeeper's `Request.op2String` spells it. */
export function opName(type: number): string {
  return opNames.get(type) ?? `unknown ${type}`;
}

/** A 64-bit value as Java's `Long.toHexString` prints it (two's complement for negatives). */
export function hex64(value: bigint): string {
  return BigInt.asUintN(64, value).toString(16);
}

const decoder = new TextDecoder('utf-8', { fatal: false });

function text(data: Uint8Array | null | undefined): string {
  return data === null || data === undefined ? '' : decoder.decode(data);
}

function formatAcl(acl: readonly ACL[]): string {
  return `[${acl.map((entry) => `${entry.perms}:${entry.id.scheme}:${entry.id.id}`).join(', ')}]`;
}

interface BodyFields {
  path?: string;
  data?: Uint8Array | null;
  acl?: readonly ACL[];
  flags?: number;
  ttl?: bigint;
  version?: number;
  timeOut?: number;
  ops?: MultiOp[];
}

/** The body in a line: the fields ZooKeeper's formatter shows for the matching txn, comma separated. */
function summarizeBody(type: number, body: unknown): string {
  const b = (body ?? {}) as BodyFields;
  switch (type) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
      return `${b.path},${text(b.data)},${formatAcl(b.acl ?? [])},${b.flags}`;
    case OpCode.createTTL:
      return `${b.path},${text(b.data)},${formatAcl(b.acl ?? [])},${b.flags},${b.ttl}`;
    case OpCode.setData:
      return `${b.path},${text(b.data)},${b.version}`;
    case OpCode.delete:
    case OpCode.check:
      return `${b.path},${b.version}`;
    case OpCode.deleteContainer:
      return `${b.path}`;
    case OpCode.setACL:
      return `${b.path},${formatAcl(b.acl ?? [])},${b.version}`;
    case OpCode.createSession:
      return `${b.timeOut}`;
    case OpCode.closeSession:
      return '';
    case OpCode.multi:
      return (b.ops ?? []).map((op) => `${opName(op.type)}:${summarizeBody(op.type, op.body)}`).join(';');
    default:
      return JSON.stringify(body, (_key, value: unknown) =>
        typeof value === 'bigint' ? value.toString() : value instanceof Uint8Array ? text(value) : value,
      ) ?? '';
  }
}

/** Java's `DateFormat.getDateTimeInstance(SHORT, LONG)` in the US locale, in UTC: `11/22/26, 4:43:41 AM UTC`. */
function formatShortDateTime(timeMs: number): string {
  const d = new Date(timeMs);
  const hours = d.getUTCHours();
  const pad = (n: number): string => String(n).padStart(2, '0');
  const date = `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${pad(d.getUTCFullYear() % 100)}`;
  return `${date}, ${hours % 12 === 0 ? 12 : hours % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'} UTC`;
}
