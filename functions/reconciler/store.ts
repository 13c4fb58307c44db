/**
 * The reconciler's reads: open orders from the sparse open-orders index (a Query per shard, never a
 * scan), one order item, its outbox events, and the inventory reservation and payment of an order.
 */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { OPEN_ORDERS_INDEX, OPEN_SHARD_ATTRIBUTE, OUTBOX_KEY_PREFIX } from '../../lib/topology';
import { type OrderItem, orderKey } from '../order-api/order-model';
import { dynamoDb } from '../shared/aws-clients';
import type { AnyEventEnvelope } from '../shared/envelope';
import { readItem } from '../shared/items';
import { openShards } from '../shared/open-orders';

export interface ReconcilerTables {
  readonly ordersTable: string;
  readonly inventoryTable: string;
  readonly paymentsTable: string;
}

/** What the index holds per open order (its projection, lib/topology.ts). */
export interface OpenOrderEntry {
  readonly orderId: string;
  readonly createdAt: string;
}

/**
 * Open orders created before `createdBefore`, oldest first per shard, at most `limit` in all (an even
 * share per shard, so one busy shard cannot starve the others; the rest waits for the next run).
 */
export async function openOrdersCreatedBefore(
  ordersTable: string,
  createdBefore: Date,
  limit: number,
): Promise<OpenOrderEntry[]> {
  const found: OpenOrderEntry[] = [];
  const perShard = Math.max(1, Math.ceil(limit / openShards.length));
  for (const shard of openShards) {
    const mine: OpenOrderEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await dynamoDb().send(
        new QueryCommand({
          TableName: ordersTable,
          IndexName: OPEN_ORDERS_INDEX,
          KeyConditionExpression: '#shard = :shard AND createdAt < :before',
          ExpressionAttributeNames: { '#shard': OPEN_SHARD_ATTRIBUTE },
          ExpressionAttributeValues: marshall({ ':shard': shard, ':before': createdBefore.toISOString() }),
          ScanIndexForward: true,
          Limit: perShard - mine.length,
          ...(start ? { ExclusiveStartKey: marshall(start) } : {}),
        }),
      );
      for (const item of out.Items ?? []) {
        const entry = unmarshall(item);
        mine.push({ orderId: String(entry.orderId), createdAt: String(entry.createdAt) });
      }
      start = out.LastEvaluatedKey ? unmarshall(out.LastEvaluatedKey) : undefined;
    } while (start && mine.length < perShard);
    found.push(...mine);
  }
  return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).slice(0, limit);
}

/** Creation time of the oldest open order (one item per shard), or undefined when none is open. */
export async function oldestOpenOrderCreatedAt(ordersTable: string): Promise<string | undefined> {
  const firsts = await Promise.all(
    openShards.map(async (shard) => {
      const out = await dynamoDb().send(
        new QueryCommand({
          TableName: ordersTable,
          IndexName: OPEN_ORDERS_INDEX,
          KeyConditionExpression: '#shard = :shard',
          ExpressionAttributeNames: { '#shard': OPEN_SHARD_ATTRIBUTE },
          ExpressionAttributeValues: marshall({ ':shard': shard }),
          ScanIndexForward: true,
          Limit: 1,
        }),
      );
      const item = out.Items?.[0];
      return item ? String(unmarshall(item).createdAt) : undefined;
    }),
  );
  return firsts.filter((c): c is string => c !== undefined).sort()[0];
}

export async function readOrder(ordersTable: string, orderId: string): Promise<OrderItem | undefined> {
  const item = await readItem(ordersTable, orderKey(orderId));
  return item?.entityType === 'ORDER' ? (item as unknown as OrderItem) : undefined;
}

/** The order's outbox items as stored (with their re-drive marks), every page. */
export async function outboxItemsOf(ordersTable: string, orderId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await dynamoDb().send(
      new QueryCommand({
        TableName: ordersTable,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: marshall({ ':pk': `${OUTBOX_KEY_PREFIX}${orderId}` }),
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: marshall(start) } : {}),
      }),
    );
    for (const item of out.Items ?? []) items.push(unmarshall(item));
    start = out.LastEvaluatedKey ? unmarshall(out.LastEvaluatedKey) : undefined;
  } while (start);
  return items;
}

/** The order's outbox events (every event any function emitted for it), in causal order. */
export async function outboxEvents(ordersTable: string, orderId: string): Promise<AnyEventEnvelope[]> {
  const events = (await outboxItemsOf(ordersTable, orderId)).map(
    (item) => JSON.parse(String(item.envelope)) as AnyEventEnvelope,
  );
  return events.sort((a, b) => a.sequence - b.sequence || a.eventId.localeCompare(b.eventId));
}

/** Status of the order's inventory reservation and payment (undefined = none written yet). */
export async function compensationState(
  tables: ReconcilerTables,
  orderId: string,
): Promise<{ reservation?: string; payment?: string }> {
  const [reservation, payment] = await Promise.all([
    readItem(tables.inventoryTable, { pk: `RESERVATION#${orderId}` }),
    readItem(tables.paymentsTable, { pk: `PAYMENT#${orderId}` }),
  ]);
  return {
    ...(reservation ? { reservation: String(reservation.status) } : {}),
    ...(payment ? { payment: String(payment.status) } : {}),
  };
}
