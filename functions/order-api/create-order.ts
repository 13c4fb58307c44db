/**
 * POST /orders: the order item (status PENDING, its OrderCreated step already in the history) and the
 * OrderCreated outbox item, in one TransactWriteItems: the event exists if and only if the order does.
 *
 * With an Idempotency-Key the orderId is derived from the customer and the key (UUIDv5), so a retry
 * after a crash between this transaction's commit and Powertools marking the key COMPLETED writes the
 * same order again: the once-only condition on the order item fails, and the retry answers with the
 * order the first attempt created. Without a key orderIds are fresh UUIDv7s.
 */
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import type { CreateOrderRequest } from '../../schemas/types';
import { appliedEventOf } from '../order-view/detail';
import { applyEvent, NEW_ORDER_VIEW } from '../order-view/status';
import { newEvent } from '../shared/envelope';
import { openOrderMarker } from '../shared/open-orders';
import { cancellationReasons, writeWithOutbox } from '../shared/outbox';
import { ApiError } from './http';
import { type OrderItem, orderKey, priceOrder } from './order-model';
import { getOrder } from './read-orders';

/** UUIDv5 namespace of orderIds derived from (customerId, Idempotency-Key); never change it. */
export const ORDER_ID_NAMESPACE = '47bbb0ef-706c-4a22-8e4a-8247b6755c91';

/** The orderId a keyed request gets; customerIds cannot contain a newline, so the name is unambiguous. */
export const orderIdFor = (customerId: string, idempotencyKey: string): string =>
  uuidv5(`${customerId}\n${idempotencyKey}`, ORDER_ID_NAMESPACE);

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
  /** The request's Idempotency-Key, when it has one: the orderId is derived from it. */
  readonly idempotencyKey?: string;
}

export interface CreatedOrder {
  readonly orderId: string;
  readonly status: 'PENDING';
  readonly eventId: string;
  readonly createdAt: string;
}

export async function createOrder(command: CreateOrderCommand, deps: CreateOrderDeps): Promise<CreatedOrder> {
  const now = new Date();
  const { request } = command;
  const orderId = command.idempotencyKey
    ? orderIdFor(request.customerId, command.idempotencyKey)
    : uuidv7({ msecs: now.getTime() });
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
  // treats the OrderCreated it later consumes as a duplicate instead of appending it again. It is built
  // by order-view's own state machine, from an order with no history yet.
  const view = applyEvent(NEW_ORDER_VIEW, appliedEventOf(event));
  if (!view) throw new Error('OrderCreated could not be applied to an order without history');
  const order: OrderItem = {
    ...orderKey(orderId),
    entityType: 'ORDER',
    orderId,
    customerId: request.customerId,
    currency: request.currency,
    items,
    total,
    status: view.status,
    createdAt,
    updatedAt: createdAt,
    history: view.history,
    version: 1,
    // In the sparse index of open orders until it is final (the reconciler's deadlines).
    ...openOrderMarker(orderId, createdAt),
  };
  const put: TransactWriteItem = {
    Put: {
      TableName: deps.ordersTable,
      Item: marshall(order, { removeUndefinedValues: true }),
      // Once only: a keyed retry finds the order its first attempt wrote (read back from ALL_OLD).
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
  try {
    await writeWithOutbox(deps.ordersTable, [put], [{ event, topic: deps.outboxTopic }]);
  } catch (err) {
    // The cancellation reasons are index-aligned with the items, the failed Put's carrying the existing
    // item under ALL_OLD: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CancellationReason.html
    const first = cancellationReasons(err)?.[0];
    if (first?.Code !== 'ConditionalCheckFailed' || !command.idempotencyKey) throw err;
    const existing = first.Item ? (unmarshall(first.Item) as OrderItem) : await getOrder(deps.ordersTable, orderId);
    if (!existing) throw err;
    return firstAnswer(existing, order);
  }
  return { orderId, status: 'PENDING', eventId: event.eventId, createdAt };
}

/** The answer the first attempt gave, if the existing order is the same request; else the key was reused. */
function firstAnswer(existing: OrderItem, attempted: OrderItem): CreatedOrder {
  const same =
    existing.customerId === attempted.customerId &&
    existing.currency === attempted.currency &&
    existing.items.length === attempted.items.length &&
    existing.items.every((line, i) => lineKey(line) === lineKey(attempted.items[i]));
  if (!same) {
    throw new ApiError(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was already used with a different request body; use a new key for a new order',
    );
  }
  const created = existing.history.find((h) => h.eventType === 'OrderCreated');
  if (!created) throw new Error(`order ${existing.orderId} has no OrderCreated step: cannot answer with it`);
  return { orderId: existing.orderId, status: 'PENDING', eventId: created.eventId, createdAt: existing.createdAt };
}

/** A line compared field by field: DynamoDB maps come back in no particular key order. */
const lineKey = (line: OrderItem['items'][number] | undefined): string =>
  line ? [line.sku, line.quantity, line.unitPrice.amount, line.unitPrice.currency].join('\u0000') : '';
