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
import { describeEvent } from './detail';
import { applyEvent, isFinal, type OrderStatus, type OrderView } from './status';

/**
 * How an applied event changes the open-order marker: an order still open records its progress; one
 * that became CONFIRMED/REJECTED/CANCELLED leaves the open-orders index. An EXPIRED order keeps its
 * marker: the reconciler removes it once the expiry's compensations are done (docs/design.md).
 */
export function markerUpdate(status: OrderStatus): { set?: string; remove?: string } {
  if (!isFinal(status)) return { set: `${LAST_PROGRESS_ATTRIBUTE} = :now` };
  if (status === 'EXPIRED') return {};
  return { remove: `REMOVE ${OPEN_SHARD_ATTRIBUTE}` };
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
    const current = unmarshall(out.Item) as OrderView & { version: number };
    const next = applyEvent(current, {
      eventId: event.eventId,
      type: event.type,
      occurredAt: event.occurredAt,
      sequence: event.sequence,
      detail: describeEvent(event),
    });
    if (!next) return 'duplicate';
    const marker = markerUpdate(next.status);
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
      return 'processed';
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException) || attempt === MAX_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt)); // jittered: break lockstep
    }
  }
  throw new Error('unreachable');
}
