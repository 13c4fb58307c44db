/** One human-readable line per history step, from the event's payload. */
import type { AnyEventEnvelope } from '../shared/envelope';
import type { AppliedEvent } from './status';

const money = (m: { amount: number; currency: string }) => `${m.amount} ${m.currency} (minor units)`;

export function describeEvent(event: AnyEventEnvelope): string {
  switch (event.type) {
    case 'OrderCreated':
      return `order placed: ${event.payload.items.length} line(s), total ${money(event.payload.total)}`;
    case 'InventoryReserved':
      return `stock reserved for ${event.payload.items.length} SKU(s)`;
    case 'InventoryRejected':
      return `rejected: ${event.payload.shortages.map((s) => `${s.sku} short (requested ${s.requested}, available ${s.available})`).join('; ')}`;
    case 'InventoryReleased':
      return `stock released: ${event.payload.reason}`;
    case 'PaymentAuthorized':
      return `payment authorized: ${money(event.payload.amount)}`;
    case 'PaymentDeclined':
      return `payment declined (${event.payload.reason}): ${event.payload.message}`;
    case 'PaymentVoided':
      return `payment authorization voided (${event.payload.reason}): ${money(event.payload.amount)}`;
    case 'OrderExpired':
      return `expired (${event.payload.reason}): ${event.payload.message}`;
    case 'NotificationSent':
      return `customer notified by ${event.payload.channel} (${event.payload.template})`;
  }
}

/**
 * What the read model records of an event (status.ts applyEvent): order-view for every consumed event,
 * order-api for the OrderCreated step it writes with the order, so both build the step the same way.
 */
export const appliedEventOf = (event: AnyEventEnvelope): AppliedEvent => ({
  eventId: event.eventId,
  type: event.type,
  occurredAt: event.occurredAt,
  sequence: event.sequence,
  detail: describeEvent(event),
});
