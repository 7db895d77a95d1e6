import { ZkError, validatePath } from '@zkts/protocol';
import type { Endpoint } from './transport/transport.js';

/** The port ZooKeeper clients assume when a connect string names none. */
export const DEFAULT_CLIENT_PORT = 2181;

/** A parsed connect string: the servers in the order written, and the chroot if one was given. */
export interface ConnectString {
  readonly endpoints: readonly Endpoint[];
  /** The chroot suffix (`/app`), or `undefined` when absent or `/`. */
  readonly chroot: string | undefined;
}

/**
 * Parses a connect string the way ZooKeeper's `ConnectStringParser` does:
 * `host:port,host:port/chroot`, IPv6 literals in brackets (`[::1]:2181`), a missing port
 * meaning 2181, blank entries ignored, a chroot of `/` meaning none. A list of `ws://` or
 * `wss://` URLs selects the WebSocket transport instead; their paths are the servers'
 * WebSocket endpoints, so a chroot for them comes from the `chroot` option.
 *
 * @param transport - `websocket` turns `host:port` entries into `ws://host:port/` URLs.
 * @throws ZkError BAD_ARGUMENTS for a malformed string or an invalid chroot.
 */
export function parseConnectString(connectString: string, transport?: 'tcp' | 'websocket'): ConnectString {
  const trimmed = connectString.trim();
  if (/^wss?:\/\//i.test(trimmed)) {
    if (transport === 'tcp') throw badConnectString(connectString, 'WebSocket URLs need the websocket transport');
    return { endpoints: nonEmpty(connectString, splitList(trimmed).map((url) => parseWebSocketUrl(url))), chroot: undefined };
  }
  const slash = connectString.indexOf('/');
  let chroot: string | undefined;
  let hostList = connectString;
  if (slash >= 0) {
    const chrootPath = connectString.slice(slash);
    hostList = connectString.slice(0, slash);
    if (chrootPath.length > 1) {
      validatePath(chrootPath);
      chroot = chrootPath;
    }
  }
  const endpoints = splitList(hostList).map((entry): Endpoint => {
    const { host, port } = parseHostPort(entry);
    if (transport === 'websocket') return { transport: 'websocket', url: `ws://${host.includes(':') ? `[${host}]` : host}:${port}/` };
    return { transport: 'tcp', host, port };
  });
  return { endpoints: nonEmpty(connectString, endpoints), chroot };
}

/** `StringUtils.split`: comma-separated, each part trimmed, empty parts dropped. */
function splitList(list: string): string[] {
  return list.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
}

function nonEmpty(connectString: string, endpoints: Endpoint[]): Endpoint[] {
  if (endpoints.length === 0) throw badConnectString(connectString, 'no servers given');
  return endpoints;
}

/** One `host[:port]` entry, with `NetUtils.getIPV6HostAndPort` rules for bracketed hosts. */
function parseHostPort(entry: string): { host: string; port: number } {
  if (entry.startsWith('[')) {
    const close = entry.lastIndexOf(']');
    if (close < 0) throw badConnectString(entry, "starts with '[' but has no matching ']'");
    const host = entry.slice(1, close);
    if (host.length === 0) throw badConnectString(entry, 'empty IPv6 host');
    if (close + 1 === entry.length) return { host, port: DEFAULT_CLIENT_PORT };
    if (entry[close + 1] !== ':') throw badConnectString(entry, "does not have ':' after ']'");
    if (close + 2 === entry.length) throw badConnectString(entry, "doesn't have a port after colon");
    return { host, port: parsePort(entry, entry.slice(close + 2)) };
  }
  const colon = entry.lastIndexOf(':');
  if (colon < 0) return { host: entry, port: DEFAULT_CLIENT_PORT };
  // A trailing colon is ignored, as in ConnectStringParser.
  const port = colon < entry.length - 1 ? parsePort(entry, entry.slice(colon + 1)) : DEFAULT_CLIENT_PORT;
  return { host: entry.slice(0, colon), port };
}

function parsePort(entry: string, text: string): number {
  if (!/^\d+$/.test(text)) throw badConnectString(entry, `invalid port '${text}'`);
  const port = Number(text);
  if (port > 65535) throw badConnectString(entry, `port ${port} out of range`);
  return port;
}

function parseWebSocketUrl(text: string): Endpoint {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new ZkError('BAD_ARGUMENTS', { message: `Invalid WebSocket URL '${text}'`, cause });
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw badConnectString(text, 'mixes WebSocket URLs with other entries');
  return { transport: 'websocket', url: url.href };
}

function badConnectString(input: string, reason: string): ZkError {
  return new ZkError('BAD_ARGUMENTS', { message: `Invalid connect string '${input}': ${reason}` });
}
