import type { EventEmitter } from 'eventemitter3';
import type { ZkClientEvents } from './client-events.js';
import type { WatchManager } from './watch-manager.js';
import type { KeeperStateName, WatchedEvent, Watcher } from './watched-event.js';

/**
 * Hands events to watchers and session listeners: ZooKeeper's EventThread, run
 * synchronously so that events reach watchers in wire order and before the continuation of
 * any later reply.
 */
export class EventDispatcher {
  /** The last session state handed out (EventThread's `sessionState`), for de-duplication. */
  private lastState: KeeperStateName = 'Disconnected';
  /** After Expired or AuthFailed nothing more is delivered (EventThread's event of death). */
  private dead = false;

  constructor(
    private readonly watches: WatchManager,
    private readonly emitter: EventEmitter<ZkClientEvents>,
    private readonly sessionId: () => bigint,
  ) {}

  /**
   * EventThread.queueEvent plus processEvent. Session events (`None`) equal to the last state
   * are dropped; `materialized` gives the watchers directly (watch removal), otherwise the
   * watch tables pick and consume them.
   */
  dispatch(event: WatchedEvent, materialized?: Set<Watcher>): void {
    if (this.dead) return;
    if (event.type === 'None' && this.lastState === event.state) return;
    this.lastState = event.state;
    const watchers = materialized ?? this.watches.materialize(event.state, event.type, event.path);
    if (event.type === 'None') this.emitSessionEvent(event);
    for (const watcher of watchers) this.deliver(() => watcher(event), event);
  }

  /** Stops all further delivery. */
  kill(): void {
    this.dead = true;
  }

  /** Runs user code; its exceptions go to `watcherError` listeners, or are rethrown from a fresh task so they are not lost. */
  deliver(callback: () => void, event: WatchedEvent | undefined): void {
    try {
      callback();
    } catch (error) {
      let unhandled: unknown = error;
      if (this.emitter.listenerCount('watcherError') > 0) {
        try {
          this.emitter.emit('watcherError', error, event);
          return;
        } catch (listenerError) {
          unhandled = listenerError;
        }
      }
      queueMicrotask(() => {
        throw unhandled;
      });
    }
  }

  private emitSessionEvent(event: WatchedEvent): void {
    switch (event.state) {
      case 'SyncConnected':
      case 'ConnectedReadOnly': {
        const info = { readOnly: event.state === 'ConnectedReadOnly', sessionId: this.sessionId() };
        this.deliver(() => this.emitter.emit('connected', info), event);
        return;
      }
      case 'Disconnected':
        this.deliver(() => this.emitter.emit('disconnected'), event);
        return;
      case 'Expired':
        this.deliver(() => this.emitter.emit('expired'), event);
        return;
      case 'AuthFailed':
        this.deliver(() => this.emitter.emit('authFailed'), event);
        return;
      default:
        return;
    }
  }
}
