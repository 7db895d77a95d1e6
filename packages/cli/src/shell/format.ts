/**
 * Text formats of zkCli.sh (ZooKeeper 3.8's `StatPrinter`, `GetAclCommand`, `WatchedEvent.toString`,
 * jute's `ToStringOutputArchive`), so scripts written against zkCli's output keep working, and
 * the JSON shapes `--json` prints instead.
 * @module
 */
import type { ACL, Id, Stat } from '@zkts/protocol';
import { Perms } from '@zkts/protocol';
import type { WatchedEvent } from '@zkts/client';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** `Long.toHexString`: a 64-bit value in two's complement, lower-case hex without padding. */
export function javaHex(value: bigint): string {
  return BigInt.asUintN(64, value).toString(16);
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** The local time zone's short name at a given instant (`UTC`, `PST`, `GMT+1` …). */
function zoneName(date: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(date).find((p) => p.type === 'timeZoneName');
  return part?.value ?? 'UTC';
}

/**
 * `java.util.Date.toString()` in the local time zone: `EEE MMM dd HH:mm:ss zzz yyyy`, e.g.
 * `Sun Nov 22 04:15:08 UTC 2026`. Zone names come from `Intl`, which agrees with Java for UTC
 * and most US zones but writes `GMT+1` where Java writes `CET`.
 */
export function javaDate(epochMs: number): string {
  const date = new Date(epochMs);
  const time = `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}`;
  return `${WEEKDAYS[date.getDay()]} ${MONTHS[date.getMonth()]} ${twoDigits(date.getDate())} ${time} ${zoneName(date)} ${date.getFullYear()}`;
}

/** `StatPrinter.print`: the eleven Stat fields, one `name = value` line each. */
export function formatStat(stat: Stat): string {
  return (
    `cZxid = 0x${javaHex(stat.czxid)}\n` +
    `ctime = ${javaDate(Number(stat.ctime))}\n` +
    `mZxid = 0x${javaHex(stat.mzxid)}\n` +
    `mtime = ${javaDate(Number(stat.mtime))}\n` +
    `pZxid = 0x${javaHex(stat.pzxid)}\n` +
    `cversion = ${stat.cversion}\n` +
    `dataVersion = ${stat.version}\n` +
    `aclVersion = ${stat.aversion}\n` +
    `ephemeralOwner = 0x${javaHex(stat.ephemeralOwner)}\n` +
    `dataLength = ${stat.dataLength}\n` +
    `numChildren = ${stat.numChildren}\n`
  );
}

/** `ToStringOutputArchive.escapeString`: a leading quote, and the characters CSV would break on as `%XX`. */
function juteString(value: string): string {
  return `'${value.replace(/[\0\n\r,}%]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}`;
}

/** `Id.toString()`, jute's record format: `'world,'anyone` and a line break. */
export function formatId(id: Id): string {
  return `${juteString(id.scheme)},${juteString(id.id)}\n`;
}

/** `ZKUtil.getPermString`: the granted permissions in the order `cdrwa`. */
export function permString(perms: number): string {
  return (
    ((perms & Perms.CREATE) !== 0 ? 'c' : '') +
    ((perms & Perms.DELETE) !== 0 ? 'd' : '') +
    ((perms & Perms.READ) !== 0 ? 'r' : '') +
    ((perms & Perms.WRITE) !== 0 ? 'w' : '') +
    ((perms & Perms.ADMIN) !== 0 ? 'a' : '')
  );
}

/** `getAcl`'s lines: each entry as `Id.toString() + ": " + perms`. */
export function formatAcl(acl: readonly ACL[]): string {
  return acl.map((entry) => `${formatId(entry.id)}: ${permString(entry.perms)}\n`).join('');
}

/** `java.util.List.toString()`: `[a, b]`. */
export function javaList(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}

/** `WatchedEvent.toString()` of ZooKeeper 3.8. */
export function formatEvent(event: WatchedEvent): string {
  return `WatchedEvent state:${event.state} type:${event.type} path:${event.path ?? 'null'}`;
}

/** A Stat for `--json`: 64-bit ids as `0x` hex strings as ZooKeeper shows them, times in ms since the epoch. */
export function statToJson(stat: Stat): Record<string, string | number> {
  return {
    czxid: `0x${javaHex(stat.czxid)}`,
    mzxid: `0x${javaHex(stat.mzxid)}`,
    pzxid: `0x${javaHex(stat.pzxid)}`,
    ctime: Number(stat.ctime),
    mtime: Number(stat.mtime),
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    ephemeralOwner: `0x${javaHex(stat.ephemeralOwner)}`,
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
  };
}

/** An ACL for `--json`: scheme, id and the `cdrwa` permission letters. */
export function aclToJson(acl: readonly ACL[]): Array<{ scheme: string; id: string; perms: string }> {
  return acl.map((entry) => ({ scheme: entry.id.scheme, id: entry.id.id, perms: permString(entry.perms) }));
}

/** Node data as zkCli prints it: UTF-8 with replacement characters, `null` for null data. */
export function dataText(data: Uint8Array | null): string {
  return data === null ? 'null' : new TextDecoder().decode(data);
}
