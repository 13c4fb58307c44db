/**
 * OrderExpired → give back whatever the order holds, and make sure it never holds anything later:
 * - a RESERVED reservation is released (InventoryReleased, reason "order expired");
 * - no reservation yet (the OrderCreated has not been handled, or was dead-lettered): an EXPIRED
 *   tombstone takes the reservation's key, so a late OrderCreated (redelivered, redriven) finds it and
 *   reserves nothing (reserve.ts writes the reservation only if the key does not exist);
 * - RELEASED, REJECTED or EXPIRED: nothing is held, nothing to do.
 * The tombstone write is conditional; losing the race to a reservation re-reads and releases it.
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamoDb } from '../shared/aws-clients';
import type { EventOf } from '../shared/envelope';
import { isConditionFailure } from '../shared/errors';
import { type InventoryDeps, reservationKey } from './keys';
import { releaseReservation } from './release';

const EXPIRED_RESERVATION = 'EXPIRED';

export async function releaseForExpiry(
  event: EventOf<'OrderExpired'>,
  deps: InventoryDeps,
): Promise<'processed' | 'duplicate'> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const out = await dynamoDb().send(
      new GetItemCommand({
        TableName: deps.inventoryTable,
        Key: marshall(reservationKey(event.orderId)),
        ConsistentRead: true,
      }),
    );
    const reservation = out.Item ? unmarshall(out.Item) : undefined;
    if (reservation?.status === 'RESERVED') {
      return releaseReservation(event, reservation, `order expired: ${event.payload.reason}`, deps);
    }
    if (reservation) return 'duplicate';
    try {
      await dynamoDb().send(
        new PutItemCommand({
          TableName: deps.inventoryTable,
          Item: marshall({
            ...reservationKey(event.orderId),
            orderId: event.orderId,
            customerId: event.payload.customerId,
            status: EXPIRED_RESERVATION,
            causeEventId: event.eventId,
            updatedAt: new Date().toISOString(),
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'processed';
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      // A reservation was written in between: read it again and release it.
    }
  }
  throw new Error(`order ${event.orderId}: reservation kept changing while expiring it`);
}
