/** payment: authorises the payment for reserved orders (see authorize-payment.ts). */
import { intFromEnv, loadConfig } from '../shared/config';
import { createEventConsumer } from '../shared/kafka-consumer';
import { authorizePayment, declineUnpayable } from './authorize-payment';
import { DEFAULT_LIMIT_MINOR } from './provider';
import { voidForExpiry } from './void-payment';

const config = loadConfig({
  PAYMENTS_TABLE: {},
  ORDERS_TABLE: {},
  IDEMPOTENCY_TABLE: {},
  OUTBOX_TOPIC: {},
  DLQ_URL: {},
  POWERTOOLS_SERVICE_NAME: { default: 'payment' },
});
const deps = {
  paymentsTable: config.PAYMENTS_TABLE,
  ordersTable: config.ORDERS_TABLE,
  outboxTopic: config.OUTBOX_TOPIC,
  source: config.POWERTOOLS_SERVICE_NAME,
  limitMinor: intFromEnv('PAYMENT_LIMIT_MINOR', DEFAULT_LIMIT_MINOR, 0, Number.MAX_SAFE_INTEGER),
};

export const handler = createEventConsumer({
  functionName: config.POWERTOOLS_SERVICE_NAME,
  idempotencyTable: config.IDEMPOTENCY_TABLE,
  dlqUrl: config.DLQ_URL,
  concurrency: intFromEnv('RECORD_CONCURRENCY', 16, 1, 256),
  // The provider call is once-only by the provider's own idempotency key (the order id: ledger.ts), and
  // the payment record is conditional on not existing: no idempotency record needed (README "Performance").
  onceOnly: 'conditional-write',
  reactions: {
    InventoryReserved: (event) => authorizePayment(event, deps),
    OrderExpired: (event) => voidForExpiry(event, deps),
  },
  endOrder: { InventoryReserved: (event, reason) => declineUnpayable(event, reason, deps) },
});
