import { type ClientState, NO_ZXID, type WatchedEvent, type Watcher, type ZkClient, createClient } from '@zkts/client';
import { ZkError } from '@zkts/protocol';
import { CliError, EXIT_FAILED } from './cli-error.js';

/** How the shell connects (zkCli's `-timeout` and `-r`). */
export interface SessionOptions {
  readonly sessionTimeoutMs: number;
  readonly readOnly: boolean;
}

/** `ZooKeeper.States` names, which zkCli shows in its prompt. */
const JAVA_STATE_NAMES: Readonly<Record<ClientState, string>> = {
  CONNECTING: 'CONNECTING',
  CONNECTED: 'CONNECTED',
  CONNECTED_READ_ONLY: 'CONNECTEDREADONLY',
  CLOSED: 'CLOSED',
  EXPIRED: 'CLOSED',
  AUTH_FAILED: 'AUTH_FAILED',
};

/**
 * The shell's connection: one client at a time, replaced by `connect` and ended by `close`.
 * All watches the shell sets use one watcher, like zkCli's default watcher, so an event that
 * several of its watches match is printed once. Session changes (`SyncConnected`,
 * `Disconnected`, `Expired`, `Closed` …) are reported from the client's session events
 * instead, because watchers only see them while some watch is registered.
 */
export class ShellSession {
  private current: ZkClient | undefined;
  private host = '';

  /** The watcher every watch-setting command registers. */
  readonly watcher: Watcher = (event) => {
    if (event.type !== 'None') this.onEvent(event);
  };

  constructor(
    private readonly options: SessionOptions,
    /** Receives node events and, while reporting is on, session events. */
    private readonly onEvent: (event: WatchedEvent) => void,
    /** Whether session events are reported (the interactive shell does, one-shot commands do not). */
    private readonly reportSessionEvents: boolean,
  ) {}

  /** The connect string of the current (or last) connection. */
  get connectString(): string {
    return this.host;
  }

  /** The client, or undefined when there is none or it stopped for good (zkCli: `Not connected`). */
  get client(): ZkClient | undefined {
    const client = this.current;
    if (client === undefined) return undefined;
    return client.state === 'CLOSED' || client.state === 'EXPIRED' || client.state === 'AUTH_FAILED' ? undefined : client;
  }

  /** The state as zkCli's prompt names it. */
  get stateName(): string {
    return this.current === undefined ? 'CLOSED' : JAVA_STATE_NAMES[this.current.state];
  }

  /**
   * Starts connecting to `host` (a connect string) in the background, closing the previous
   * client first. Requests made meanwhile wait for the session.
   * @throws CliError for a malformed connect string.
   */
  async connect(host: string): Promise<void> {
    await this.close(true);
    this.host = host;
    let client: ZkClient;
    try {
      client = createClient(host, { sessionTimeoutMs: this.options.sessionTimeoutMs, readOnly: this.options.readOnly });
    } catch (error) {
      // The connect string's problem is the useful part, not a generic "Arguments are not valid".
      if (error instanceof ZkError) throw new CliError(error.message, EXIT_FAILED, { cause: error });
      throw error;
    }
    this.current = client;
    if (this.reportSessionEvents) {
      const report = (state: WatchedEvent['state']): void => this.onEvent({ type: 'None', state, path: null, zxid: NO_ZXID });
      client.on('connected', (info) => report(info.readOnly ? 'ConnectedReadOnly' : 'SyncConnected'));
      client.on('disconnected', () => report('Disconnected'));
      client.on('expired', () => report('Expired'));
      client.on('authFailed', () => report('AuthFailed'));
      client.on('closed', (reason) => {
        if (reason === 'closed') report('Closed');
      });
    }
  }

  /**
   * Closes the session (its ephemeral nodes go). With `quietly` no `Closed` event is
   * reported, for the shell's own exit and for `connect` replacing the client.
   */
  async close(quietly = false): Promise<void> {
    const client = this.current;
    if (client === undefined) return;
    if (quietly) client.removeAllListeners();
    if (client.state !== 'CLOSED' && client.state !== 'EXPIRED' && client.state !== 'AUTH_FAILED') await client.close();
  }
}
