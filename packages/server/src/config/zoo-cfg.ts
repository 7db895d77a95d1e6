/**
 * Reads zoo.cfg as ZooKeeper writes it (QuorumPeerConfig.parseProperties):
 * `key=value` lines, `#` comments, `server.N=host:quorumPort:electionPort[:participant|observer][;[clientAddress:]clientPort]`.
 * @module
 */

/** One `server.N` line. */
export interface QuorumServerSpec {
  id: number;
  host: string;
  quorumPort: number;
  electionPort: number;
  role: 'participant' | 'observer';
  clientHost: string | undefined;
  clientPort: number | undefined;
}

/** zoo.cfg after parsing and validation, in zkts's units. */
export interface ZooConfig {
  tickTimeMs: number;
  initLimit: number;
  syncLimit: number;
  dataDir: string | undefined;
  dataLogDir: string | undefined;
  clientPort: number | undefined;
  clientPortAddress: string | undefined;
  /** zkts's own key: the WebSocket client port (`wsPort`). */
  wsPort: number | undefined;
  /** zkts's own key: the HTTP admin port (`admin.serverPort`, as ZooKeeper's AdminServer). */
  adminPort: number | undefined;
  minSessionTimeoutMs: number | undefined;
  maxSessionTimeoutMs: number | undefined;
  maxClientCnxns: number;
  servers: QuorumServerSpec[];
  peerType: 'participant' | 'observer';
  fourLetterWordWhitelist: string[];
  snapRetainCount: number;
  purgeIntervalHours: number;
  snapCount: number;
  forceSync: boolean;
  superDigest: string | undefined;
  extendedTypesEnabled: boolean;
  skipAcl: boolean;
  maxFrameBytes: number | undefined;
  /** One line per key we accepted but do not act on. */
  warnings: string[];
}

/** A configuration we refuse to start with; the message says what to fix. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Keys real ZooKeeper configs carry that zkts accepts without acting on them. */
const IGNORED_KEY_PREFIXES = ['admin.', 'authProvider.', 'metricsProvider.', 'ssl.', 'sslQuorum', 'quorum.', 'zookeeper.', 'serverCnxnFactory', 'jvm'];
const IGNORED_KEYS = new Set([
  'reconfigEnabled',
  'standaloneEnabled',
  'dynamicConfigFile',
  'quorumListenOnAllIPs',
  'localSessionsEnabled',
  'localSessionsUpgradingEnabled',
  'globalOutstandingLimit',
  'preAllocSize',
  'syncEnabled',
  'electionAlg',
  'secureClientPort',
  'secureClientPortAddress',
  'readonlymode.enabled',
  'clientPortListenBacklog',
  'connectToLearnerMasterLimit',
  'cnxTimeout',
  'leaderServes',
  'skipACL',
  'snapSizeLimitInKb',
  'txnLogSizeLimitInKb',
  'maxCnxns',
  'multiAddress.enabled',
  'multiAddress.reachabilityCheckEnabled',
  'audit.enable',
]);

/** Parses zoo.cfg text; throws ConfigError with a readable message for a bad configuration. */
export function parseZooConfig(text: string): ZooConfig {
  const raw = new Map<string, string>();
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('!')) continue;
    const separator = trimmed.search(/[=:]/);
    if (separator <= 0) throw new ConfigError(`zoo.cfg line ${index + 1}: expected key=value, got "${trimmed}"`);
    const key = trimmed.slice(0, separator).trim();
    const value = trimmed.slice(separator + 1).trim();
    if (raw.has(key)) throw new ConfigError(`zoo.cfg line ${index + 1}: ${key} is set twice`);
    raw.set(key, value);
  }
  return interpret(raw);
}

function integer(raw: Map<string, string>, key: string, fallback: number, min = 0): number {
  const text = raw.get(key);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${key} must be an integer ≥ ${min}, got "${text}"`);
  return value;
}

function optionalInteger(raw: Map<string, string>, key: string, min = 0): number | undefined {
  return raw.has(key) ? integer(raw, key, 0, min) : undefined;
}

function port(raw: Map<string, string>, key: string): number | undefined {
  const value = optionalInteger(raw, key);
  if (value !== undefined && value > 65535) throw new ConfigError(`${key} must be a port (0-65535), got ${value}`);
  return value;
}

function bool(raw: Map<string, string>, key: string, fallback: boolean): boolean {
  const text = raw.get(key);
  if (text === undefined) return fallback;
  const lowered = text.toLowerCase();
  if (lowered === 'yes' || lowered === 'true') return true;
  if (lowered === 'no' || lowered === 'false') return false;
  throw new ConfigError(`${key} must be yes/no or true/false, got "${text}"`);
}

/** A system-property switch, accepted with or without ZooKeeper's `zookeeper.` prefix. */
function switchValue(raw: Map<string, string>, name: string): string | undefined {
  return raw.get(`zookeeper.${name}`) ?? raw.get(name);
}

function parsePortNumber(text: string, what: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new ConfigError(`${what}: "${text}" is not a valid port`);
  return value;
}

/** `host:quorumPort:electionPort[:role][;[clientHost:]clientPort]`, hosts may be `[ipv6]`. */
export function parseServerLine(id: number, value: string): QuorumServerSpec {
  const where = `server.${id}=${value}`;
  const [quorumPart = '', clientPart] = value.split(';');
  const match = /^(\[[^\]]+\]|[^:]+):(\d+):(\d+)(?::(participant|observer))?$/.exec(quorumPart.trim());
  if (match === null) throw new ConfigError(`${where}: expected host:quorumPort:electionPort[:participant|observer][;[clientAddress:]clientPort]`);
  const host = match[1]!.replace(/^\[|\]$/g, '');
  let clientHost: string | undefined;
  let clientPort: number | undefined;
  if (clientPart !== undefined && clientPart.trim() !== '') {
    const client = clientPart.trim();
    const colon = client.lastIndexOf(':');
    if (colon < 0) clientPort = parsePortNumber(client, where);
    else {
      clientHost = client.slice(0, colon).replace(/^\[|\]$/g, '');
      clientPort = parsePortNumber(client.slice(colon + 1), where);
    }
  }
  return {
    id,
    host,
    quorumPort: parsePortNumber(match[2]!, where),
    electionPort: parsePortNumber(match[3]!, where),
    role: (match[4] as 'participant' | 'observer' | undefined) ?? 'participant',
    clientHost,
    clientPort,
  };
}

function interpret(raw: Map<string, string>): ZooConfig {
  const warnings: string[] = [];
  const servers: QuorumServerSpec[] = [];
  const known = new Set<string>();
  const use = (key: string) => known.add(key);
  for (const [key, value] of raw) {
    const serverMatch = /^server\.(\d+)$/.exec(key);
    if (serverMatch !== null) {
      use(key);
      servers.push(parseServerLine(Number(serverMatch[1]), value));
    }
  }
  servers.sort((a, b) => a.id - b.id);
  checkServers(servers);

  for (const key of [
    'tickTime', 'initLimit', 'syncLimit', 'dataDir', 'dataLogDir', 'clientPort', 'clientPortAddress', 'wsPort', 'admin.serverPort',
    'minSessionTimeout', 'maxSessionTimeout', 'maxClientCnxns', 'peerType', '4lw.commands.whitelist', 'autopurge.snapRetainCount',
    'autopurge.purgeInterval', 'snapCount', 'forceSync', 'jute.maxbuffer',
    'zookeeper.DigestAuthenticationProvider.superDigest', 'DigestAuthenticationProvider.superDigest',
    'zookeeper.extendedTypesEnabled', 'extendedTypesEnabled',
  ]) use(key);

  const tickTimeMs = integer(raw, 'tickTime', 2000, 1);
  const peerTypeText = raw.get('peerType') ?? 'participant';
  if (peerTypeText !== 'participant' && peerTypeText !== 'observer') throw new ConfigError(`peerType must be participant or observer, got "${peerTypeText}"`);
  const minSessionTimeoutMs = optionalInteger(raw, 'minSessionTimeout', 1);
  const maxSessionTimeoutMs = optionalInteger(raw, 'maxSessionTimeout', 1);
  if (minSessionTimeoutMs !== undefined && maxSessionTimeoutMs !== undefined && minSessionTimeoutMs > maxSessionTimeoutMs) {
    throw new ConfigError(`minSessionTimeout (${minSessionTimeoutMs}) must not exceed maxSessionTimeout (${maxSessionTimeoutMs})`);
  }
  const clientPort = port(raw, 'clientPort');
  const wsPort = port(raw, 'wsPort');
  const adminPort = port(raw, 'admin.serverPort');
  if (clientPort !== undefined && clientPort === wsPort) throw new ConfigError(`clientPort and wsPort are both ${clientPort}`);

  for (const key of raw.keys()) {
    if (known.has(key)) continue;
    if (IGNORED_KEYS.has(key) || IGNORED_KEY_PREFIXES.some((prefix) => key.startsWith(prefix))) {
      warnings.push(`zoo.cfg: ${key} is accepted but has no effect in zkts`);
    } else {
      warnings.push(`zoo.cfg: unknown key ${key} ignored`);
    }
  }

  const whitelist = (raw.get('4lw.commands.whitelist') ?? 'srvr')
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word !== '');
  const extended = switchValue(raw, 'extendedTypesEnabled');
  const skipAcl = switchValue(raw, 'skipACL');
  return {
    tickTimeMs,
    initLimit: integer(raw, 'initLimit', 10, 1),
    syncLimit: integer(raw, 'syncLimit', 5, 1),
    dataDir: raw.get('dataDir'),
    dataLogDir: raw.get('dataLogDir'),
    clientPort,
    clientPortAddress: raw.get('clientPortAddress'),
    wsPort,
    adminPort,
    minSessionTimeoutMs,
    maxSessionTimeoutMs,
    maxClientCnxns: integer(raw, 'maxClientCnxns', 60),
    servers,
    peerType: peerTypeText,
    fourLetterWordWhitelist: whitelist,
    snapRetainCount: Math.max(3, integer(raw, 'autopurge.snapRetainCount', 3)),
    purgeIntervalHours: integer(raw, 'autopurge.purgeInterval', 0),
    snapCount: integer(raw, 'snapCount', 100_000, 2),
    forceSync: bool(raw, 'forceSync', true),
    superDigest: switchValue(raw, 'DigestAuthenticationProvider.superDigest'),
    extendedTypesEnabled: extended === undefined ? false : bool(new Map([['extendedTypesEnabled', extended]]), 'extendedTypesEnabled', false),
    skipAcl: skipAcl === undefined ? false : bool(new Map([['skipACL', skipAcl]]), 'skipACL', false),
    maxFrameBytes: optionalInteger(raw, 'jute.maxbuffer', 1),
    warnings,
  };
}

function checkServers(servers: QuorumServerSpec[]): void {
  const endpoints = new Map<string, string>();
  for (const server of servers) {
    for (const [what, portNumber, host] of [
      ['quorum port', server.quorumPort, server.host],
      ['election port', server.electionPort, server.host],
      ...(server.clientPort === undefined ? [] : [['client port', server.clientPort, server.clientHost ?? '0.0.0.0'] as const]),
    ] as const) {
      const key = `${host}:${portNumber}`;
      const previous = endpoints.get(key);
      if (previous !== undefined) throw new ConfigError(`server.${server.id} ${what} ${key} clashes with ${previous}`);
      endpoints.set(key, `server.${server.id} ${what}`);
    }
  }
  const voters = servers.filter((server) => server.role === 'participant');
  if (servers.length > 0 && voters.length === 0) throw new ConfigError('zoo.cfg lists servers but no participant (voter)');
}
