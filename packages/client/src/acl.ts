import { type ACL, type Id, Perms } from '@zkts/protocol';

/** The identity that matches everyone (`ZooDefs.Ids.ANYONE_ID_UNSAFE`). */
export const ANYONE_ID_UNSAFE: Id = Object.freeze({ scheme: 'world', id: 'anyone' });
/** Stands for every identity the creating session authenticated as (`ZooDefs.Ids.AUTH_IDS`). */
export const AUTH_IDS: Id = Object.freeze({ scheme: 'auth', id: '' });

/** ZooKeeper's ready-made ACLs (`ZooDefs.Ids`). */
export const Ids = Object.freeze({
  /** Everyone may do everything: the default ACL of created nodes. */
  OPEN_ACL_UNSAFE: Object.freeze([{ perms: Perms.ALL, id: ANYONE_ID_UNSAFE }]) as readonly ACL[],
  /** Only the creator's authenticated identities may do anything. */
  CREATOR_ALL_ACL: Object.freeze([{ perms: Perms.ALL, id: AUTH_IDS }]) as readonly ACL[],
  /** Everyone may read, nobody may write. */
  READ_ACL_UNSAFE: Object.freeze([{ perms: Perms.READ, id: ANYONE_ID_UNSAFE }]) as readonly ACL[],
});
