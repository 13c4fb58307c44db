/**
 * Applies an event to the order item (the read model) with optimistic concurrency: read, apply the
 * state machine, write back conditional on the version read. order-view runs keys concurrently and
 * four mappings feed it, so two events of one order can race; the loser re-reads and re-applies.
 */
import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { OPEN_SHARD_ATTRIBUTE } from '../../lib/topology';
import { orderKey } from '../order-api/order-model';
import { dynamoDb } from '../shared/aws-clients';
import type { AnyEventEnvelope } from '../shared/envelope';
import { PermanentError } from '../shared/errors';
import { LAST_PROGRESS_ATTRIBUTE } from '../shared/open-orders';
import { appliedEventOf } from './detail';
import { recordSagaOutcome } from './saga-outcome';
import { applyEvent, isFinal, isNotified, type OrderView } from './status';

/**
 * How an applied event changes the open-order marker: an order still in progress records its progress;
 * one that is CONFIRMED/REJECTED/CANCELLED and whose customer was told leaves the open-orders index (a
 * final order not yet notified stays, so the reconciler re-drives a stranded notification). An EXPIRED
 * order keeps its marker: the reconciler removes it once the expiry's compensations are done
 * (docs/design.md "Deadlines and reconciliation").
 */
export function markerUpdate(view: OrderView): { set?: string; remove?: string } {
  if (view.status === 'EXPIRED') return {};
  if (isFinal(view.status) && isNotified(view)) return { remove: `REMOVE ${OPEN_SHARD_ATTRIBUTE}` };
  return { set: `${LAST_PROGRESS_ATTRIBUTE} = :now` };
}

const MAX_ATTEMPTS = 8;

export async function updateOrderView(
  ordersTable: string,
  event: AnyEventEnvelope,
): Promise<'processed' | 'duplicate'> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const out = await dynamoDb().send(
      new GetItemCommand({ TableName: ordersTable, Key: marshall(orderKey(event.orderId)), ConsistentRead: true }),
    );
    if (!out.Item) throw new PermanentError('BUSINESS_RULE', `unknown order ${event.orderId}`);
    const current = unmarshall(out.Item) as OrderView & { version: number; createdAt?: string };
    const next = applyEvent(current, appliedEventOf(event));
    if (!next) return 'duplicate';
    const marker = markerUpdate(next);
    try {
      await dynamoDb().send(
        new UpdateItemCommand({
          TableName: ordersTable,
          Key: marshall(orderKey(event.orderId)),
          UpdateExpression: [
            `SET #status = :status, history = :history, updatedAt = :now, version = :next${marker.set ? `, ${marker.set}` : ''}`,
            marker.remove ?? '',
          ].join(' '),
          ConditionExpression: 'version = :version',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ...marshall({
              ':status': next.status,
              ':history': next.history,
              ':now': new Date().toISOString(),
              ':version': current.version,
              ':next': current.version + 1,
            }),
          },
        }),
      );
      recordSagaOutcome({
        from: current.status,
        to: next.status,
        createdAt: current.createdAt,
        endedAt: event.occurredAt,
      });
      return 'processed';
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException) || attempt === MAX_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt)); // jittered: break lockstep
    }
  }
  throw new Error('unreachable');
}
