/**
 * Who takes part in an election: the contenders' nodes in sequence order, each holding its
 * participant id (Curator's `Participant`).
 * @module
 */
import { type ZkClient } from '@zkts/client';
import { hasCode } from '../util/codes.js';
import { joinPath } from '../util/paths.js';
import { sortBySequence } from '../util/sequence.js';

/** One contender of an election. */
export interface Participant {
  /** The participant id stored in its node. */
  readonly id: string;
  /** True for the first contender, the leader. */
  readonly isLeader: boolean;
}

const decoder = new TextDecoder();

/** The participants under `path`, leader first; nodes that vanish while being read are skipped. */
export async function readParticipants(client: ZkClient, path: string): Promise<Participant[]> {
  let children: string[];
  try {
    children = sortBySequence(await client.getChildren(path));
  } catch (error) {
    if (hasCode(error, 'NO_NODE')) return [];
    throw error;
  }
  const participants: Participant[] = [];
  for (const child of children) {
    try {
      const { data } = await client.getData(joinPath(path, child));
      participants.push({ id: data === null ? '' : decoder.decode(data), isLeader: participants.length === 0 });
    } catch (error) {
      if (!hasCode(error, 'NO_NODE')) throw error;
    }
  }
  return participants;
}
