import type { ACL } from '@zkts/protocol';
import type { CreateModeName } from './create-mode.js';
import type { NodeData } from './data.js';
import type { Op, OpResult } from './multi-op.js';

/** Options of {@link Transaction.create}. */
export interface TransactionCreateOptions {
  readonly mode?: CreateModeName;
  readonly acl?: readonly ACL[];
  readonly ttlMs?: number;
}

/**
 * Collects write ops and commits them as one atomic multi (ZooKeeper's `Transaction`):
 * `client.transaction().create('/a').setData('/b', 'x', 3).commit()`. Either every op
 * applies or none does; a failure rejects with a {@link MultiError}.
 */
export class Transaction {
  private readonly collected: Op[] = [];

  /** @param run - commits the ops; supplied by the client. */
  constructor(private readonly run: (ops: readonly Op[], options: { signal?: AbortSignal }) => Promise<OpResult[]>) {}

  /** The ops collected so far, in order. */
  get ops(): readonly Op[] {
    return this.collected;
  }

  /** Adds a create. */
  create(path: string, data?: NodeData, options: TransactionCreateOptions = {}): this {
    this.collected.push({ type: 'create', path, data, ...options });
    return this;
  }

  /** Adds a delete; version −1 (the default) matches any. */
  delete(path: string, version = -1): this {
    this.collected.push({ type: 'delete', path, version });
    return this;
  }

  /** Adds a setData; version −1 (the default) matches any. */
  setData(path: string, data: NodeData, version = -1): this {
    this.collected.push({ type: 'setData', path, data, version });
    return this;
  }

  /** Adds a version check. */
  check(path: string, version: number): this {
    this.collected.push({ type: 'check', path, version });
    return this;
  }

  /** Sends the ops as one multi and resolves with one result per op. */
  commit(options: { signal?: AbortSignal } = {}): Promise<OpResult[]> {
    return this.run([...this.collected], options);
  }
}
