/**
 * OrderExpired → the order must end with no money held, whichever of OrderExpired and
 * InventoryReserved reaches payment first (they travel on different topics, so either order happens):
 * - AUTHORIZED: the authorisation is voided (AUTHORIZED → VOIDED under a condition) and PaymentVoided
 *   goes to the outbox, in one transaction;
 * - no payment yet: an EXPIRED tombstone takes the payment's key, so a late InventoryReserved finds it
 *   and authorises nothing (authorize-payment.ts writes the payment only if the key does not exist);
 * - DECLINED, VOIDED or EXPIRED: nothing is held, nothing to do.
 */
import { type EventOf, newEvent } from '../shared/envelope';
import { expireHolding, statusChange } from '../shared/items';
import { writeOnceWithOutbox } from '../shared/outbox';
import type { PaymentDeps } from './authorize-payment';

const VOIDED_PAYMENT = 'VOIDED';

const paymentKey = (orderId: string) => ({ pk: `PAYMENT#${orderId}` });

export function voidForExpiry(
  event: EventOf<'OrderExpired'>,
  deps: Omit<PaymentDeps, 'limitMinor'>,
): Promise<'processed' | 'duplicate'> {
  return expireHolding(event, {
    name: 'payment',
    table: deps.paymentsTable,
    key: paymentKey(event.orderId),
    holdingStatus: 'AUTHORIZED',
    letGo: (payment) => voidAuthorization(event, payment, deps),
    writtenAtAttribute: 'createdAt',
  });
}

async function voidAuthorization(
  event: EventOf<'OrderExpired'>,
  payment: Record<string, unknown>,
  deps: Omit<PaymentDeps, 'limitMinor'>,
): Promise<'processed' | 'duplicate'> {
  const voided = newEvent({
    type: 'PaymentVoided',
    orderId: event.orderId,
    source: deps.source,
    cause: event,
    payload: {
      customerId: event.payload.customerId,
      paymentId: String(payment.paymentId),
      amount: payment.amount as { amount: number; currency: string },
      reason: 'ORDER_EXPIRED',
    },
  });
  const markVoided = statusChange(deps.paymentsTable, paymentKey(event.orderId), {
    from: 'AUTHORIZED',
    to: VOIDED_PAYMENT,
    atAttribute: 'voidedAt',
    byAttribute: 'voidedBy',
    causeEventId: event.eventId,
  });
  return writeOnceWithOutbox(deps.ordersTable, [markVoided], [{ event: voided, topic: deps.outboxTopic }]);
}
