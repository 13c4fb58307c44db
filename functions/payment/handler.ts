/** payment: authorises the payment for reserved orders (see authorize-payment.ts). */
import { intFromEnv } from '../shared/config';
import { createConsumerHandler } from '../shared/consumer-handler';
import { outboxDepsOf } from '../shared/outbox';
import { authorizePayment, declineUnpayable } from './authorize-payment';
import { DEFAULT_LIMIT_MINOR } from './provider';
import { voidForExpiry } from './void-payment';

export const handler = createConsumerHandler({
  functionId: 'payment',
  variables: { PAYMENTS_TABLE: {}, ORDERS_TABLE: {}, OUTBOX_TOPIC: {} },
  reactions: (config) => {
    const deps = {
      paymentsTable: config.PAYMENTS_TABLE,
      ...outboxDepsOf(config),
      limitMinor: intFromEnv('PAYMENT_LIMIT_MINOR', DEFAULT_LIMIT_MINOR, 0, Number.MAX_SAFE_INTEGER),
    };
    return {
      reactions: {
        InventoryReserved: (event) => authorizePayment(event, deps),
        OrderExpired: (event) => voidForExpiry(event, deps),
      },
      endOrder: { InventoryReserved: (event, reason) => declineUnpayable(event, reason, deps) },
    };
  },
});
