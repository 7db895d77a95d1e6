import { type CreateModeName, Ids, MAX_TTL_MS } from '@zkts/client';
import { type ACL, ZkError } from '@zkts/protocol';
import { type Command, type Invocation, arg, call, checkPath, flag, has, intOption, valued } from './command.js';
import { visitSubtree } from './visit-subtree.js';
import { parseAcl } from '../acl-parser.js';
import { CliError, keeperMessage, wrapError } from '../cli-error.js';
import { statToJson, formatStat } from '../format.js';

const encoder = new TextEncoder();

/** The ACL argument at `index`, or `fallback` when absent; parse problems are warned about as zkCli does. */
function aclArg(invocation: Invocation, index: number, fallback: readonly ACL[]): readonly ACL[] {
  const text = invocation.parsed.args[index];
  return text === undefined ? fallback : parseAcl(text, (message) => invocation.printer.warn(message));
}

/** The Java client rejects an empty ACL before sending, with an InvalidACLException that has no path. */
function invalidAclWithoutPath(): CliError {
  return new CliError('Acl is not valid : null', undefined, { cause: new ZkError('INVALID_ACL') });
}

/** `CreateCommand`'s choice of mode from -e, -s, -c and -t. */
function createMode(ephemeral: boolean, sequential: boolean, container: boolean, ttl: boolean): CreateModeName {
  if (ephemeral && sequential) return 'EPHEMERAL_SEQUENTIAL';
  if (ephemeral) return 'EPHEMERAL';
  if (sequential) return ttl ? 'PERSISTENT_SEQUENTIAL_WITH_TTL' : 'PERSISTENT_SEQUENTIAL';
  if (container) return 'CONTAINER';
  return ttl ? 'PERSISTENT_WITH_TTL' : 'PERSISTENT';
}

/** The -t value, checked as `CreateCommand` and `EphemeralType.TTL.toEphemeralOwner` check it. */
function ttlOption(invocation: Invocation): number | undefined {
  const text = invocation.parsed.options.get('t');
  if (text === undefined || text === true) return undefined;
  if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new CliError('-t argument must be a long value');
  return Number(text);
}

/** `create [-s] [-e] [-c] [-t ttl] path [data] [acl]`: prints `Created <path>` (with the sequence suffix). */
export const createCommand: Command = {
  name: 'create',
  usage: '[-s] [-e] [-c] [-t ttl] path [data] [acl]',
  options: [flag('e'), flag('s'), flag('c'), valued('t')],
  minArgs: 2,
  needsConnection: true,
  async run(invocation) {
    const ephemeral = has(invocation, 'e');
    const sequential = has(invocation, 's');
    const container = has(invocation, 'c');
    if (container && (ephemeral || sequential)) {
      throw new CliError('-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.');
    }
    const ttlMs = ttlOption(invocation);
    if (ttlMs !== undefined && ephemeral) throw new CliError('TTLs cannot be used with Ephemeral znodes');
    if (ttlMs !== undefined && container) throw new CliError('TTLs cannot be used with Container znodes');
    if (ttlMs !== undefined && (ttlMs <= 0 || ttlMs > MAX_TTL_MS)) throw new CliError(`ttl must be positive and cannot be larger than: ${MAX_TTL_MS}`);
    const mode = createMode(ephemeral, sequential, container, ttlMs !== undefined);
    const path = arg(invocation, 1);
    const dataArg = invocation.parsed.args[2];
    // zkCli sends null data when none is given, which `get` later prints as "null".
    const data = dataArg === undefined ? null : encoder.encode(dataArg);
    const acl = aclArg(invocation, 3, Ids.OPEN_ACL_UNSAFE);
    const { printer } = invocation;
    checkPath(path, sequential);
    if (acl.length === 0) {
      printer.warn('KeeperErrorCode = InvalidACL');
      throw invalidAclWithoutPath();
    }
    let created: string;
    try {
      created = await invocation.client.create(path, data, { mode, acl, ...(ttlMs === undefined ? {} : { ttlMs }) });
    } catch (error) {
      if (error instanceof ZkError && error.code === 'EPHEMERAL_ON_LOCAL_SESSION') printer.warn('Unable to create ephemeral node on a local session');
      if (error instanceof ZkError && error.code === 'INVALID_ACL') printer.warn(keeperMessage(error));
      throw wrapError(error);
    }
    printer.note(`Created ${created}`, { created });
  },
};

/** `set [-s] [-v version] path data`: prints nothing, or the new Stat with -s. */
export const setCommand: Command = {
  name: 'set',
  usage: '[-s] [-v version] path data',
  options: [flag('s'), valued('v')],
  minArgs: 3,
  needsConnection: true,
  async run(invocation) {
    const path = checkPath(arg(invocation, 1));
    const data = encoder.encode(arg(invocation, 2));
    const version = intOption(invocation, 'v', -1);
    const stat = await call(invocation.client.setData(path, data, version));
    invocation.printer.result(has(invocation, 's') ? formatStat(stat) : '', { path, stat: statToJson(stat) });
  },
};

/** `delete [-v version] path`. */
export const deleteCommand: Command = {
  name: 'delete',
  usage: '[-v version] path',
  options: [valued('v')],
  minArgs: 2,
  needsConnection: true,
  async run(invocation) {
    if (invocation.parsed.args.length > 2) {
      // zkCli 3.8 warns about the old `delete path version` form and then ignores the version.
      invocation.printer.warn("'delete path [version]' has been deprecated. Please use 'delete [-v version] path' instead.");
    }
    const path = checkPath(arg(invocation, 1));
    const version = intOption(invocation, 'v', -1);
    await call(invocation.client.delete(path, version));
    invocation.printer.result('', { deleted: path });
  },
};

/** `deleteall path [-b batch size]`: deletes the node and its subtree (the batch size is accepted for compatibility). */
export const deleteAllCommand: Command = {
  name: 'deleteall',
  usage: 'path [-b batch size]',
  options: [valued('b')],
  minArgs: 2,
  needsConnection: true,
  async run(invocation) {
    intOption(invocation, 'b', 1000);
    const path = checkPath(arg(invocation, 1));
    await call(invocation.client.deleteRecursive(path));
    invocation.printer.result('', { deleted: path });
  },
};

/** `setAcl [-s] [-v version] [-R] path acl`: with -R every node of the subtree gets the ACL. */
export const setAclCommand: Command = {
  name: 'setAcl',
  usage: '[-s] [-v version] [-R] path acl',
  options: [flag('s'), valued('v'), flag('R')],
  minArgs: 3,
  needsConnection: true,
  async run(invocation) {
    const { client, printer } = invocation;
    const path = arg(invocation, 1);
    const acl = aclArg(invocation, 2, []);
    const version = intOption(invocation, 'v', -1);
    checkPath(path);
    if (acl.length === 0) throw invalidAclWithoutPath();
    if (has(invocation, 'R')) {
      const updated: string[] = [];
      await call(visitSubtree(client, path, undefined, async (visited) => {
        try {
          await client.setACL(visited, acl, version);
          updated.push(visited);
        } catch (error) {
          // zkCli prints each node's failure and carries on with the rest of the subtree.
          if (!(error instanceof ZkError)) throw error;
          printer.result(`${keeperMessage(error)}\n`, { path: visited, error: { code: error.code, message: keeperMessage(error) } });
        }
      }));
      printer.result('', { path, updated });
      return;
    }
    const stat = await call(client.setACL(path, acl, version));
    printer.result(has(invocation, 's') ? formatStat(stat) : '', { path, stat: statToJson(stat) });
  },
};
