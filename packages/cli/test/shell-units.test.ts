/**
 * The shell's pure parts: command-line splitting, option parsing, ACL parsing and zkCli's
 * output formats.
 */
import { describe, expect, test } from 'vitest';
import { parseAcl } from '../src/shell/acl-parser.js';
import { parseCommandArgs } from '../src/shell/command-args.js';
import { clientConfig } from '../src/shell/commands/read-commands.js';
import { formatAcl, formatEvent, formatStat, javaDate, javaHex, javaList, permString } from '../src/shell/format.js';
import { parseShellArgs } from '../src/shell/shell-options.js';
import { tokenize } from '../src/shell/tokenize.js';
import { CliError, describeZkError } from '../src/shell/cli-error.js';
import { ZkError } from '@zkts/protocol';

describe('tokenize', () => {
  test('splits on white space and keeps quoted groups whole', () => {
    expect(tokenize('  create /a  "two words"  \'single quoted\' ')).toEqual(['create', '/a', 'two words', 'single quoted']);
    expect(tokenize('set /x ""')).toEqual(['set', '/x', '']);
    expect(tokenize('')).toEqual([]);
  });

  test('a quote inside a word does not start a group, and a stray quote is skipped (ARGS_PATTERN)', () => {
    expect(tokenize('set /x ab"c d"')).toEqual(['set', '/x', 'ab"c', 'd"']);
    expect(tokenize('get "/x')).toEqual(['get', '/x']);
  });
});

describe('parseCommandArgs', () => {
  const specs = [
    { letter: 's', takesValue: false },
    { letter: 'e', takesValue: false },
    { letter: 'v', takesValue: true },
  ];

  test('options anywhere, combined flags, attached and separate values', () => {
    const parsed = parseCommandArgs(['set', '/x', '-s', 'data', '-v', '3'], specs);
    expect(parsed.args).toEqual(['set', '/x', 'data']);
    expect(parsed.options.get('s')).toBe(true);
    expect(parsed.options.get('v')).toBe('3');
    expect(parseCommandArgs(['create', '-es', '/x'], specs).options).toEqual(new Map([['e', true], ['s', true]]));
    expect(parseCommandArgs(['set', '-v7', '/x'], specs).options.get('v')).toBe('7');
    expect(parseCommandArgs(['set', '-v', '-1', '/x'], specs).options.get('v')).toBe('-1');
  });

  test('-- ends options; a lone dash is a word', () => {
    expect(parseCommandArgs(['set', '--', '/x', '-s'], specs).args).toEqual(['set', '/x', '-s']);
    expect(parseCommandArgs(['set', '/x', '-'], specs).args).toEqual(['set', '/x', '-']);
  });

  test('unknown options and missing values fail with commons-cli messages', () => {
    expect(() => parseCommandArgs(['ls', '-x', '/'], specs)).toThrow('org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -x');
    expect(() => parseCommandArgs(['ls', '-sx', '/'], specs)).toThrow('Unrecognized option: -sx');
    expect(() => parseCommandArgs(['set', '/x', 'd', '-v'], specs)).toThrow('org.apache.commons.cli.MissingArgumentException: Missing argument for option: v');
    expect(() => parseCommandArgs(['set', '-v', '-s'], specs)).toThrow('Missing argument for option: v');
  });

  test('a value option takes the next word even if it looks like a path, as DefaultParser does', () => {
    expect(parseCommandArgs(['set', '-v', '/x'], specs)).toEqual({ args: ['set'], options: new Map([['v', '/x']]) });
  });
});

describe('parseAcl', () => {
  test('scheme:id:perms lists; the id is between the first and the last colon', () => {
    const warnings: string[] = [];
    expect(parseAcl('world:anyone:cdrwa,digest:u:hash=:r,ip:127.0.0.1:rw,auth::a', (w) => warnings.push(w))).toEqual([
      { id: { scheme: 'world', id: 'anyone' }, perms: 31 },
      { id: { scheme: 'digest', id: 'u:hash=' }, perms: 1 },
      { id: { scheme: 'ip', id: '127.0.0.1' }, perms: 3 },
      { id: { scheme: 'auth', id: '' }, perms: 16 },
    ]);
    expect(warnings).toEqual([]);
  });

  test('malformed entries and unknown letters are warned about and skipped', () => {
    const warnings: string[] = [];
    expect(parseAcl('bad,world:anyone:rxz', (w) => warnings.push(w))).toEqual([{ id: { scheme: 'world', id: 'anyone' }, perms: 1 }]);
    expect(warnings).toEqual(['bad does not have the form scheme:id:perm', 'Unknown perm type: x', 'Unknown perm type: z']);
  });
});

describe('formats', () => {
  test('Java Date.toString in UTC', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'UTC';
    try {
      expect(javaDate(0)).toBe('Thu Jan 01 00:00:00 UTC 1970');
      expect(javaDate(Date.UTC(2026, 10, 22, 4, 15, 8))).toBe('Sun Nov 22 04:15:08 UTC 2026');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  test('Long.toHexString of negative values is two’s complement', () => {
    expect(javaHex(0n)).toBe('0');
    expect(javaHex(0x1000002a3b40000n)).toBe('1000002a3b40000');
    expect(javaHex(-1n)).toBe('ffffffffffffffff');
  });

  test('Stat lines in StatPrinter order', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'UTC';
    try {
      const text = formatStat({ czxid: 2n, mzxid: 5n, ctime: 0n, mtime: 1000n, version: 1, cversion: 2, aversion: 3, ephemeralOwner: 0x100n, dataLength: 5, numChildren: 2, pzxid: 7n });
      expect(text).toBe(
        'cZxid = 0x2\nctime = Thu Jan 01 00:00:00 UTC 1970\nmZxid = 0x5\nmtime = Thu Jan 01 00:00:01 UTC 1970\npZxid = 0x7\n' +
          'cversion = 2\ndataVersion = 1\naclVersion = 3\nephemeralOwner = 0x100\ndataLength = 5\nnumChildren = 2\n',
      );
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  test('ACL entries as jute prints Ids, with its escapes', () => {
    expect(formatAcl([{ id: { scheme: 'world', id: 'anyone' }, perms: 31 }])).toBe("'world,'anyone\n: cdrwa\n");
    expect(formatAcl([{ id: { scheme: 'x', id: 'a,b%c}d\ne' }, perms: 0 }])).toBe("'x,'a%2Cb%25c%7Dd%0Ae\n: \n");
    expect(permString(1 | 2)).toBe('rw');
    expect(permString(4 | 8 | 16)).toBe('cda');
  });

  test('lists and events', () => {
    expect(javaList([])).toBe('[]');
    expect(javaList(['a', 'b'])).toBe('[a, b]');
    expect(formatEvent({ type: 'NodeDataChanged', state: 'SyncConnected', path: '/x', zxid: 5n })).toBe('WatchedEvent state:SyncConnected type:NodeDataChanged path:/x');
    expect(formatEvent({ type: 'None', state: 'Closed', path: null, zxid: -1n })).toBe('WatchedEvent state:Closed type:None path:null');
  });

  test('config -c: version and client addresses of the dynamic config', () => {
    const config = 'server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181\nserver.2=h2:2888:3888;2182\nversion=100000000';
    expect(clientConfig(config)).toBe('100000000 127.0.0.1:2181,0.0.0.0:2182');
    expect(clientConfig('')).toBe(' ');
  });
});

describe('error messages', () => {
  test('CliWrapperException wording, KeeperException for the rest', () => {
    expect(describeZkError(new ZkError('NO_NODE', { path: '/x' }))).toBe('Node does not exist: /x');
    expect(describeZkError(new ZkError('NODE_EXISTS', { path: '/x' }))).toBe('Node already exists: /x');
    expect(describeZkError(new ZkError('BAD_VERSION', { path: '/x' }))).toBe('version No is not valid : /x');
    expect(describeZkError(new ZkError('NOT_EMPTY', { path: '/x' }))).toBe('Node not empty: /x');
    expect(describeZkError(new ZkError('NO_AUTH', { path: '/x' }))).toBe('Insufficient permission : /x');
    expect(describeZkError(new ZkError('INVALID_ACL'))).toBe('Acl is not valid : null');
    expect(describeZkError(new ZkError('CONNECTION_LOSS', { path: '/x' }))).toBe('KeeperErrorCode = ConnectionLoss for /x');
    expect(describeZkError(new ZkError('NO_WATCHER', { path: '/w' }))).toBe('KeeperErrorCode = No such watcher for /w');
  });
});

describe('parseShellArgs', () => {
  test('zkCli defaults, options, then the command with all remaining words', () => {
    expect(parseShellArgs([])).toEqual({ server: 'localhost:2181', sessionTimeoutMs: 30_000, readOnly: false, json: false, help: false, command: undefined });
    expect(parseShellArgs(['-server', 'h:1,h:2/app', '-timeout', '5000', '-r', '--json', 'ls', '-s', '/'])).toEqual({
      server: 'h:1,h:2/app',
      sessionTimeoutMs: 5000,
      readOnly: true,
      json: true,
      help: false,
      command: ['ls', '-s', '/'],
    });
  });

  test('bad invocations', () => {
    expect(() => parseShellArgs(['-server'])).toThrow('Error: no argument found for option -server');
    expect(() => parseShellArgs(['-timeout', 'soon'])).toThrow(CliError);
    expect(() => parseShellArgs(['-bogus'])).toThrow('Error: unknown option -bogus');
  });
});
