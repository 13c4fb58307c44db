/** inventory: reserves stock on OrderCreated, releases it on PaymentDeclined (see reserve.ts, release.ts). */
import { createConsumerHandler } from '../shared/consumer-handler';
import { outboxDepsOf } from '../shared/outbox';
import { releaseForExpiry } from './expire';
import { releaseStock } from './release';
import { rejectUnreservable, reserveStock } from './reserve';

export const handler = createConsumerHandler({
  functionId: 'inventory',
  variables: { INVENTORY_TABLE: {}, ORDERS_TABLE: {}, OUTBOX_TOPIC: {} },
  // Every effect is DynamoDB-only and its transaction carries its once-only condition (the reservation
  // key must not exist; a release needs RESERVED): no idempotency record needed (README "Performance").
  onceOnly: 'conditional-write',
  reactions: (config) => {
    const deps = {
      inventoryTable: config.INVENTORY_TABLE,
      ...outboxDepsOf(config),
    };
    return {
      reactions: {
        OrderCreated: (event) => reserveStock(event, deps),
        PaymentDeclined: (event) => releaseStock(event, deps),
        OrderExpired: (event) => releaseForExpiry(event, deps),
      },
      // A release has no other ending: CANCELLING waits for it (its one free text is bounded).
      endOrder: { OrderCreated: (event, reason) => rejectUnreservable(event, reason, deps) },
    };
  },
});
