import type { AddWatchMode, EventType, KeeperState, WatcherType } from '@zkts/protocol';

/** The kind of a watch event, named as in ZooKeeper's `Watcher.Event.EventType` (`None` for session events). */
export type WatchEventType = keyof typeof EventType;

/** The session state carried by a watch event, named as in `Watcher.Event.KeeperState`. */
export type KeeperStateName = keyof typeof KeeperState;

/** Which watches `removeWatches` targets, named as in `Watcher.WatcherType`. */
export type WatcherTypeName = keyof typeof WatcherType;

/** The mode of a watch added with `addWatch`, named as in `AddWatchMode`. */
export type AddWatchModeName = keyof typeof AddWatchMode;

/**
 * What a {@link Watcher} receives, like ZooKeeper's `WatchedEvent`. Node events carry the
 * client-side path (chroot stripped). Session events have `type: 'None'`, `path: null`.
 */
export interface WatchedEvent {
  readonly type: WatchEventType;
  readonly state: KeeperStateName;
  readonly path: string | null;
  /** The zxid of the change that triggered a notification; -1 for events the client made up. */
  readonly zxid: bigint;
}

/**
 * A watch callback. As in ZooKeeper, a watcher set by `exists`, `getData` or `getChildren`
 * fires at most once for a node event, and every registered watcher (one-shot or persistent)
 * also sees session events (`type: 'None'`: Disconnected, SyncConnected, Expired, Closed ...)
 * without being consumed by them.
 */
export type Watcher = (event: WatchedEvent) => void;

/** The zxid ZooKeeper puts on events that did not come from the server (`WatchedEvent.NO_ZXID`). */
export const NO_ZXID = -1n;
