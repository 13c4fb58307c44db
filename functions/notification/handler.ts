/** notification: records the customer notification for each final saga outcome (see notify.ts). */
import { intFromEnv, loadConfig } from '../shared/config';
import { createEventConsumer } from '../shared/kafka-consumer';
import { notifyCustomer } from './notify';

const config = loadConfig({
  NOTIFICATIONS_TABLE: {},
  ORDERS_TABLE: {},
  IDEMPOTENCY_TABLE: {},
  OUTBOX_TOPIC: {},
  DLQ_URL: {},
  POWERTOOLS_SERVICE_NAME: { default: 'notification' },
});
const deps = {
  notificationsTable: config.NOTIFICATIONS_TABLE,
  ordersTable: config.ORDERS_TABLE,
  outboxTopic: config.OUTBOX_TOPIC,
  source: config.POWERTOOLS_SERVICE_NAME,
};
const notify = (event: Parameters<typeof notifyCustomer>[0]) => notifyCustomer(event, deps);

export const handler = createEventConsumer({
  functionName: config.POWERTOOLS_SERVICE_NAME,
  idempotencyTable: config.IDEMPOTENCY_TABLE,
  dlqUrl: config.DLQ_URL,
  concurrency: intFromEnv('RECORD_CONCURRENCY', 16, 1, 256),
  reactions: { PaymentAuthorized: notify, PaymentDeclined: notify, InventoryRejected: notify },
});
