/** order-view: keeps the order read model (status + history) from every domain topic (see update-view.ts). */
import { topics } from '../../lib/topology';
import { type ConsumerHandlerSpec, createConsumerHandler } from '../shared/consumer-handler';
import type { Reactions } from '../shared/kafka-consumer';
import { updateOrderView } from './update-view';

// Every event type on every topic moves or annotates the read model, except OrderCreated: order-api
// writes the order item with that step already applied, in the transaction that emits the event.
const VIEWED_TYPES = Object.values(topics)
  .flatMap((t) => t.eventTypes)
  .filter((type) => type !== 'OrderCreated');

/** order-view as a consumer (exported so another build of it can be made: test/fixtures/lambda-handlers). */
export const orderViewConsumer = {
  functionId: 'order-view',
  variables: { ORDERS_TABLE: {} },
  // The update is conditional on the version read and skips an event id already in the history
  // (update-view.ts): a redelivery or a concurrent duplicate applies once without an idempotency record.
  onceOnly: 'conditional-write',
  reactions: (config) => {
    const update = (event: Parameters<typeof updateOrderView>[1]) => updateOrderView(config.ORDERS_TABLE, event);
    const reactions: Reactions = Object.fromEntries(VIEWED_TYPES.map((type) => [type, update]));
    return { reactions };
  },
} satisfies ConsumerHandlerSpec<{ ORDERS_TABLE: object }>;

export const handler = createConsumerHandler(orderViewConsumer);
