import { ZkError } from '@zkts/protocol';
import { parseServerLine } from '@zkts/server';
import { type Command, type Invocation, arg, call, checkPath, flag, has } from './command.js';
import { visitSubtree } from './visit-subtree.js';
import { wrapError } from '../cli-error.js';
import { aclToJson, dataText, formatAcl, formatStat, javaList, statToJson } from '../format.js';

/**
 * zkCli 3.8 still accepts `ls|get|stat path watch`, rewriting the extra word to `-w` with a
 * deprecation warning; we do the same.
 */
function wantsWatch(invocation: Invocation, name: string, modern: string): boolean {
  if (invocation.parsed.args.length > 2) {
    invocation.printer.warn(`'${name} path [watch]' has been deprecated. Please use '${modern}' instead.`);
    return true;
  }
  return has(invocation, 'w');
}

/** `ls [-s] [-w] [-R] path`: sorted children as `[a, b]`, or with -R every path of the subtree, one per line. */
export const lsCommand: Command = {
  name: 'ls',
  usage: '[-s] [-w] [-R] path',
  options: [flag('s'), flag('w'), flag('R')],
  minArgs: 2,
  needsConnection: true,
  async run(invocation) {
    const { client, printer, session } = invocation;
    const path = checkPath(arg(invocation, 1));
    const watcher = wantsWatch(invocation, 'ls', 'ls [-w] path') ? session.watcher : undefined;
    if (has(invocation, 'R')) {
      const paths: string[] = [];
      await call(visitSubtree(client, path, watcher, (visited) => {
        paths.push(visited);
        if (!printer.json) printer.result(`${visited}\n`, undefined);
      }));
      if (printer.json) printer.result('', { path, paths });
      return;
    }
    if (!has(invocation, 's')) {
      const children = (await call(client.getChildren(path, watcher))).sort();
      printer.result(`${javaList(children)}\n`, { path, children });
      return;
    }
    const { children, stat } = await call(client.getChildrenWithStat(path, watcher));
    children.sort();
    printer.result(`${javaList(children)}\n${formatStat(stat)}`, { path, children, stat: statToJson(stat) });
  },
};

/** `get [-s] [-w] path`: the data as UTF-8 (`null` for null data), then the Stat with -s. */
export const getCommand: Command = {
  name: 'get',
  usage: '[-s] [-w] path',
  options: [flag('s'), flag('w')],
  minArgs: 2,
  needsConnection: true,
  async run(invocation) {
    const path = checkPath(arg(invocation, 1));
    const watcher = wantsWatch(invocation, 'get', 'get [-s] [-w] path') ? invocation.session.watcher : undefined;
    const { data, stat } = await call(invocation.client.getData(path, watcher));
    const withStat = has(invocation, 's');
    const text = dataText(data);
    invocation.printer.result(`${text}\n${withStat ? formatStat(stat) : ''}`, {
      path,
      data: data === null ? null : text,
      dataBase64: data === null ? null : Buffer.from(data).toString('base64'),
      ...(withStat ? { stat: statToJson(stat) } : {}),
    });
  },
};

/** `stat [-w] path`: the Stat; a missing node is an error (the watch, if asked for, still waits for its creation). */
export const statCommand: Command = {
  name: 'stat',
  usage: '[-w] path',
  options: [flag('w')],
  minArgs: 2,
  needsConnection: true,
  async run(invocation) {
    const path = checkPath(arg(invocation, 1));
    const watcher = wantsWatch(invocation, 'stat', 'stat [-w] path') ? invocation.session.watcher : undefined;
    const stat = await call(invocation.client.exists(path, watcher));
    if (stat === null) throw wrapError(new ZkError('NO_NODE', { path }));
    invocation.printer.result(formatStat(stat), { path, stat: statToJson(stat) });
  },
};

/** `getAcl [-s] path`: one `'scheme,'id` / `: perms` pair per entry. */
export const getAclCommand: Command = {
  name: 'getAcl',
  usage: '[-s] path',
  options: [flag('s')],
  minArgs: 2,
  needsConnection: true,
  async run(invocation) {
    const path = checkPath(arg(invocation, 1));
    const { acl, stat } = await call(invocation.client.getACL(path));
    const withStat = has(invocation, 's');
    invocation.printer.result(`${formatAcl(acl)}${withStat ? formatStat(stat) : ''}`, {
      path,
      acl: aclToJson(acl),
      ...(withStat ? { stat: statToJson(stat) } : {}),
    });
  },
};

/** `getEphemerals [path]`: this session's ephemeral nodes under a prefix, as a list. */
export const getEphemeralsCommand: Command = {
  name: 'getEphemerals',
  usage: 'path',
  options: [],
  minArgs: 1,
  needsConnection: true,
  async run(invocation) {
    const prefix = invocation.parsed.args[1];
    const ephemerals = await call(prefix === undefined ? invocation.client.getEphemerals() : invocation.client.getEphemerals(checkPath(prefix)));
    invocation.printer.result(`${javaList(ephemerals)}\n`, { ephemerals });
  },
};

/** `getAllChildrenNumber path`: the number of descendants. */
export const getAllChildrenNumberCommand: Command = {
  name: 'getAllChildrenNumber',
  usage: 'path',
  options: [],
  minArgs: 2,
  needsConnection: true,
  async run(invocation) {
    const path = checkPath(arg(invocation, 1));
    const count = await call(invocation.client.getAllChildrenNumber(path));
    invocation.printer.result(`${count}\n`, { path, count });
  },
};

/** `sync path`: waits until the connected server has caught up with the leader. */
export const syncCommand: Command = {
  name: 'sync',
  usage: 'path',
  options: [],
  minArgs: 2,
  needsConnection: true,
  async run(invocation) {
    const path = checkPath(arg(invocation, 1));
    try {
      await invocation.client.sync(path);
    } catch (error) {
      if (!(error instanceof ZkError)) throw error;
      // zkCli reports the result code on stdout rather than failing.
      invocation.printer.result(`Sync has failed. rc=${error.errno}\n`, { path, synced: false, rc: error.errno });
      return;
    }
    invocation.printer.result('Sync is OK\n', { path, synced: true });
  },
};

/** The dynamic configuration znode `getConfig` reads. */
const CONFIG_NODE = '/zookeeper/config';

/** `config [-c] [-w] [-s]`: the ensemble's dynamic configuration, or with -c the client connect string. */
export const configCommand: Command = {
  name: 'config',
  usage: '[-c] [-w] [-s]',
  options: [flag('c'), flag('w'), flag('s')],
  minArgs: 1,
  needsConnection: true,
  async run(invocation) {
    const watcher = has(invocation, 'w') ? invocation.session.watcher : undefined;
    const { data, stat } = await call(invocation.client.getData(CONFIG_NODE, watcher));
    const text = dataText(data);
    const shown = has(invocation, 'c') ? clientConfig(text) : text;
    const withStat = has(invocation, 's');
    invocation.printer.result(`${shown}\n${withStat ? formatStat(stat) : ''}`, {
      config: shown,
      ...(withStat ? { stat: statToJson(stat) } : {}),
    });
  },
};

/**
 * `ConfigUtils.getClientConfigStr`: `version host:port,host:port` from the dynamic config's
 * `version=` and `server.N=` lines (a client address given only as a port means 0.0.0.0).
 */
export function clientConfig(config: string): string {
  let version = '';
  const addresses: string[] = [];
  for (const line of config.split(/\r?\n/)) {
    const separator = line.indexOf('=');
    if (separator < 0) continue;
    const key = line.slice(0, separator).trim();
    const value = line.slice(separator + 1).trim();
    if (key === 'version') version = value;
    const server = /^server\.(\d+)$/.exec(key);
    if (server === null) continue;
    try {
      const spec = parseServerLine(Number(server[1]), value);
      if (spec.clientPort !== undefined) addresses.push(`${spec.clientHost ?? '0.0.0.0'}:${spec.clientPort}`);
    } catch {
      // ConfigUtils skips lines it cannot parse.
    }
  }
  return `${version} ${addresses.join(',')}`;
}
