/**
 * POST /orders: the order item (status PENDING, its OrderCreated step already in the history) and the
 * OrderCreated outbox item, in one TransactWriteItems: the event exists if and only if the order does.
 */
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { v7 as uuidv7 } from 'uuid';
import type { CreateOrderRequest } from '../../schemas/types';
import { describeEvent } from '../order-view/detail';
import type { HistoryStep } from '../order-view/status';
import { newEvent } from '../shared/envelope';
import { openOrderMarker } from '../shared/open-orders';
import { writeWithOutbox } from '../shared/outbox';
import { type OrderItem, orderKey, priceOrder } from './order-model';

export interface CreateOrderDeps {
  readonly ordersTable: string;
  readonly outboxTopic: string;
  /** The emitting function's id (envelope `source`). */
  readonly source: string;
}

export interface CreateOrderCommand {
  readonly request: CreateOrderRequest;
  /** API Gateway request id: the OrderCreated event's causationId. */
  readonly requestId: string;
  readonly correlationId: string;
}

export interface CreatedOrder {
  readonly orderId: string;
  readonly status: 'PENDING';
  readonly eventId: string;
  readonly createdAt: string;
}

export async function createOrder(command: CreateOrderCommand, deps: CreateOrderDeps): Promise<CreatedOrder> {
  const now = new Date();
  const orderId = uuidv7({ msecs: now.getTime() });
  const { request } = command;
  const { items, total } = priceOrder(request);

  const event = newEvent({
    type: 'OrderCreated',
    orderId,
    source: deps.source,
    correlationId: command.correlationId,
    causationId: command.requestId,
    now,
    payload: { customerId: request.customerId, currency: request.currency, items, total },
  });
  const createdAt = now.toISOString();
  // The first history step is written with the order, and its eventId marked applied, so order-view
  // treats the OrderCreated it later consumes as a duplicate instead of appending it again.
  const firstStep: HistoryStep = {
    eventId: event.eventId,
    eventType: event.type,
    at: event.occurredAt,
    sequence: event.sequence,
    detail: describeEvent(event),
  };
  const order: OrderItem = {
    ...orderKey(orderId),
    entityType: 'ORDER',
    orderId,
    customerId: request.customerId,
    currency: request.currency,
    items,
    total,
    status: 'PENDING',
    createdAt,
    updatedAt: createdAt,
    history: [firstStep],
    appliedEventIds: new Set([event.eventId]),
    version: 1,
    // In the sparse index of open orders until it is final (the reconciler's deadlines).
    ...openOrderMarker(orderId, createdAt),
  };
  const put: TransactWriteItem = {
    Put: {
      TableName: deps.ordersTable,
      Item: marshall(order, { removeUndefinedValues: true }),
      // orderIds are fresh UUIDv7s; the condition makes an (impossible) collision fail loudly, not overwrite.
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  await writeWithOutbox(deps.ordersTable, [put], [{ event, topic: deps.outboxTopic }]);
  return { orderId, status: 'PENDING', eventId: event.eventId, createdAt };
}
