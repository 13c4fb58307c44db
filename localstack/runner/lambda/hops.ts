/**
 * What one invocation did for which orders, as the twins know it: the records they handed the function
 * (Kafka topic/partition/offset, outbox stream items) or the request it answered. Recorded with each
 * invocation (invocation-log.ts) so `npm run cli -- order trace <orderId>` can list every hop of an order.
 * Each record's outcome comes from the partial batch response: the records it names failed.
 */

import { HEADER } from '../../../functions/shared/envelope';
import { OUTBOX_KEY_PREFIX } from '../../../lib/topology';
import type { KafkaRecord } from '../kafka/msk-event';
import type { LambdaStreamRecord } from '../streams/stream-record';

export interface Hop {
  readonly orderId: string;
  /** The event handled (Kafka, stream) or produced (API: OrderCreated). */
  readonly eventType?: string;
  readonly eventId?: string;
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: number;
  readonly sequenceNumber?: string;
  readonly outcome: 'ok' | 'failed';
}

/** Given the invocation's result payload (undefined when it failed as a whole), the hops it made. */
export type HopsOf = (payload: unknown) => readonly Hop[];

function failedIdentifiers(payload: unknown): unknown[] {
  const failures = (payload as { batchItemFailures?: { itemIdentifier?: unknown }[] } | null)?.batchItemFailures;
  return Array.isArray(failures) ? failures.map((f) => f?.itemIdentifier) : [];
}

export const kafkaHops =
  (records: readonly KafkaRecord[]): HopsOf =>
  (payload) => {
    const failed = new Set(
      failedIdentifiers(payload).map((id) => {
        const { partition, offset } = (id ?? {}) as { partition?: unknown; offset?: unknown };
        return `${String(partition)}@${String(offset)}`;
      }),
    );
    const whole = payload === undefined;
    return records.flatMap((r): Hop[] => {
      const orderId = r.key?.toString('utf8');
      if (!orderId) return [];
      const header = (name: string) => r.headers.find(([k]) => k === name)?.[1]?.toString('utf8');
      const eventType = header(HEADER.type);
      const eventId = header(HEADER.eventId);
      const offset = Number(r.position);
      return [
        {
          orderId,
          ...(eventType ? { eventType } : {}),
          ...(eventId ? { eventId } : {}),
          topic: r.topic,
          partition: r.partition,
          offset,
          outcome: whole || failed.has(`${r.topic}-${r.partition}@${offset}`) ? 'failed' : 'ok',
        },
      ];
    });
  };

export const streamHops =
  (records: readonly LambdaStreamRecord[]): HopsOf =>
  (payload) => {
    const failed = new Set(failedIdentifiers(payload).map(String));
    const whole = payload === undefined;
    return records.flatMap((r): Hop[] => {
      const pk = stringAttr(r.dynamodb.Keys.pk);
      if (!pk?.startsWith(OUTBOX_KEY_PREFIX)) return [];
      const image = r.dynamodb.NewImage ?? {};
      const eventType = stringAttr(image.type);
      const topic = stringAttr(image.topic);
      const eventId = stringAttr(r.dynamodb.Keys.sk);
      return [
        {
          orderId: pk.slice(OUTBOX_KEY_PREFIX.length),
          ...(eventType ? { eventType } : {}),
          ...(eventId ? { eventId } : {}),
          ...(topic ? { topic } : {}),
          sequenceNumber: r.dynamodb.SequenceNumber,
          outcome: whole || failed.has(r.dynamodb.SequenceNumber) ? 'failed' : 'ok',
        },
      ];
    });
  };

/** POST /orders: the order the 2xx answer names; GET /orders/{id}: the order read. */
export const apiHops =
  (request: {
    readonly httpMethod: string;
    readonly pathParameters?: Readonly<Record<string, string | undefined>> | null;
  }): HopsOf =>
  (payload) => {
    const result = payload as { statusCode?: number; body?: unknown } | undefined;
    const ok = typeof result?.statusCode === 'number' && result.statusCode < 300;
    let orderId = request.pathParameters?.id;
    if (!orderId && ok && typeof result?.body === 'string') {
      try {
        const body = JSON.parse(result.body) as { orderId?: unknown };
        if (typeof body.orderId === 'string') orderId = body.orderId;
      } catch {
        // not JSON: no order to name
      }
    }
    if (!orderId) return [];
    const created = request.httpMethod === 'POST';
    return [{ orderId, ...(created ? { eventType: 'OrderCreated' } : {}), outcome: ok ? 'ok' : 'failed' }];
  };

/** The reconciler's answer (its RunSummary): the orders it re-drove and expired. */
export const reconcilerHops: HopsOf = (payload) => {
  const summary = payload as { redriven?: unknown; expired?: unknown } | undefined;
  const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return [
    ...ids(summary?.redriven).map((orderId): Hop => ({ orderId, eventType: 'OrderRedriven', outcome: 'ok' })),
    ...ids(summary?.expired).map((orderId): Hop => ({ orderId, eventType: 'OrderExpired', outcome: 'ok' })),
  ];
};

function stringAttr(value: unknown): string | undefined {
  const s = (value as { S?: unknown } | undefined)?.S;
  return typeof s === 'string' ? s : undefined;
}
