/**
 * What one DynamoDB Streams record means to the relay: a message to publish, something to ignore, or a
 * corrupt outbox item that can never be published (thrown as a PermanentError naming the reason).
 *
 * Only INSERTs of OUTBOX# items are relayed, and MODIFYs of OUTBOX# items whose new image carries
 * `redrivenAt`: the reconciler re-drives an event by setting it, so the same event (same eventId) is
 * published again; consumers are idempotent by eventId. The mapping's filter already drops the rest in AWS, but the
 * relay checks again so a missing or widened filter can never publish order items or TTL deletions
 * (AWS sends those as REMOVE by the DynamoDB service principal; the local twin normalises to that shape).
 */

import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { OUTBOX_KEY_PREFIX, REDRIVEN_AT_ATTRIBUTE } from '../../lib/topology';
import { kafkaHeaders } from '../shared/envelope';
import { PermanentError } from '../shared/errors';
import type { OutgoingMessage } from '../shared/kafka-producer';
import { SCHEMA_VERSION_ID_HEADER, type SchemaVersionIds } from '../shared/schema-ids';
import {
  activeTraceContext,
  OUTBOX_TRACE_ATTRIBUTE,
  parseXRayHeader,
  type TraceContext,
  traceHeaders,
} from '../shared/trace-context';

export type RecordDecision =
  | { readonly kind: 'ignore'; readonly why: string }
  | {
      readonly kind: 'publish';
      readonly message: OutgoingMessage;
      readonly correlationId: string;
      /** What the hop is traced with (tracing.ts): the event's order and type. */
      readonly eventType: string;
      readonly eventId: string;
    };

/** The envelope fields the relay relies on; the full schema is the producers' and consumers' business. */
interface EnvelopeCore {
  readonly eventId: string;
  readonly type: string;
  readonly version: number;
  readonly orderId: string;
  readonly correlationId: string;
}

type Image = Record<string, SdkAttributeValue>;

export function decideRecord(record: DynamoDBRecord, schemaIds: SchemaVersionIds): RecordDecision {
  const redrive = record.eventName === 'MODIFY' && record.dynamodb?.NewImage?.[REDRIVEN_AT_ATTRIBUTE] !== undefined;
  if (record.eventName !== 'INSERT' && !redrive) {
    return { kind: 'ignore', why: `eventName ${record.eventName ?? 'missing'}` };
  }
  const pk = record.dynamodb?.Keys?.pk?.S;
  if (!pk?.startsWith(OUTBOX_KEY_PREFIX)) return { kind: 'ignore', why: 'not an outbox item' };

  const newImage = record.dynamodb?.NewImage;
  if (!newImage) throw new PermanentError('MISSING_VALUE', 'stream record has no NewImage (stream view type?)');
  let item: Record<string, unknown>;
  try {
    item = unmarshall(newImage as Image);
  } catch (err) {
    throw new PermanentError('INVALID_EVENT', `NewImage cannot be read: ${(err as Error).message}`);
  }

  const topic = nonEmptyString(item.topic);
  if (!topic) throw new PermanentError('MISSING_VALUE', 'outbox item has no topic');
  const raw = nonEmptyString(item.envelope);
  if (!raw) throw new PermanentError('MISSING_VALUE', 'outbox item has no envelope');
  const envelope = parseEnvelope(raw);

  const keyOrderId = pk.slice(OUTBOX_KEY_PREFIX.length);
  if (envelope.orderId !== keyOrderId || (item.orderId !== undefined && item.orderId !== keyOrderId)) {
    throw new PermanentError(
      'KEY_MISMATCH',
      `orderId mismatch: key ${keyOrderId}, item ${String(item.orderId)}, envelope ${envelope.orderId}`,
    );
  }
  const sk = record.dynamodb?.Keys?.sk?.S;
  if (sk !== undefined && sk !== envelope.eventId) {
    throw new PermanentError('KEY_MISMATCH', `eventId mismatch: key ${sk}, envelope ${envelope.eventId}`);
  }

  // The registry is the authority on what may be published: a (type, version) it never accepted (a
  // producer built from a newer or diverging checkout) is refused, not sent for consumers to trip on.
  const schemaVersionId = schemaIds.idOf(envelope.type, envelope.version);
  if (!schemaVersionId) {
    throw new PermanentError(
      'UNREGISTERED_SCHEMA_VERSION',
      `${envelope.type} v${envelope.version} is not registered in the schema registry; refusing to publish`,
    );
  }
  // The item's trace context (the writer's); an item written without one continues the relay's own.
  const trace = parseXRayHeader(nonEmptyString(item[OUTBOX_TRACE_ATTRIBUTE])) ?? activeTraceContext();
  return {
    kind: 'publish',
    correlationId: envelope.correlationId,
    eventType: envelope.type,
    eventId: envelope.eventId,
    message: {
      topic,
      key: envelope.orderId,
      value: raw,
      headers: { ...headersFor(envelope, trace), [SCHEMA_VERSION_ID_HEADER]: schemaVersionId },
    },
  };
}

const nonEmptyString = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function parseEnvelope(raw: string): EnvelopeCore {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new PermanentError('MALFORMED_JSON', `envelope is not JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PermanentError('INVALID_EVENT', 'envelope is not a JSON object');
  }
  const e = parsed as Record<string, unknown>;
  const missing = ['eventId', 'type', 'orderId', 'correlationId'].filter((f) => !nonEmptyString(e[f]));
  if (!Number.isInteger(e.version)) missing.push('version');
  if (missing.length > 0) throw new PermanentError('INVALID_EVENT', `envelope lacks ${missing.join(', ')}`);
  return e as unknown as EnvelopeCore;
}

/**
 * The headers mirror the envelope (docs/design.md), so they are derived from it rather than copied from the
 * item: a consumer routing on headers can never see values that contradict the value it parses. The relay
 * is transport only, so `type` is not checked against the known event types here (consumers do that).
 * The trace context adds `traceparent` and `X-Amzn-Trace-Id` (trace-context.ts).
 */
const headersFor = (e: EnvelopeCore, trace: TraceContext | undefined): Record<string, string> => ({
  ...kafkaHeaders(e as Parameters<typeof kafkaHeaders>[0]),
  ...(trace ? traceHeaders(trace) : {}),
});
