import {
  ErrorCode,
  OpCode,
  WatcherType,
  ZkError,
  type AddWatchRequest,
  type CheckWatchesRequest,
  type ExistsRequest,
  type GetAllChildrenNumberRequest,
  type GetChildrenRequest,
  type GetDataRequest,
  type GetEphemeralsRequest,
  type Id,
  type MultiRequest,
  type MultiResult,
  type RemoveWatchesRequest,
} from '@zkts/protocol';
import type { ZkDatabase } from '../database/zk-database.js';
import type { AuthContext } from '../tree/acl.js';
import type { ClientConnection } from './client-connection.js';

/** The answer to a read: an error code, and a response body on success. */
export interface ReadOutcome {
  err: number;
  response?: unknown;
}

/**
 * Answers a read from the local tree, registering watches for `connection`
 * where the request asks for one. Reads never change the tree, only watches.
 */
export function executeRead(database: ZkDatabase, connection: ClientConnection, type: number, body: unknown, auth: AuthContext): ReadOutcome {
  try {
    return { err: ErrorCode.OK, response: readUnchecked(database, connection, type, body, auth) };
  } catch (error) {
    if (error instanceof ZkError) return { err: error.errno };
    throw error;
  }
}

function readUnchecked(database: ZkDatabase, connection: ClientConnection, type: number, body: unknown, auth: AuthContext): unknown {
  const tree = database.tree;
  switch (type) {
    case OpCode.exists: {
      const request = body as ExistsRequest;
      const stat = tree.exists(request.path, request.watch ? connection : undefined);
      if (stat === null) throw new ZkError('NO_NODE', { path: request.path });
      return { stat };
    }
    case OpCode.getData: {
      const request = body as GetDataRequest;
      return tree.getData(request.path, auth, request.watch ? connection : undefined);
    }
    case OpCode.getChildren: {
      const request = body as GetChildrenRequest;
      return { children: tree.getChildren(request.path, auth, request.watch ? connection : undefined).children };
    }
    case OpCode.getChildren2: {
      const request = body as GetChildrenRequest;
      return tree.getChildren(request.path, auth, request.watch ? connection : undefined);
    }
    case OpCode.getACL: {
      const request = body as { path: string };
      const { acl, stat } = tree.getACL(request.path, auth);
      return { acl: [...acl], stat };
    }
    case OpCode.getEphemerals: {
      const request = body as GetEphemeralsRequest;
      const sessionId = connection.sessionId ?? 0n;
      return { ephemerals: tree.getEphemerals(sessionId, request.prefixPath) };
    }
    case OpCode.getAllChildrenNumber: {
      const request = body as GetAllChildrenNumberRequest;
      return { totalNumber: tree.getAllChildrenNumber(request.path, auth) };
    }
    case OpCode.multiRead:
      return { results: (body as MultiRequest).ops.map((op) => readOneOfMulti(database, connection, op.type, op.body, auth)) };
    case OpCode.addWatch: {
      const request = body as AddWatchRequest;
      tree.addWatch(request.path, connection, request.mode);
      // FinalRequestProcessor answers addWatch with an ErrorResponse(0) body.
      return { err: ErrorCode.OK };
    }
    case OpCode.removeWatches: {
      const request = body as RemoveWatchesRequest;
      requireWatcherType(request.type, request.path);
      tree.removeWatches(request.path, request.type, connection);
      return undefined;
    }
    case OpCode.checkWatches: {
      const request = body as CheckWatchesRequest;
      requireWatcherType(request.type, request.path);
      tree.checkWatches(request.path, request.type, connection);
      return undefined;
    }
    case OpCode.whoAmI:
      return { clientInfo: auth.ids.map((id) => ({ authScheme: id.scheme, user: userName(id) })) };
    default:
      throw new ZkError('UNIMPLEMENTED');
  }
}

/**
 * ZooKeeper 3.8's WatcherType knows Children, Data and Any only; `WatcherType.fromInt` throws
 * for anything else (the persistent types came in 3.9), which FinalRequestProcessor reports
 * as a marshalling error.
 */
function requireWatcherType(type: number, path: string): void {
  if (type !== WatcherType.Children && type !== WatcherType.Data && type !== WatcherType.Any) {
    throw new ZkError('MARSHALLING_ERROR', { path, message: `Invalid WatcherType ${type}` });
  }
}

/** One op of a multiRead: its own success or error, as ZooKeeper answers each op independently. */
function readOneOfMulti(database: ZkDatabase, connection: ClientConnection, type: number, body: unknown, auth: AuthContext): MultiResult {
  const outcome = executeRead(database, connection, type, body, auth);
  if (outcome.err !== ErrorCode.OK) return { type: -1, err: outcome.err, body: { err: outcome.err } };
  if (type === OpCode.getData) return { type: OpCode.getData, err: 0, body: outcome.response as never };
  return { type: OpCode.getChildren, err: 0, body: outcome.response as never };
}

/**
 * The user whoAmI reports for an id (AuthUtil.getUser): the provider's user name, which for
 * `digest` is the part before the first colon and for `ip` the address; schemes without a
 * provider (`super`) report an empty name.
 */
function userName(id: Id): string {
  switch (id.scheme) {
    case 'digest':
      return id.id.split(':')[0]!;
    case 'ip':
      return id.id;
    default:
      return '';
  }
}
