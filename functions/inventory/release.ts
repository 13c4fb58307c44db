/**
 * PaymentDeclined (or OrderExpired, see expire.ts) → release the order's reservation (compensation):
 * the reservation moves RESERVED → RELEASED under a condition (a re-run, or the other compensation
 * having released it first, is a detected duplicate), every SKU gets its quantity back, and
 * InventoryReleased goes to the outbox, all in one transaction.
 */
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { boundedText } from '../shared/bounded-text';
import { type EventOf, newEvent } from '../shared/envelope';
import { PermanentError } from '../shared/errors';
import { readItem, statusChange } from '../shared/items';
import { writeOnceWithOutbox } from '../shared/outbox';
import { type InventoryDeps, reservationKey, skuKey } from './keys';
import type { Line } from './reserve';

export async function releaseStock(
  event: EventOf<'PaymentDeclined'>,
  deps: InventoryDeps,
): Promise<'processed' | 'duplicate'> {
  const reservation = await readItem(deps.inventoryTable, reservationKey(event.orderId));
  if (reservation?.status === 'RELEASED') return 'duplicate';
  if (reservation?.status !== 'RESERVED') {
    throw new PermanentError('BUSINESS_RULE', `order ${event.orderId} has no active reservation to release`);
  }
  return releaseReservation(event, reservation, boundedText(`payment declined: ${event.payload.reason}`), deps);
}

/** Releases a RESERVED reservation (read by the caller) because of `cause`; 'duplicate' if already released. */
export async function releaseReservation(
  cause: EventOf<'PaymentDeclined' | 'OrderExpired'>,
  reservation: Record<string, unknown>,
  reason: string,
  deps: InventoryDeps,
): Promise<'processed' | 'duplicate'> {
  const event = cause;
  const items = reservation.items as Line[];
  const restore: TransactWriteItem[] = items.map(({ sku, quantity }) => ({
    Update: {
      TableName: deps.inventoryTable,
      Key: marshall(skuKey(sku)),
      UpdateExpression: 'SET available = available + :q, reserved = reserved - :q',
      ExpressionAttributeValues: marshall({ ':q': quantity }),
    },
  }));
  const markReleased = statusChange(deps.inventoryTable, reservationKey(event.orderId), {
    from: 'RESERVED',
    to: 'RELEASED',
    atAttribute: 'updatedAt',
    byAttribute: 'releasedBy',
    causeEventId: event.eventId,
  });
  const released = newEvent({
    type: 'InventoryReleased',
    orderId: event.orderId,
    source: deps.source,
    cause: event,
    payload: {
      customerId: event.payload.customerId,
      reservationId: String(reservation.reservationId),
      items,
      reason,
    },
  });
  return writeOnceWithOutbox(
    deps.ordersTable,
    [markReleased, ...restore],
    [{ event: released, topic: deps.outboxTopic }],
  );
}
