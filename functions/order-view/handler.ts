/** order-view: keeps the order read model (status + history) from every domain topic (see update-view.ts). */
import { topics } from '../../lib/topology';
import { intFromEnv, loadConfig } from '../shared/config';
import { createEventConsumer, type Reactions } from '../shared/kafka-consumer';
import { updateOrderView } from './update-view';

const config = loadConfig({
  ORDERS_TABLE: {},
  IDEMPOTENCY_TABLE: {},
  DLQ_URL: {},
  POWERTOOLS_SERVICE_NAME: { default: 'order-view' },
});

// Every event type on every topic moves or annotates the read model, except OrderCreated: order-api
// writes the order item with that step already applied, in the transaction that emits the event.
const VIEWED_TYPES = Object.values(topics)
  .flatMap((t) => t.eventTypes)
  .filter((type) => type !== 'OrderCreated');
const reactions: Reactions = Object.fromEntries(
  VIEWED_TYPES.map((type) => [
    type,
    (event: Parameters<typeof updateOrderView>[1]) => updateOrderView(config.ORDERS_TABLE, event),
  ]),
);

export const handler = createEventConsumer({
  functionName: config.POWERTOOLS_SERVICE_NAME,
  idempotencyTable: config.IDEMPOTENCY_TABLE,
  dlqUrl: config.DLQ_URL,
  concurrency: intFromEnv('RECORD_CONCURRENCY', 16, 1, 256),
  // The update is conditional on the version read and skips an event id already in the history
  // (update-view.ts): a redelivery or a concurrent duplicate applies once without an idempotency record.
  onceOnly: 'conditional-write',
  reactions,
});
