/**
 * The open-order marker (lib/topology.ts OPEN_ORDERS_INDEX): the attributes that put an order item in
 * the sparse index of open orders. Written with the order (order-api), kept up to date while the order
 * moves (order-view: lastProgressAt), removed when it is final (order-view) or, for an EXPIRED order,
 * once its compensations are done (reconciler). Shared so all three agree on names and shards.
 */
import { createHash } from 'node:crypto';
import { OPEN_ORDER_SHARDS, OPEN_SHARD_ATTRIBUTE } from '../../lib/topology';

/** Time of the last applied event (or the creation); the reconciler re-drives orders where it is old. */
export const LAST_PROGRESS_ATTRIBUTE = 'lastProgressAt';
/** Time of the last re-drive; at most one per re-drive deadline. */
export const LAST_REDRIVE_ATTRIBUTE = 'lastRedriveAt';

/** Every shard's partition-key value, e.g. OPEN#0..OPEN#3. */
export const openShards: readonly string[] = Array.from({ length: OPEN_ORDER_SHARDS }, (_, i) => `OPEN#${i}`);

/** The shard of an order: stable, spread evenly (first byte of a hash of the id). */
function openShardOf(orderId: string): string {
  const byte = createHash('sha256').update(orderId).digest()[0] as number;
  return openShards[byte % OPEN_ORDER_SHARDS] as string;
}

/** The marker attributes a new order is written with. */
export function openOrderMarker(orderId: string, createdAt: string): Record<string, string> {
  return { [OPEN_SHARD_ATTRIBUTE]: openShardOf(orderId), [LAST_PROGRESS_ATTRIBUTE]: createdAt };
}
