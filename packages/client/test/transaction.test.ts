import { describe, expect, test } from 'vitest';
import { CreateMode, OpCode, ZkError } from '@zkts/protocol';
import { type Op, Transaction } from '../src/index.js';
import { Chroot, fromWireResult, planCreate, toWireOp } from '../src/internal.js';

describe('Transaction builder', () => {
  test('collects ops in order and commits a copy of them', async () => {
    const committed: (readonly Op[])[] = [];
    const tx = new Transaction(async (ops) => {
      committed.push(ops);
      return ops.map(() => ({ type: 'check' as const }));
    });
    const signal = new AbortController().signal;
    const results = await tx
      .create('/a', 'x', { mode: 'EPHEMERAL' })
      .delete('/b', 3)
      .setData('/c', null)
      .check('/d', 7)
      .commit({ signal });
    expect(committed[0]).toEqual([
      { type: 'create', path: '/a', data: 'x', mode: 'EPHEMERAL' },
      { type: 'delete', path: '/b', version: 3 },
      { type: 'setData', path: '/c', data: null, version: -1 },
      { type: 'check', path: '/d', version: 7 },
    ]);
    expect(results).toHaveLength(4);
    tx.delete('/e');
    expect(committed[0]).toHaveLength(4);
    expect(tx.ops).toHaveLength(5);
  });
});

describe('toWireOp / fromWireResult', () => {
  const chroot = new Chroot('/root');

  test('ops get the chroot and ZooKeeper op codes; containers and TTLs use their own ops', () => {
    expect(toWireOp({ type: 'create', path: '/a', data: 'x' }, chroot, 'write')).toEqual({
      type: OpCode.create,
      body: { path: '/root/a', data: new TextEncoder().encode('x'), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 0 },
    });
    expect(toWireOp({ type: 'create', path: '/c', mode: 'CONTAINER' }, chroot, 'write').type).toBe(OpCode.createContainer);
    const ttl = toWireOp({ type: 'create', path: '/t', mode: 'PERSISTENT_WITH_TTL', ttlMs: 5 }, chroot, 'write');
    expect(ttl).toMatchObject({ type: OpCode.createTTL, body: { ttl: 5n, flags: CreateMode.PERSISTENT_WITH_TTL } });
    expect(toWireOp({ type: 'delete', path: '/' }, chroot, 'write')).toEqual({ type: OpCode.delete, body: { path: '/root', version: -1 } });
    expect(toWireOp({ type: 'getData', path: '/g' }, chroot, 'read')).toEqual({ type: OpCode.getData, body: { path: '/root/g', watch: false } });
  });

  test('invalid paths and mixed read/write ops are BAD_ARGUMENTS', () => {
    expect(() => toWireOp({ type: 'check', path: 'x', version: 1 }, chroot, 'write')).toThrow(ZkError);
    expect(() => toWireOp({ type: 'getChildren', path: '/x' }, chroot, 'write')).toThrow(/Mixing read and write/);
    expect(() => toWireOp({ type: 'delete', path: '/x' }, chroot, 'read')).toThrow(/Mixing read and write/);
  });

  test('results strip the chroot and name error codes', () => {
    expect(fromWireResult({ type: OpCode.create, err: 0, body: { path: '/root/a' } }, chroot)).toEqual({ type: 'create', path: '/a', stat: undefined });
    expect(fromWireResult({ type: -1, err: -101, body: { err: -101 } }, chroot)).toEqual({ type: 'error', code: 'NO_NODE', errno: -101 });
  });

  test('planCreate picks create, create2, createContainer or createTTL', () => {
    const open = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
    expect(planCreate('/a', 'PERSISTENT', undefined, open, false).op).toBe(OpCode.create);
    expect(planCreate('/a', 'EPHEMERAL_SEQUENTIAL', undefined, open, true)).toEqual({ op: OpCode.create2, flags: 3 });
    expect(planCreate('/a', 'CONTAINER', undefined, open, false).op).toBe(OpCode.createContainer);
    expect(planCreate('/a/', 'PERSISTENT_SEQUENTIAL_WITH_TTL', 1, open, false)).toEqual({ op: OpCode.createTTL, flags: 6 });
    expect(() => planCreate('/a', 'PERSISTENT_WITH_TTL', 2 ** 40, open, false)).toThrow(/ttl must be positive/);
    expect(() => planCreate('/a/', 'PERSISTENT', undefined, open, false)).toThrow(ZkError);
    expect(() => planCreate('/a', 'PERSISTENT', undefined, [], false)).toThrow(expect.objectContaining({ code: 'INVALID_ACL' }));
  });
});
