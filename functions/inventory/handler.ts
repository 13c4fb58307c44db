/** inventory: reserves stock on OrderCreated, releases it on PaymentDeclined (see reserve.ts, release.ts). */
import { intFromEnv, loadConfig } from '../shared/config';
import { createEventConsumer } from '../shared/kafka-consumer';
import { releaseForExpiry } from './expire';
import { releaseStock } from './release';
import { rejectUnreservable, reserveStock } from './reserve';

const config = loadConfig({
  INVENTORY_TABLE: {},
  ORDERS_TABLE: {},
  IDEMPOTENCY_TABLE: {},
  OUTBOX_TOPIC: {},
  DLQ_URL: {},
  POWERTOOLS_SERVICE_NAME: { default: 'inventory' },
});
const deps = {
  inventoryTable: config.INVENTORY_TABLE,
  ordersTable: config.ORDERS_TABLE,
  outboxTopic: config.OUTBOX_TOPIC,
  source: config.POWERTOOLS_SERVICE_NAME,
};

export const handler = createEventConsumer({
  functionName: config.POWERTOOLS_SERVICE_NAME,
  idempotencyTable: config.IDEMPOTENCY_TABLE,
  dlqUrl: config.DLQ_URL,
  concurrency: intFromEnv('RECORD_CONCURRENCY', 16, 1, 256),
  // Every effect is DynamoDB-only and its transaction carries its once-only condition (the reservation
  // key must not exist; a release needs RESERVED): no idempotency record needed (README "Performance").
  onceOnly: 'conditional-write',
  reactions: {
    OrderCreated: (event) => reserveStock(event, deps),
    PaymentDeclined: (event) => releaseStock(event, deps),
    OrderExpired: (event) => releaseForExpiry(event, deps),
  },
  // A release has no other ending: CANCELLING waits for it (its one free text is bounded).
  endOrder: { OrderCreated: (event, reason) => rejectUnreservable(event, reason, deps) },
});
