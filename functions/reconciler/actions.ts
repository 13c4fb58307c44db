/**
 * The reconciler's writes. Every one is conditional on the order item's `version` (order-view's
 * optimistic-concurrency counter), so a reconciler acting on a stale read loses to the event that
 * moved the order and tries again on the next run; two runs can never both act on one order.
 */
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { v7 as uuidv7 } from 'uuid';
import { OPEN_SHARD_ATTRIBUTE, REDRIVEN_AT_ATTRIBUTE, type SagaDeadlines } from '../../lib/topology';
import { type OrderItem, orderKey } from '../order-api/order-model';
import { describeEvent } from '../order-view/detail';
import { byCausalOrder, type HistoryStep, REDRIVE_STEP } from '../order-view/status';
import { dynamoDb } from '../shared/aws-clients';
import { type AnyEventEnvelope, type EventOf, newEvent } from '../shared/envelope';
import { isConditionFailure } from '../shared/errors';
import { LAST_REDRIVE_ATTRIBUTE } from '../shared/open-orders';
import { cancellationReasons, type OutboxDeps, outboxKey, writeWithOutbox } from '../shared/outbox';

/** The outbox topic is that of OrderExpired. */
export interface ReconcilerDeps extends OutboxDeps {
  readonly inventoryTable: string;
  readonly paymentsTable: string;
  readonly deadlines: SagaDeadlines;
}

export type ActionOutcome = 'done' | 'raced';

const maxSequence = (order: OrderItem, events: readonly AnyEventEnvelope[]) =>
  Math.max(0, ...order.history.map((h) => h.sequence), ...events.map((e) => e.sequence));

/**
 * Re-publishes every outbox event of the order: first claims the re-drive on the order item (history
 * step, lastRedriveAt), then marks each outbox item `redrivenAt`, which the relay's stream mapping
 * publishes again (a MODIFY; same eventId, so consumers that already handled it skip it).
 */
export async function redrive(
  deps: ReconcilerDeps,
  order: OrderItem,
  events: readonly AnyEventEnvelope[],
  now: Date,
): Promise<ActionOutcome> {
  const at = now.toISOString();
  const idleSeconds = Math.round((now.getTime() - Date.parse(order.lastProgressAt ?? order.createdAt)) / 1000);
  const step: HistoryStep = {
    eventId: uuidv7({ msecs: now.getTime() }),
    eventType: REDRIVE_STEP,
    at,
    sequence: maxSequence(order, events),
    detail: `re-driven: no progress for ${idleSeconds} s, ${events.length} outbox event(s) published again`,
  };
  const claimed = await updateOrder(deps.ordersTable, order, {
    set: { history: [...order.history, step].sort(byCausalOrder), [LAST_REDRIVE_ATTRIBUTE]: at, updatedAt: at },
  });
  if (claimed === 'raced') return 'raced';
  for (const event of events) {
    await dynamoDb().send(
      new UpdateItemCommand({
        TableName: deps.ordersTable,
        Key: marshall(outboxKey(event)),
        UpdateExpression: `SET #at = :at, redriveCount = if_not_exists(redriveCount, :zero) + :one`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#at': REDRIVEN_AT_ATTRIBUTE },
        ExpressionAttributeValues: marshall({ ':at': at, ':zero': 0, ':one': 1 }),
      }),
    );
  }
  return 'done';
}

/**
 * Ends the order: status EXPIRED (final; it outranks every other status) with its history step, and
 * OrderExpired in the outbox, in one transaction. Inventory and payment react to OrderExpired (release
 * / void, or refuse later); the order keeps its open marker until they have (settle).
 */
export async function expire(
  deps: ReconcilerDeps,
  order: OrderItem,
  events: readonly AnyEventEnvelope[],
  now: Date,
): Promise<ActionOutcome> {
  const last = events[events.length - 1];
  const created = events.find((e) => e.type === 'OrderCreated');
  if (!last || !created) throw new Error(`order ${order.orderId} has no OrderCreated in its outbox`);
  const lastStatus = order.status as EventOf<'OrderExpired'>['payload']['lastStatus'];
  const expired = newEvent({
    type: 'OrderExpired',
    orderId: order.orderId,
    source: deps.source,
    cause: { eventId: last.eventId, correlationId: created.correlationId, sequence: maxSequence(order, events) },
    now,
    payload: {
      customerId: order.customerId,
      reason: 'TIMEOUT',
      lastStatus,
      expireAfterSeconds: deps.deadlines.expireAfterSeconds,
      message: `order still ${lastStatus} ${deps.deadlines.expireAfterSeconds} s after it was placed`,
    },
  });
  const step: HistoryStep = {
    eventId: expired.eventId,
    eventType: expired.type,
    at: expired.occurredAt,
    sequence: expired.sequence,
    detail: describeEvent(expired),
  };
  const at = now.toISOString();
  try {
    await writeWithOutbox(
      deps.ordersTable,
      [
        {
          Update: {
            TableName: deps.ordersTable,
            Key: marshall(orderKey(order.orderId)),
            UpdateExpression:
              'SET #status = :expired, history = :history, updatedAt = :at, #redrive = :at, version = :next',
            ConditionExpression: 'version = :version AND #status = :current',
            ExpressionAttributeNames: { '#status': 'status', '#redrive': LAST_REDRIVE_ATTRIBUTE },
            ExpressionAttributeValues: {
              ...marshall({
                ':expired': 'EXPIRED',
                ':history': [...order.history, step].sort(byCausalOrder),
                ':at': at,
                ':next': order.version + 1,
                ':version': order.version,
                ':current': order.status,
              }),
            },
          },
        },
      ],
      [{ event: expired, topic: deps.outboxTopic }],
    );
    return 'done';
  } catch (err) {
    if (cancellationReasons(err)?.[0]?.Code === 'ConditionalCheckFailed') return 'raced';
    throw err;
  }
}

/** Removes the open marker: the order is final and nothing it caused is still held. */
export function unmark(deps: ReconcilerDeps, order: OrderItem): Promise<ActionOutcome> {
  return updateOrder(deps.ordersTable, order, { remove: OPEN_SHARD_ATTRIBUTE });
}

async function updateOrder(
  ordersTable: string,
  order: OrderItem,
  change: { set?: Record<string, unknown>; remove?: string },
): Promise<ActionOutcome> {
  const sets = Object.keys(change.set ?? {}).map((name, i) => [`#s${i}`, `:s${i}`, name] as const);
  const expression = [
    `SET version = :next${sets.map(([n, v]) => `, ${n} = ${v}`).join('')}`,
    change.remove ? `REMOVE ${change.remove}` : '',
  ].join(' ');
  try {
    await dynamoDb().send(
      new UpdateItemCommand({
        TableName: ordersTable,
        Key: marshall(orderKey(order.orderId)),
        UpdateExpression: expression,
        ConditionExpression: 'version = :version',
        // DynamoDB refuses an empty ExpressionAttributeNames.
        ...(sets.length > 0
          ? { ExpressionAttributeNames: Object.fromEntries(sets.map(([n, , name]) => [n, name])) }
          : {}),
        ExpressionAttributeValues: marshall(
          {
            ':next': order.version + 1,
            ':version': order.version,
            ...Object.fromEntries(sets.map(([, v, name]) => [v, change.set?.[name]])),
          },
          { removeUndefinedValues: true },
        ),
      }),
    );
    return 'done';
  } catch (err) {
    if (isConditionFailure(err)) return 'raced';
    throw err;
  }
}
