import { describe, expect, it } from 'vitest';
import {
  PeerMessageError,
  createRng,
  decodePeerMessage,
  encodePeerMessage,
  makeZxid,
  type PeerMessage,
} from '../src/index.js';

const data = new Uint8Array([0, 1, 2, 250, 255]);
const zxid = makeZxid(7, 123_456);
const conn = 2 ** 52 + 12345;

const samples: PeerMessage[] = [
  { type: 'NOTIFICATION', leader: 3, zxid, electionEpoch: 9, peerEpoch: 7, state: 'LOOKING' },
  { type: 'NOTIFICATION', leader: -1, zxid: -1, electionEpoch: 1, peerEpoch: -1, state: 'OBSERVING' },
  { type: 'NOTIFICATION', leader: 2, zxid: 0, electionEpoch: 0, peerEpoch: 0, state: 'LEADING' },
  { type: 'FOLLOWERINFO', conn, seq: 0, acceptedEpoch: 6 },
  { type: 'OBSERVERINFO', conn, seq: 0, acceptedEpoch: 0 },
  { type: 'LEADERINFO', conn, seq: 0, epoch: 2 ** 21 - 1, learnerConn: 17 },
  { type: 'ACKEPOCH', conn, seq: 1, currentEpoch: -1, lastZxid: zxid },
  { type: 'ACKEPOCH', conn, seq: 1, currentEpoch: 6, lastZxid: 0 },
  { type: 'DIFF', conn, seq: 2, zxid },
  { type: 'TRUNC', conn, seq: 2, zxid },
  { type: 'SNAP', conn, seq: 2, zxid, data },
  { type: 'PROPOSAL', conn, seq: 3, zxid, data: new Uint8Array(0) },
  { type: 'COMMIT', conn, seq: 4, zxid },
  { type: 'NEWLEADER', conn, seq: 5, zxid: makeZxid(8, 0) },
  { type: 'ACK', conn, seq: 6, zxid },
  { type: 'UPTODATE', conn, seq: 7, zxid },
  { type: 'INFORM', conn, seq: 8, zxid, data },
  { type: 'PING', conn, seq: 9 },
  { type: 'REQUEST', conn, seq: 10, data },
  { type: 'SYNC', conn, seq: 11, id: 0 },
  { type: 'SYNCED', conn, seq: 12, id: 2 ** 40 },
];

describe('peer message codec', () => {
  it('round-trips every message type', () => {
    for (const msg of samples) expect(decodePeerMessage(encodePeerMessage(msg))).toEqual(msg);
  });

  it('is compact: small numbers take one byte', () => {
    expect(encodePeerMessage({ type: 'PING', conn: 5, seq: 1 })).toEqual(new Uint8Array([2, 16, 6, 2]));
  });

  it('returns byte fields that do not alias the input', () => {
    const bytes = encodePeerMessage({ type: 'PROPOSAL', conn: 1, seq: 1, zxid: 1, data });
    const msg = decodePeerMessage(bytes);
    bytes.fill(0);
    expect(msg.type === 'PROPOSAL' && [...msg.data]).toEqual([...data]);
  });

  it('rejects every truncation and any trailing byte', () => {
    for (const msg of samples) {
      const bytes = encodePeerMessage(msg);
      for (let cut = 0; cut < bytes.length; cut++) {
        expect(() => decodePeerMessage(bytes.subarray(0, cut))).toThrow(PeerMessageError);
      }
      const longer = new Uint8Array(bytes.length + 1);
      longer.set(bytes);
      expect(() => decodePeerMessage(longer)).toThrow(PeerMessageError);
    }
  });

  it('rejects unknown versions and types, overlong varints and out-of-range fields', () => {
    const reject = (bytes: number[]): void => expect(() => decodePeerMessage(new Uint8Array(bytes))).toThrow(PeerMessageError);
    reject([3, 16, 6, 2]); // format version 2
    reject([2, 100, 6, 2]); // type 99
    reject([2, 16, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 2]); // 9-byte varint
    reject([2, 16, 0, 2]); // conn −1
    reject([2, 5, 2, 1, 0x81, 0x80, 0x80, 0x01, 1]); // LEADERINFO epoch 2^21
    reject([2, 16, 0x86, 0x00, 2]); // non-minimal varint (conn 5 in two bytes)
    reject([2, 2, 1, 1, 1, 1, 5, 1]); // NOTIFICATION state 4
    reject([2, 17, 2, 2, 100, 1]); // REQUEST data length 99 with 1 byte left
  });

  it('never throws anything but PeerMessageError on random garbage', () => {
    const rng = createRng(42);
    let decoded = 0;
    for (let i = 0; i < 20_000; i++) {
      const bytes = new Uint8Array(rng.nextUint32() % 24);
      for (let j = 0; j < bytes.length; j++) bytes[j] = rng.nextUint32() & 0xff;
      if (bytes.length > 1 && i % 2 === 0) {
        bytes[0] = 2; // mostly valid headers, to get past the first checks
        bytes[1] = 1 + (rng.nextUint32() % 18);
      }
      try {
        const msg = decodePeerMessage(bytes);
        decoded++;
        expect(encodePeerMessage(msg)).toEqual(bytes); // whatever decodes re-encodes identically
      } catch (error) {
        expect(error).toBeInstanceOf(PeerMessageError);
      }
    }
    expect(decoded).toBeGreaterThan(0);
  });
});
