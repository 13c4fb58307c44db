/**
 * Final saga outcomes → record the customer notification (no real email is sent) and put
 * NotificationSent in the outbox, in one transaction. The notification's key includes the cause's
 * eventId, so a re-run is a detected duplicate.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { v7 as uuidv7 } from 'uuid';
import { type EventOf, newEvent } from '../shared/envelope';
import { type OutboxDeps, writeOnceWithOutbox } from '../shared/outbox';

export type NotifiedEvent = EventOf<'PaymentAuthorized' | 'PaymentDeclined' | 'InventoryRejected'>;

export interface NotificationDeps extends OutboxDeps {
  readonly notificationsTable: string;
}

const TEMPLATE: { readonly [T in NotifiedEvent['type']]: string } = {
  PaymentAuthorized: 'order-confirmed',
  PaymentDeclined: 'order-cancelled-payment-declined',
  InventoryRejected: 'order-rejected-out-of-stock',
};

export async function notifyCustomer(event: NotifiedEvent, deps: NotificationDeps): Promise<'processed' | 'duplicate'> {
  const notificationId = uuidv7();
  const template = TEMPLATE[event.type];
  const sent = newEvent({
    type: 'NotificationSent',
    orderId: event.orderId,
    source: deps.source,
    cause: event,
    payload: {
      customerId: event.payload.customerId,
      notificationId,
      channel: 'email',
      template,
      causeEventType: event.type,
      causeEventId: event.eventId,
    },
  });
  const record = {
    Put: {
      TableName: deps.notificationsTable,
      Item: marshall({
        pk: `NOTIFICATION#${event.orderId}#${event.eventId}`,
        orderId: event.orderId,
        notificationId,
        customerId: event.payload.customerId,
        channel: 'email',
        template,
        causeEventType: event.type,
        createdAt: new Date().toISOString(),
      }),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  return writeOnceWithOutbox(deps.ordersTable, [record], [{ event: sent, topic: deps.outboxTopic }]);
}
