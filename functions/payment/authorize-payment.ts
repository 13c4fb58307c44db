/**
 * InventoryReserved → ask the provider, record the payment (conditional on not existing: a re-run is a
 * detected duplicate) and put PaymentAuthorized or PaymentDeclined in the outbox, in one transaction.
 * An authorisation is granted by the provider's ledger (ledger.ts) first, keyed by the order: a re-run
 * after a crash gets the same authorisation back, so its paymentId is the authorisation id.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { v7 as uuidv7 } from 'uuid';
import { boundedText } from '../shared/bounded-text';
import { type EventOf, newEvent } from '../shared/envelope';
import { readItem } from '../shared/items';
import { type OutboxDeps, writeOnceWithOutbox } from '../shared/outbox';
import { grantAuthorisation, voidAuthorisation } from './ledger';
import { authorize, type Decision } from './provider';

export interface PaymentDeps extends OutboxDeps {
  readonly paymentsTable: string;
  readonly limitMinor: number;
}

export async function authorizePayment(
  event: EventOf<'InventoryReserved'>,
  deps: PaymentDeps,
): Promise<'processed' | 'duplicate'> {
  const { customerId, total } = event.payload;
  const decision = authorize(customerId, total, deps.limitMinor);
  const paymentId =
    decision.outcome === 'AUTHORIZED' ? await grantAuthorisation(deps.paymentsTable, event.orderId, total) : uuidv7();
  return recordPayment(event, deps, decision, paymentId);
}

/**
 * The order's ending when its payment cannot be built (kafka-consumer `endOrder`): declined with the
 * reason, and an authorisation the provider may already have granted voided; inventory then releases
 * the stock (→ CANCELLED).
 */
export async function declineUnpayable(
  event: EventOf<'InventoryReserved'>,
  reason: string,
  deps: PaymentDeps,
): Promise<'processed' | 'duplicate'> {
  const decision: Decision = { outcome: 'DECLINED', reason: 'PAYMENT_FAILED', message: reason };
  const outcome = await recordPayment(event, deps, decision, uuidv7());
  // Void only once the decline is what was recorded (a re-run may find an earlier AUTHORIZED payment);
  // checked on 'duplicate' too, so a crash between the two steps is finished by the retry.
  const recorded = await readItem(deps.paymentsTable, { pk: `PAYMENT#${event.orderId}` });
  if (recorded?.status === 'DECLINED') {
    await voidAuthorisation(deps.paymentsTable, event.orderId);
  }
  return outcome;
}

async function recordPayment(
  event: EventOf<'InventoryReserved'>,
  deps: PaymentDeps,
  decision: Decision,
  paymentId: string,
): Promise<'processed' | 'duplicate'> {
  const { customerId, total } = event.payload;
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
          payload: { ...common, reason: decision.reason, message: boundedText(decision.message) },
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
