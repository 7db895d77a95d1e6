import { type ServerConfig, clientOptionsFromConfig } from '@zkts/server';

/** Where a client on this machine reaches the server a config describes. */
export interface ClientEndpoint {
  readonly host: string;
  readonly port: number;
}

/** Addresses that mean "every interface": a local client connects to loopback instead. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The client address of the server a config describes, as `zkServer.sh status` finds it:
 * `clientPortAddress` and `clientPort`, or this server's `server.N` line; a wildcard address
 * becomes loopback.
 */
export function clientEndpoint(config: ServerConfig): ClientEndpoint {
  const options = clientOptionsFromConfig(config);
  const host = options.host === undefined || WILDCARD_HOSTS.has(options.host) ? '127.0.0.1' : options.host;
  return { host, port: options.tcpPort ?? 2181 };
}

/** `host:port`, with IPv6 hosts in brackets. */
export function formatEndpoint(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
