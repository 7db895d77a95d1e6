import { JuteReader, JuteWriter } from './jute.js';

/**
 * Reads and writes one jute record type. Codecs compose: a record's codec calls its fields'
 * codecs on the same writer or reader.
 */
export interface RecordCodec<T> {
  /** The record's smallest encoding in bytes; bounds vector lengths before any item is read. */
  readonly minBytes: number;
  /** Appends `value` to `writer` in jute field order. */
  write(writer: JuteWriter, value: T): void;
  /** Reads one record; throws ProtocolError on malformed input. */
  read(reader: JuteReader): T;
}

/** Builds a codec from plain functions, so hot paths call them without `this` binding. */
export function defineCodec<T>(
  minBytes: number,
  write: (writer: JuteWriter, value: T) => void,
  read: (reader: JuteReader) => T,
): RecordCodec<T> {
  return { minBytes, write, read };
}

/** Encodes one record on its own (no length prefix). */
export function encodeRecord<T>(codec: RecordCodec<T>, value: T): Uint8Array {
  const writer = new JuteWriter();
  codec.write(writer, value);
  return writer.toBytes();
}

/**
 * Decodes one record that must span all of `bytes`; trailing bytes throw ProtocolError.
 * Buffer fields of the result are subarrays of `bytes`.
 */
export function decodeRecord<T>(codec: RecordCodec<T>, bytes: Uint8Array, what = 'record'): T {
  const reader = new JuteReader(bytes);
  const value = codec.read(reader);
  reader.expectEnd(what);
  return value;
}
