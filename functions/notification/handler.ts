/** notification: records the customer notification for each final saga outcome (see notify.ts). */
import { createConsumerHandler } from '../shared/consumer-handler';
import { notifyCustomer } from './notify';

export const handler = createConsumerHandler({
  functionId: 'notification',
  variables: { NOTIFICATIONS_TABLE: {}, ORDERS_TABLE: {}, OUTBOX_TOPIC: {} },
  reactions: (config) => {
    const deps = {
      notificationsTable: config.NOTIFICATIONS_TABLE,
      ordersTable: config.ORDERS_TABLE,
      outboxTopic: config.OUTBOX_TOPIC,
      source: config.POWERTOOLS_SERVICE_NAME,
    };
    const notify = (event: Parameters<typeof notifyCustomer>[0]) => notifyCustomer(event, deps);
    return { reactions: { PaymentAuthorized: notify, PaymentDeclined: notify, InventoryRejected: notify } };
  },
});
