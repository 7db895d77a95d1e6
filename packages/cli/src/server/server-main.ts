import { resolve } from 'node:path';
import { ConfigError, type ServerConfig, formatSnapshot, formatTxnLog, loadServerConfig, startFromConfig } from '@zkts/server';
import { clientEndpoint, formatEndpoint } from './config-endpoint.js';
import { sendFourLetterWord } from './four-letter-word.js';

/** The streams `zk-server` writes to, and what tells a running server to stop. */
export interface ZkServerIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Resolves when the server should shut down (SIGINT/SIGTERM for the command). */
  readonly shutdown: Promise<unknown>;
}

/** Exit status for a command line or configuration the tool cannot work with. */
const EXIT_BAD_INVOCATION = 2;
/** Where `start` and `status` look for the configuration when none is given, like zkServer.sh's `$ZOOCFG`. */
const DEFAULT_CONFIG = 'zoo.cfg';

const USAGE =
  'Usage: zk-server <command>\n' +
  '  start [zoo.cfg]    start the server a zoo.cfg describes, in the foreground (Ctrl-C stops it)\n' +
  '  status [zoo.cfg]   ask the configured server for its mode (standalone, leader, follower, observer)\n' +
  '  log-dump <file>    print a transaction log file, like ZooKeeper\'s LogFormatter\n' +
  '  snapshot-dump <file> [-d]  print a snapshot file, like ZooKeeper\'s SnapshotFormatter (-d: with data)\n';

/**
 * The `zk-server` command: `start` runs a server from a zoo.cfg until `io.shutdown`
 * resolves; `status` prints the mode of the configured server like `zkServer.sh status`.
 * Resolves with the exit status.
 */
export async function runZkServer(argv: readonly string[], io: ZkServerIo): Promise<number> {
  const [command, configArg, ...extra] = argv;
  if (command === undefined || command === 'help' || command === '-h' || command === '--help') {
    (command === undefined ? io.stderr : io.stdout).write(USAGE);
    return command === undefined ? EXIT_BAD_INVOCATION : 0;
  }
  if (command === 'log-dump' || command === 'snapshot-dump') return dump(command, configArg, extra, io);
  if (extra.length > 0 || (command !== 'start' && command !== 'status')) {
    io.stderr.write(`zk-server: unexpected arguments: ${argv.join(' ')}\n${USAGE}`);
    return EXIT_BAD_INVOCATION;
  }
  const configPath = resolve(configArg ?? DEFAULT_CONFIG);
  io.stderr.write(`Using config: ${configPath}\n`);
  let config: ServerConfig;
  try {
    config = await loadServerConfig(configPath);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`zk-server: invalid configuration ${configPath}: ${error.message}\n`);
    return EXIT_BAD_INVOCATION;
  }
  return command === 'start' ? start(config, io) : status(config, io);
}

/** Prints a log or snapshot file in readable form; exit 1 with a message when it cannot be read. */
async function dump(command: 'log-dump' | 'snapshot-dump', file: string | undefined, extra: readonly string[], io: ZkServerIo): Promise<number> {
  const dumpData = extra.includes('-d');
  if (file === undefined || extra.some((arg) => arg !== '-d') || (command === 'log-dump' && dumpData)) {
    io.stderr.write(`zk-server: ${command} needs one file\n${USAGE}`);
    return EXIT_BAD_INVOCATION;
  }
  try {
    const lines = command === 'log-dump' ? formatTxnLog(file) : formatSnapshot(file, { dumpData });
    for await (const line of lines) io.stdout.write(`${line}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`zk-server: ${(error as Error).message}\n`);
    return 1;
  }
}

/** Starts the server, reports where it listens, and stops it on shutdown. */
async function start(config: ServerConfig, io: ZkServerIo): Promise<number> {
  for (const warning of config.warnings) io.stderr.write(`warning: ${warning}\n`);
  let server;
  try {
    server = await startFromConfig(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`zk-server: invalid configuration ${config.configPath}: ${error.message}\n`);
      return EXIT_BAD_INVOCATION;
    }
    io.stderr.write(`zk-server: failed to start: ${(error as Error).message}\n`);
    return 1;
  }
  const { host } = clientEndpoint(config);
  io.stdout.write(`Client port: ${formatEndpoint(host, server.tcpPort)}\n`);
  if (server.wsPort !== undefined) io.stdout.write(`WebSocket port: ${formatEndpoint(host, server.wsPort)}\n`);
  io.stdout.write(`Mode: ${server.mode}\n`);
  await io.shutdown;
  io.stdout.write('Stopping\n');
  await server.stop();
  return 0;
}

/** `zkServer.sh status`: the configured client port's answer to `srvr`, reduced to its `Mode:` line. */
async function status(config: ServerConfig, io: ZkServerIo): Promise<number> {
  const { host, port } = clientEndpoint(config);
  io.stdout.write(`Client port found: ${port}. Client address: ${host}.\n`);
  let answer: string;
  try {
    answer = await sendFourLetterWord(host, port, 'srvr');
  } catch {
    io.stderr.write('Error contacting service. It is probably not running.\n');
    return 1;
  }
  const mode = /^Mode: (\S+)$/m.exec(answer)?.[1];
  if (mode === undefined) {
    io.stderr.write(`Error contacting service. It answered srvr without a mode:\n${answer}\n`);
    return 1;
  }
  io.stdout.write(`Mode: ${mode}\n`);
  return 0;
}
