/**
 * InventoryReserved → ask the provider, record the payment (conditional on not existing: a re-run is a
 * detected duplicate) and put PaymentAuthorized or PaymentDeclined in the outbox, in one transaction.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { v7 as uuidv7 } from 'uuid';
import { type EventOf, newEvent } from '../shared/envelope';
import { writeOnceWithOutbox } from '../shared/outbox';
import { authorize } from './provider';

export interface PaymentDeps {
  readonly paymentsTable: string;
  readonly ordersTable: string;
  readonly outboxTopic: string;
  readonly source: string;
  readonly limitMinor: number;
}

export async function authorizePayment(
  event: EventOf<'InventoryReserved'>,
  deps: PaymentDeps,
): Promise<'processed' | 'duplicate'> {
  const { customerId, total } = event.payload;
  const decision = authorize(customerId, total, deps.limitMinor);
  const paymentId = uuidv7();
  const common = { customerId, paymentId, amount: total };
  const outcome =
    decision.outcome === 'AUTHORIZED'
      ? newEvent({
          type: 'PaymentAuthorized',
          orderId: event.orderId,
          source: deps.source,
          cause: event,
          payload: common,
        })
      : newEvent({
          type: 'PaymentDeclined',
          orderId: event.orderId,
          source: deps.source,
          cause: event,
          payload: { ...common, reason: decision.reason, message: decision.message },
        });
  const payment = {
    Put: {
      TableName: deps.paymentsTable,
      Item: marshall(
        {
          pk: `PAYMENT#${event.orderId}`,
          orderId: event.orderId,
          ...common,
          status: decision.outcome,
          reason: decision.outcome === 'DECLINED' ? decision.reason : undefined,
          causeEventId: event.eventId,
          createdAt: new Date().toISOString(),
        },
        { removeUndefinedValues: true },
      ),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  return writeOnceWithOutbox(deps.ordersTable, [payment], [{ event: outcome, topic: deps.outboxTopic }]);
}
