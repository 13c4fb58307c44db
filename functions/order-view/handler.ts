/** order-view: keeps the order read model (status + history) from every domain topic (see update-view.ts). */
import { topics } from '../../lib/topology';
import { createConsumerHandler } from '../shared/consumer-handler';
import type { Reactions } from '../shared/kafka-consumer';
import { updateOrderView } from './update-view';

// Every event type on every topic moves or annotates the read model.
const ALL_TYPES = Object.values(topics).flatMap((t) => t.eventTypes);

export const handler = createConsumerHandler({
  functionId: 'order-view',
  variables: { ORDERS_TABLE: {} },
  reactions: (config) => {
    const update = (event: Parameters<typeof updateOrderView>[1]) => updateOrderView(config.ORDERS_TABLE, event);
    const reactions: Reactions = Object.fromEntries(ALL_TYPES.map((type) => [type, update]));
    return { reactions };
  },
});
