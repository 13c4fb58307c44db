/**
 * The transactional outbox: a function's domain write and the events it causes are one
 * TransactWriteItems, so an event exists if and only if its effect does (no dual writes). The orders
 * table's stream carries the outbox items to the outbox-relay, which publishes them to Kafka.
 */
import {
  type CancellationReason,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { OUTBOX_KEY_PREFIX, OUTBOX_TTL_SECONDS } from '../../lib/topology';
import { dynamoDb } from './aws-clients';
import type { AnyEventEnvelope } from './envelope';
import { PermanentError } from './errors';
import { activeTraceContext, OUTBOX_TRACE_ATTRIBUTE, type TraceContext, toXRayHeader } from './trace-context';
import { validateEvent } from './validation';

/**
 * What a service needs to put its events in the outbox: the orders table (the outbox lives in it), the
 * topic its events are published on, and its function id, written as the events' `source`.
 */
export interface OutboxDeps {
  readonly ordersTable: string;
  readonly outboxTopic: string;
  readonly source: string;
}

/** OutboxDeps from a function's checked environment (functions/shared/config.ts). */
export const outboxDepsOf = (config: {
  readonly ORDERS_TABLE: string;
  readonly OUTBOX_TOPIC: string;
  readonly POWERTOOLS_SERVICE_NAME: string;
}): OutboxDeps => ({
  ordersTable: config.ORDERS_TABLE,
  outboxTopic: config.OUTBOX_TOPIC,
  source: config.POWERTOOLS_SERVICE_NAME,
});

export interface OutboxEntry {
  readonly event: AnyEventEnvelope;
  readonly topic: string;
}

export const outboxKey = (event: { orderId: string; eventId: string }) => ({
  pk: `${OUTBOX_KEY_PREFIX}${event.orderId}`,
  sk: event.eventId,
});

/**
 * The outbox item for one event; conditional so the same event can never be written twice. It keeps the
 * trace context active when it is written (the request's, or the consumed record's: trace-context.ts).
 */
export function outboxPut(
  tableName: string,
  { event, topic }: OutboxEntry,
  now = new Date(),
  trace: TraceContext | undefined = activeTraceContext(),
): TransactWriteItem {
  const createdAt = now.toISOString();
  return {
    Put: {
      TableName: tableName,
      Item: marshall({
        ...outboxKey(event),
        entityType: 'OUTBOX',
        topic,
        eventId: event.eventId,
        type: event.type,
        version: event.version,
        orderId: event.orderId,
        correlationId: event.correlationId,
        envelope: JSON.stringify(event),
        ...(trace ? { [OUTBOX_TRACE_ATTRIBUTE]: toXRayHeader(trace) } : {}),
        createdAt,
        expiresAt: Math.floor(now.getTime() / 1000) + OUTBOX_TTL_SECONDS,
      }),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * Writes the domain items and the outbox items in one transaction. Every event is validated against
 * its schema first: a producer never publishes what its consumers would reject.
 */
export async function writeWithOutbox(
  ordersTable: string,
  domainWrites: readonly TransactWriteItem[],
  entries: readonly OutboxEntry[],
): Promise<void> {
  for (const { event } of entries) {
    const result = validateEvent(event);
    if (!result.ok) {
      throw new PermanentError(
        'INVALID_EVENT',
        `refusing to emit invalid ${event.type}: ${JSON.stringify(result.errors)}`,
      );
    }
  }
  const items = [...domainWrites, ...entries.map((e) => outboxPut(ordersTable, e))];
  if (items.length > 100) throw new PermanentError('BUSINESS_RULE', `transaction of ${items.length} items exceeds 100`);
  await dynamoDb().send(new TransactWriteItemsCommand({ TransactItems: items }));
}

/**
 * writeWithOutbox for an effect that must happen once: the first domain write is the conditional
 * once-only marker (its ConditionExpression fails when the effect already exists), so a transaction
 * cancelled by that condition means the effect was written before: 'duplicate'. Other errors propagate.
 */
export async function writeOnceWithOutbox(
  ordersTable: string,
  domainWrites: readonly [marker: TransactWriteItem, ...rest: TransactWriteItem[]],
  entries: readonly OutboxEntry[],
): Promise<'processed' | 'duplicate'> {
  try {
    await writeWithOutbox(ordersTable, domainWrites, entries);
    return 'processed';
  } catch (err) {
    if (cancellationReasons(err)?.[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
    throw err;
  }
}

/** The cancellation reasons of a failed transaction, index-aligned with its items; undefined for other errors. */
export function cancellationReasons(err: unknown): CancellationReason[] | undefined {
  if (err instanceof TransactionCanceledException) return err.CancellationReasons ?? [];
  if (err instanceof Error && err.name === 'TransactionCanceledException') {
    return (err as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
  }
  return undefined;
}
