/**
 * What one invocation did for which orders, as the twins know it: the records they handed the function
 * (Kafka topic/partition/offset, outbox stream items) or the request it answered. Recorded with each
 * invocation (invocation-log.ts) so `npm run cli -- order trace <orderId>` can list every hop of an order.
 * Each record's outcome comes from the partial batch response: the records it names failed.
 */

import { HEADER } from '../../../functions/shared/envelope';
import {
  OUTBOX_TRACE_ATTRIBUTE,
  parseXRayHeader,
  traceContextFromHeaders,
} from '../../../functions/shared/trace-context';
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
  /** The trace the record or request carries (X-Ray form): the order's trace, not the invocation's. */
  readonly traceId?: string;
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
      const traceId = traceContextFromHeaders(header)?.traceId;
      const offset = Number(r.position);
      return [
        {
          orderId,
          ...(eventType ? { eventType } : {}),
          ...(eventId ? { eventId } : {}),
          topic: r.topic,
          partition: r.partition,
          offset,
          ...(traceId ? { traceId } : {}),
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
      const traceId = parseXRayHeader(stringAttr(image[OUTBOX_TRACE_ATTRIBUTE]))?.traceId;
      return [
        {
          orderId: pk.slice(OUTBOX_KEY_PREFIX.length),
          ...(eventType ? { eventType } : {}),
          ...(eventId ? { eventId } : {}),
          ...(topic ? { topic } : {}),
          ...(traceId ? { traceId } : {}),
          sequenceNumber: r.dynamodb.SequenceNumber,
          outcome: whole || failed.has(r.dynamodb.SequenceNumber) ? 'failed' : 'ok',
        },
      ];
    });
  };

/**
 * POST /orders: the order its 2xx answer names, in the request's trace. Reads (GET) are not hops of the
 * saga: a client polling an order would bury them.
 */
export const apiHops =
  (request: { readonly httpMethod: string }, traceHeader: string): HopsOf =>
  (payload) => {
    if (request.httpMethod !== 'POST') return [];
    const result = payload as { statusCode?: number; body?: unknown } | undefined;
    if (typeof result?.statusCode !== 'number' || result.statusCode >= 300 || typeof result.body !== 'string')
      return [];
    let orderId: unknown;
    try {
      orderId = (JSON.parse(result.body) as { orderId?: unknown }).orderId;
    } catch {
      return []; // not JSON: no order to name
    }
    if (typeof orderId !== 'string') return [];
    const traceId = parseXRayHeader(traceHeader)?.traceId;
    return [{ orderId, eventType: 'OrderCreated', ...(traceId ? { traceId } : {}), outcome: 'ok' }];
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
