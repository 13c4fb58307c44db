/**
 * OrderCreated → reserve stock for every line in one transaction (all or nothing): each SKU's
 * `available` is decremented under the condition that enough is left, the reservation is recorded
 * (conditional on not existing: a re-run is a detected duplicate) and InventoryReserved goes to the
 * outbox. If any SKU is short, nothing is reserved and InventoryRejected names the short SKUs (as many as
 * fit the schema's bound on a reason; the shortages list has them all).
 */
import type { CancellationReason, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { v7 as uuidv7 } from 'uuid';
import inventoryRejectedV1 from '../../schemas/events/inventory-rejected/v1.json';
import { boundedList } from '../shared/bounded-text';
import { type EventOf, newEvent } from '../shared/envelope';
import { cancellationReasons, writeOnceWithOutbox, writeWithOutbox } from '../shared/outbox';
import { type InventoryDeps, reservationKey, skuKey } from './keys';

export interface Line {
  readonly sku: string;
  readonly quantity: number;
}

/** One entry per SKU: a transaction may touch each item once, and an order may repeat a SKU. */
function linesBySku(items: readonly Line[]): Line[] {
  const totals = new Map<string, number>();
  for (const { sku, quantity } of items) totals.set(sku, (totals.get(sku) ?? 0) + quantity);
  return [...totals].map(([sku, quantity]) => ({ sku, quantity })).sort((a, b) => a.sku.localeCompare(b.sku));
}

export async function reserveStock(
  event: EventOf<'OrderCreated'>,
  deps: InventoryDeps,
): Promise<'processed' | 'duplicate'> {
  const lines = linesBySku(event.payload.items);
  const reservationId = uuidv7();
  const decrements: TransactWriteItem[] = lines.map(({ sku, quantity }) => ({
    Update: {
      TableName: deps.inventoryTable,
      Key: marshall(skuKey(sku)),
      UpdateExpression: 'SET available = available - :q, reserved = if_not_exists(reserved, :zero) + :q',
      ConditionExpression: 'attribute_exists(pk) AND available >= :q',
      ExpressionAttributeValues: marshall({ ':q': quantity, ':zero': 0 }),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  }));
  const reservation = reservationPut(deps, event, { status: 'RESERVED', reservationId, items: lines });
  const reserved = newEvent({
    type: 'InventoryReserved',
    orderId: event.orderId,
    source: deps.source,
    cause: event,
    payload: { customerId: event.payload.customerId, reservationId, items: lines, total: event.payload.total },
  });
  try {
    await writeWithOutbox(
      deps.ordersTable,
      [reservation, ...decrements],
      [{ event: reserved, topic: deps.outboxTopic }],
    );
    return 'processed';
  } catch (err) {
    const reasons = cancellationReasons(err);
    if (!reasons) throw err;
    if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate'; // reservation exists: done before
    const shortages = shortagesFrom(lines, reasons.slice(1, 1 + lines.length));
    if (shortages.length === 0) throw err; // cancelled for another reason (conflict, throttling): retry
    return reject(
      event,
      shortages,
      boundedList(
        'insufficient stock for ',
        shortages.map((s) => s.sku),
      ),
      deps,
    );
  }
}

/** The schema's bound on the shortages an InventoryRejected may list. */
const MAX_SHORTAGES: number = inventoryRejectedV1.properties.payload.properties.shortages.maxItems;

interface Shortage {
  readonly sku: string;
  readonly requested: number;
  readonly available: number;
}

/**
 * The order's ending when its reservation cannot be built (kafka-consumer `endOrder`): rejected with the
 * reason, nothing reserved. Every line is listed as a shortage with `available: 0` ("none reserved for
 * it"): the schema wants at least one, and the stock that is there was not looked at.
 */
export function rejectUnreservable(
  event: EventOf<'OrderCreated'>,
  reason: string,
  deps: InventoryDeps,
): Promise<'processed' | 'duplicate'> {
  const shortages = linesBySku(event.payload.items).map(({ sku, quantity }) => ({
    sku,
    requested: quantity,
    available: 0,
  }));
  return reject(event, shortages, reason, deps);
}

function shortagesFrom(lines: readonly Line[], reasons: readonly CancellationReason[]): Shortage[] {
  return lines.flatMap((line, i) => {
    const reason = reasons[i];
    if (reason?.Code !== 'ConditionalCheckFailed') return [];
    const available = Number(reason.Item?.available?.N ?? 0);
    return [{ sku: line.sku, requested: line.quantity, available }];
  });
}

async function reject(
  event: EventOf<'OrderCreated'>,
  allShortages: readonly Shortage[],
  reason: string,
  deps: InventoryDeps,
): Promise<'processed' | 'duplicate'> {
  const shortages = allShortages.slice(0, MAX_SHORTAGES);
  const rejected = newEvent({
    type: 'InventoryRejected',
    orderId: event.orderId,
    source: deps.source,
    cause: event,
    payload: {
      customerId: event.payload.customerId,
      reason,
      shortages,
    },
  });
  const record = reservationPut(deps, event, { status: 'REJECTED', shortages, reason });
  return writeOnceWithOutbox(deps.ordersTable, [record], [{ event: rejected, topic: deps.outboxTopic }]);
}

function reservationPut(
  deps: InventoryDeps,
  cause: EventOf<'OrderCreated'>,
  fields: Record<string, unknown>,
): TransactWriteItem {
  return {
    Put: {
      TableName: deps.inventoryTable,
      Item: marshall(
        {
          ...reservationKey(cause.orderId),
          orderId: cause.orderId,
          customerId: cause.payload.customerId,
          causeEventId: cause.eventId,
          updatedAt: new Date().toISOString(),
          ...fields,
        },
        { removeUndefinedValues: true },
      ),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
