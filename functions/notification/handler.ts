/** notification: records the customer notification for each final saga outcome (see notify.ts). */
import { createConsumerHandler } from '../shared/consumer-handler';
import { outboxDepsOf } from '../shared/outbox';
import { notifyCustomer } from './notify';

export const handler = createConsumerHandler({
  functionId: 'notification',
  variables: { NOTIFICATIONS_TABLE: {}, ORDERS_TABLE: {}, OUTBOX_TOPIC: {} },
  reactions: (config) => {
    const deps = {
      notificationsTable: config.NOTIFICATIONS_TABLE,
      ...outboxDepsOf(config),
    };
    const notify = (event: Parameters<typeof notifyCustomer>[0]) => notifyCustomer(event, deps);
    return { reactions: { PaymentAuthorized: notify, PaymentDeclined: notify, InventoryRejected: notify } };
  },
});
