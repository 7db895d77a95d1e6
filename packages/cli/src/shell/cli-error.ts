import { ZkError } from '@zkts/protocol';

/** zkCli's exit status for a failed command (`CliException`). */
export const EXIT_FAILED = 1;
/** zkCli's exit status for an unknown command (`CommandNotFoundException`). */
export const EXIT_COMMAND_NOT_FOUND = 127;

/**
 * A command failed in a way the user should read: the message is printed as zkCli prints it
 * and the shell's exit status becomes `exitCode`. `cause` keeps the ZkError for `--json`.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILED,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** The ZkError's message without the `: path` suffix ZkError appends, i.e. `KeeperException.getCodeMessage` or the validation reason. */
export function baseMessage(error: ZkError): string {
  const suffix = error.path === undefined ? undefined : `: ${error.path}`;
  return suffix !== undefined && error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
}

/** `KeeperException.getMessage()`: `KeeperErrorCode = NoNode for /x`. */
export function keeperMessage(error: ZkError): string {
  return `KeeperErrorCode = ${baseMessage(error)}${error.path === undefined ? '' : ` for ${error.path}`}`;
}

/** `CliWrapperException`'s wording of a ZooKeeper error (ZooKeeper 3.8), e.g. `Node does not exist: /x`. */
export function describeZkError(error: ZkError): string {
  const path = error.path ?? 'null';
  switch (error.code) {
    case 'NO_NODE': return `Node does not exist: ${path}`;
    case 'NO_CHILDREN_FOR_EPHEMERALS': return `Ephemerals cannot have children: ${path}`;
    case 'NODE_EXISTS': return `Node already exists: ${path}`;
    case 'NOT_EMPTY': return `Node not empty: ${path}`;
    case 'NOT_READONLY': return `Not a read-only call: ${path}`;
    case 'INVALID_ACL': return `Acl is not valid : ${path}`;
    case 'NO_AUTH': return `Insufficient permission : ${path}`;
    case 'BAD_ARGUMENTS': return `Arguments are not valid : ${path}`;
    case 'BAD_VERSION': return `version No is not valid : ${path}`;
    case 'RECONFIG_IN_PROGRESS': return 'Another reconfiguration is in progress -- concurrent reconfigs not supported (yet)';
    case 'NEW_CONFIG_NO_QUORUM':
      return 'No quorum of new config is connected and up-to-date with the leader of last committed config - try invoking reconfiguration after new servers are connected and synced';
    case 'QUOTA_EXCEEDED': return `Quota has exceeded : ${path}`;
    default: return keeperMessage(error);
  }
}

/** Turns what a client call threw into a CliError; anything that is not a ZkError is a bug and propagates. */
export function wrapError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof ZkError) return new CliError(describeZkError(error), EXIT_FAILED, { cause: error });
  throw error;
}
