import { JuteReader, JuteWriter } from '@zkts/protocol';

/**
 * Messages between the servers of an ensemble that are not part of ZAB:
 * followers relay the sessions their clients kept alive, so the leader, which
 * owns session expiry, sees them (ZooKeeper piggybacks this on PING replies).
 */
export type ServerMessage = { type: 'touch' | 'claim'; sessionIds: bigint[] };

/** Sessions kept alive by clients of the sender. */
const TOUCH = 1;
/** Sessions whose client just (re)connected to the sender: it serves them now. */
const CLAIM = 2;

/** Encodes a server message for the peer link's server channel. */
export function encodeServerMessage(message: ServerMessage): Uint8Array {
  const writer = new JuteWriter(16 + message.sessionIds.length * 8);
  writer.int(message.type === 'claim' ? CLAIM : TOUCH);
  writer.vectorLength(message.sessionIds.length);
  for (const id of message.sessionIds) writer.long(id);
  return writer.toBytes();
}

/** Decodes a server message; undefined for anything malformed (a peer bug must not crash us). */
export function decodeServerMessage(bytes: Uint8Array): ServerMessage | undefined {
  try {
    const reader = new JuteReader(bytes);
    const kind = reader.int();
    if (kind !== TOUCH && kind !== CLAIM) return undefined;
    const count = reader.vectorLength(8);
    const sessionIds: bigint[] = [];
    for (let i = 0; i < count; i++) sessionIds.push(reader.long());
    reader.expectEnd('server message');
    return { type: kind === CLAIM ? 'claim' : 'touch', sessionIds };
  } catch {
    return undefined;
  }
}
