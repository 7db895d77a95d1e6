import { ErrorCode, type RequestOp } from '@zkts/protocol';
import type { WatchKind } from './watch-manager.js';
import type { Watcher, WatcherTypeName } from './watched-event.js';

/** The outcome of one request: ZooKeeper's reply header fields and, on success, the decoded body. */
export interface Reply<T = unknown> {
  readonly err: number;
  readonly zxid: bigint;
  readonly body: T | undefined;
}

/** A watch to add once the reply arrives (`ZooKeeper.WatchRegistration`); `kindFor` picks the table by result code. */
export interface WatchRegistration {
  readonly path: string;
  readonly watcher: Watcher;
  readonly kindFor: (err: number) => WatchKind | undefined;
}

/** Watches to remove once a checkWatches/removeWatches reply arrives (`WatchDeregistration`). */
export interface WatchDeregistration {
  readonly path: string;
  readonly watcher: Watcher | undefined;
  readonly type: WatcherTypeName;
  readonly local: boolean;
}

/** A request in the outgoing or pending queue (ClientCnxn's `Packet`). */
export interface Packet {
  readonly op: RequestOp;
  readonly body: unknown;
  /** Assigned when the packet is written, so xids follow the order on the wire. */
  xid: number;
  readonly watch: WatchRegistration | undefined;
  readonly deregistration: WatchDeregistration | undefined;
  /** Set when the caller aborted: the reply, if any, is still consumed but changes nothing. */
  abandoned: boolean;
  readonly settle: (reply: Reply) => void;
}

/** A packet the client sends for itself (setWatches, closeSession): no watch, no caller. */
export function internalPacket(op: RequestOp, body: unknown, settle: (reply: Reply) => void = () => {}): Packet {
  return { op, body, xid: 0, watch: undefined, deregistration: undefined, abandoned: false, settle };
}

/** ExistsWatchRegistration: a data watch if the node exists, an exist watch if it does not, none on other errors. */
export function existsWatch(path: string, watcher: Watcher): WatchRegistration {
  return {
    path,
    watcher,
    kindFor: (err) => {
      if (err === ErrorCode.OK) return 'data';
      if (err === ErrorCode.NO_NODE) return 'exist';
      return undefined;
    },
  };
}

/** DataWatchRegistration (getData) or ChildWatchRegistration (getChildren): only a successful read sets the watch. */
export function readWatch(kind: 'data' | 'child', path: string, watcher: Watcher): WatchRegistration {
  return { path, watcher, kindFor: (err) => (err === ErrorCode.OK ? kind : undefined) };
}

/** AddWatchRegistration: persistent watches are kept on success and, as in ZooKeeper, on NO_NODE. */
export function persistentWatch(kind: 'persistent' | 'persistentRecursive', path: string, watcher: Watcher): WatchRegistration {
  return { path, watcher, kindFor: (err) => (err === ErrorCode.OK || err === ErrorCode.NO_NODE ? kind : undefined) };
}
