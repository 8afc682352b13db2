/** The stored tree of the audit log as the pure core reads it: node ids as bigint, hashes as bytes. */
import { AuditError } from '../errors.js';
import type { StoreOperations } from '../store/store.js';
import type { NodeReader } from './tree.js';

/** A number the store can hold (the store keeps indices below 2^53). */
export function storeIndex(value: bigint): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new AuditError('ZICHT_AUDIT_RANGE_INVALID');
  return Number(value);
}

/** Reads complete-subtree hashes from the store (or a transaction), one query per call. */
export function storeNodeReader(store: Pick<StoreOperations, 'readLogNodes'>): NodeReader {
  return async (ids) => {
    const hashes = await store.readLogNodes(ids.map((id) => ({ level: id.level, index: storeIndex(id.index) })));
    return hashes.map((hex) => Buffer.from(hex, 'hex'));
  };
}
