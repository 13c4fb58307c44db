/**
 * OrderExpired → give back whatever the order holds, and make sure it never holds anything later:
 * - a RESERVED reservation is released (InventoryReleased, reason "order expired");
 * - no reservation yet (the OrderCreated has not been handled, or was dead-lettered): an EXPIRED
 *   tombstone takes the reservation's key, so a late OrderCreated (redelivered, redriven) finds it and
 *   reserves nothing (reserve.ts writes the reservation only if the key does not exist);
 * - RELEASED, REJECTED or EXPIRED: nothing is held, nothing to do.
 * The tombstone write is conditional; losing the race to a reservation re-reads and releases it.
 */
import type { EventOf } from '../shared/envelope';
import { expireHolding } from '../shared/items';
import { type InventoryDeps, reservationKey } from './keys';
import { releaseReservation } from './release';

export function releaseForExpiry(
  event: EventOf<'OrderExpired'>,
  deps: InventoryDeps,
): Promise<'processed' | 'duplicate'> {
  return expireHolding(event, {
    name: 'reservation',
    table: deps.inventoryTable,
    key: reservationKey(event.orderId),
    holdingStatus: 'RESERVED',
    letGo: (reservation) => releaseReservation(event, reservation, `order expired: ${event.payload.reason}`, deps),
    writtenAtAttribute: 'updatedAt',
  });
}
