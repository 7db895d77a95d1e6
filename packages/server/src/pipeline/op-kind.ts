import { OpCode } from '@zkts/protocol';

/**
 * How the server handles each request type:
 * - `write`: becomes a transaction, is ordered by the leader and applied everywhere;
 * - `read`: answered from the local tree;
 * - `sync`: answered once every earlier transaction is applied here;
 * - `session`: handled by the connection itself (ping, auth, setWatches).
 */
export type OpKind = 'write' | 'read' | 'sync' | 'session';

const kinds = new Map<number, OpKind>([
  [OpCode.create, 'write'],
  [OpCode.create2, 'write'],
  [OpCode.createContainer, 'write'],
  [OpCode.createTTL, 'write'],
  [OpCode.delete, 'write'],
  [OpCode.setData, 'write'],
  [OpCode.setACL, 'write'],
  [OpCode.check, 'write'],
  [OpCode.multi, 'write'],
  [OpCode.closeSession, 'write'],
  [OpCode.reconfig, 'write'],
  [OpCode.exists, 'read'],
  [OpCode.getData, 'read'],
  [OpCode.getACL, 'read'],
  [OpCode.getChildren, 'read'],
  [OpCode.getChildren2, 'read'],
  [OpCode.getEphemerals, 'read'],
  [OpCode.getAllChildrenNumber, 'read'],
  [OpCode.multiRead, 'read'],
  [OpCode.addWatch, 'read'],
  [OpCode.removeWatches, 'read'],
  [OpCode.checkWatches, 'read'],
  [OpCode.whoAmI, 'read'],
  [OpCode.sync, 'sync'],
  [OpCode.ping, 'session'],
  [OpCode.auth, 'session'],
  [OpCode.setWatches, 'session'],
  [OpCode.setWatches2, 'session'],
  [OpCode.sasl, 'session'],
]);

/** The kind of a request type, or undefined for types a server never accepts from a client. */
export function opKind(type: number): OpKind | undefined {
  return kinds.get(type);
}
