import { ErrorCode, type ErrorCodeName, errorCodeName } from './constants.js';

/**
 * An error with a ZooKeeper error code, as the server reports it and as the
 * client raises it to users. `code` is the name (`NO_NODE`), `errno` the number (-101).
 */
export class ZkError extends Error {
  /** The error's name as ZooKeeper's `KeeperException.Code`, e.g. `NO_NODE`. */
  readonly code: ErrorCodeName;
  /** The numeric error code on the wire, e.g. -101. */
  readonly errno: number;
  /** The znode path the failed operation named, where there is one. */
  readonly path: string | undefined;

  constructor(code: ErrorCodeName, options: { path?: string; message?: string; cause?: unknown } = {}) {
    const base = options.message ?? defaultMessage(code);
    super(options.path === undefined ? base : `${base}: ${options.path}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ZkError';
    this.code = code;
    this.errno = ErrorCode[code];
    this.path = options.path;
  }

  /** Builds a ZkError from a numeric wire code; unknown numbers become SYSTEM_ERROR with the number in the message. */
  static fromErrno(errno: number, path?: string): ZkError {
    const code = errorCodeName(errno);
    if (code === undefined) return new ZkError('SYSTEM_ERROR', { path, message: `Unknown error code ${errno}` });
    return new ZkError(code, path === undefined ? {} : { path });
  }
}

/** Messages as KeeperException.getCodeMessage words them, so our errors read like ZooKeeper's. */
function defaultMessage(code: ErrorCodeName): string {
  switch (code) {
    case 'OK': return 'ok';
    case 'SYSTEM_ERROR': return 'SystemError';
    case 'RUNTIME_INCONSISTENCY': return 'RuntimeInconsistency';
    case 'DATA_INCONSISTENCY': return 'DataInconsistency';
    case 'CONNECTION_LOSS': return 'ConnectionLoss';
    case 'MARSHALLING_ERROR': return 'MarshallingError';
    case 'UNIMPLEMENTED': return 'Unimplemented';
    case 'OPERATION_TIMEOUT': return 'OperationTimeout';
    case 'BAD_ARGUMENTS': return 'BadArguments';
    case 'UNKNOWN_SESSION': return 'Unknown session id';
    case 'NEW_CONFIG_NO_QUORUM': return 'No quorum of new config is connected and up-to-date with the leader of last commmitted config - try invoking reconfiguration after new servers are connected and synced';
    case 'RECONFIG_IN_PROGRESS': return 'Another reconfiguration is in progress -- concurrent reconfigs not supported (yet)';
    case 'API_ERROR': return 'APIError';
    case 'NO_NODE': return 'NoNode';
    case 'NO_AUTH': return 'NoAuth';
    case 'BAD_VERSION': return 'BadVersion';
    case 'NO_CHILDREN_FOR_EPHEMERALS': return 'NoChildrenForEphemerals';
    case 'NODE_EXISTS': return 'NodeExists';
    case 'NOT_EMPTY': return 'Directory not empty';
    case 'SESSION_EXPIRED': return 'Session expired';
    case 'INVALID_CALLBACK': return 'Invalid callback';
    case 'INVALID_ACL': return 'InvalidACL';
    case 'AUTH_FAILED': return 'AuthFailed';
    case 'SESSION_MOVED': return 'Session moved';
    case 'NOT_READONLY': return 'Not a read-only call';
    case 'EPHEMERAL_ON_LOCAL_SESSION': return 'Ephemeral node on local session';
    case 'NO_WATCHER': return 'No such watcher';
    case 'REQUEST_TIMEOUT': return 'Request timeout';
    case 'RECONFIG_DISABLED': return 'Reconfig is disabled';
    case 'SESSION_CLOSED_REQUIRE_SASL_AUTH': return 'Session closed because client failed to authenticate';
    case 'QUOTA_EXCEEDED': return 'Quota has exceeded';
    case 'THROTTLED_OP': return 'Op throttled due to high load';
  }
}
