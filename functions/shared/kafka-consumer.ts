/**
 * A Kafka-triggered Lambda handler from a table of per-event-type reactions. Per record: decode (Powertools
 * Kafka) → skip a type without a reaction, unchecked → check key and schema (resolved by the record's
 * schema-version-id, read with the versions this build knows: record-schema.ts) → run once per eventId
 * (Powertools idempotency). Records are processed by the per-key ordered batch processor; permanent
 * failures go to the DLQ with their reason, transient ones come back as a partial batch response.
 * A valid event whose reaction cannot be built (the reaction throws PermanentError) does not park its order:
 * the type's `endOrder` ends the order with the reason (a rejection, a decline) and only when there is no
 * such ending, or the ending fails too, does the record go to the DLQ.
 */
import { kafkaConsumer } from '@aws-lambda-powertools/kafka';
import type { ConsumerRecord, MSKEvent } from '@aws-lambda-powertools/kafka/types';
import type { Context } from 'aws-lambda';
import type { EventType } from '../../lib/topology';
import { boundedText } from './bounded-text';
import { type DeadLetter, sendDeadLetter } from './dead-letter';
import { deadLetterOnce } from './dead-letter-marker';
import { type AnyEventEnvelope, type EventOf, HEADER, REDRIVE_FOR_HEADER } from './envelope';
import { describeError, isPermanent, PermanentError } from './errors';
import { idempotentEventProcessor } from './idempotency';
import {
  type BatchSummary,
  type KafkaBatchResponse,
  processKafkaRecords,
  type RecordOutcome,
} from './kafka-batch-processor';
import { type KeyedLogger, logger, loggerFor, MetricName, MetricUnit, metrics } from './observability';
import { CATALOG_VERSIONS, type KnownSchemaVersions } from './readable-version';
import { checkRecordSchema } from './record-schema';
import { registeredSchemaVersions, SCHEMA_VERSION_ID_HEADER, type SchemaVersionIds } from './schema-ids';
import { traceContextFromHeaders } from './trace-context';
import { tracedHandler, traceHop } from './tracing';

type Record_ = ConsumerRecord<unknown, unknown>;

/** A reaction returns 'duplicate' when its conditional domain write shows the effect already exists. */
export type Reaction<T extends EventType> = (event: EventOf<T>) => Promise<'processed' | 'duplicate'>;
export type Reactions = { readonly [T in EventType]?: Reaction<T> };
/** Ends the order when the reaction to its event cannot be built; `reason` is bounded for an event's text. */
export type OrderEnding<T extends EventType> = (
  event: EventOf<T>,
  reason: string,
) => Promise<'processed' | 'duplicate'>;
export type OrderEndings = { readonly [T in EventType]?: OrderEnding<T> };

export interface EventConsumerOptions {
  readonly functionName: string;
  readonly reactions: Reactions;
  /** Per event type: how to end the order when its reaction fails permanently (see the module comment). */
  readonly endOrder?: OrderEndings;
  readonly idempotencyTable: string;
  readonly dlqUrl: string;
  /** Keys processed at once within a batch. */
  readonly concurrency: number;
  /**
   * How an event is made to take effect once. 'idempotency-record' (default): Powertools idempotency,
   * two writes per event (in progress, completed); needed where the effect is outside DynamoDB (a
   * payment provider call, a notification send) and must not repeat. 'conditional-write': the
   * reaction's own DynamoDB write is conditional on the effect not existing yet and reports
   * 'duplicate' when it does (inventory's reservation marker, order-view's applied event ids), so a
   * redelivery, a concurrent duplicate or a re-run after a crash has no second effect without the
   * idempotency record's two writes.
   */
  readonly onceOnly?: 'idempotency-record' | 'conditional-write';
  /** The registry's version ids records are resolved with; default SCHEMA_VERSION_IDS (schema-ids.ts). */
  readonly schemaVersionIds?: SchemaVersionIds;
  /**
   * The schema versions this build reads (readable-version.ts); default every version of the catalog it
   * was compiled with. Narrower for a build that predates a version (mixed versions in flight).
   */
  readonly knownSchemaVersions?: KnownSchemaVersions;
}

export type KafkaHandler = (event: MSKEvent, context: Context) => Promise<KafkaBatchResponse>;

export function createEventConsumer(options: EventConsumerOptions): KafkaHandler {
  const schemaVersionIds = options.schemaVersionIds ?? registeredSchemaVersions();
  const knownSchemaVersions = options.knownSchemaVersions ?? CATALOG_VERSIONS;
  const reactTo = (event: AnyEventEnvelope) =>
    react(options.reactions, options.endOrder ?? {}, event, loggerFor(event));
  const idempotent =
    options.onceOnly === 'conditional-write'
      ? undefined
      : idempotentEventProcessor<AnyEventEnvelope>(reactTo, {
          tableName: options.idempotencyTable,
          keyPrefix: options.functionName,
        });
  const reactOnce = (event: AnyEventEnvelope) => (idempotent ? idempotent.run(event) : reactTo(event));

  // Each record is its own hop: traced with its order's keys, continuing the trace it arrived with.
  const handleRecord = async (record: Record_): Promise<RecordOutcome> => {
    // A targeted redrive (`dlq redrive --to-failed-consumer`) is meant for one function only.
    const redriveFor = headerOf(record, REDRIVE_FOR_HEADER);
    if (redriveFor !== undefined && redriveFor !== options.functionName) return 'ignored';
    const value = decodeRecord(record);
    // A type this consumer does not react to is none of its business, whatever its version: checking it
    // would dead-letter records only newer builds can read (a consumer built before OrderCreated v2 that
    // ignores OrderCreated must still skip it). A value without a string type is not an event: checked.
    if (typeof value.type === 'string' && !Object.hasOwn(options.reactions, value.type)) return 'ignored';
    const event = checkRecord(record, value, schemaVersionIds, knownSchemaVersions);
    const keys = { orderId: event.orderId, correlationId: event.correlationId, eventType: event.type };
    const upstream = traceContextFromHeaders((name) => headerOf(record, name));
    const source = { topic: record.topic, partition: record.partition, offset: record.offset };
    return traceHop(`${event.type} ${record.topic}`, keys, upstream, () => reactOnce(event), source);
  };

  const onPermanentFailure = async (record: Record_, error: PermanentError): Promise<void> => {
    recordLogger(record).warn('record sent to DLQ', {
      reason: error.reason,
      error: error.message,
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
    });
    const letter: DeadLetter = {
      reason: error.reason,
      errorName: error.name,
      errorMessage: error.message,
      functionName: options.functionName,
      source: {
        kind: 'kafka',
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        timestamp: record.timestamp,
      },
      record: {
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        timestamp: record.timestamp,
        timestampType: record.timestampType,
        key: record.originalKey,
        value: record.originalValue,
        headers: record.originalHeaders ?? [],
      },
      details: error.details,
    };
    // Once per record: a retried batch redelivers a poison record that was already dead-lettered.
    const sent = await deadLetterOnce(options.idempotencyTable, options.functionName, record, () =>
      sendDeadLetter(options.dlqUrl, letter),
    );
    if (!sent)
      recordLogger(record).info('record already dead-lettered', { topic: record.topic, offset: record.offset });
  };

  const inner = kafkaConsumer<unknown, unknown>(
    async (event, context: Context) => {
      // Every line of this invocation (and of the per-record child loggers) carries the Lambda context.
      logger.addContext(context);
      idempotent?.registerLambdaContext(context);
      const { response, summary } = await processKafkaRecords(event.records, {
        keyOf: (r) => r.originalKey ?? '',
        handle: handleRecord,
        onPermanentFailure,
        onTransientFailure: (r, err) =>
          recordLogger(r).warn('record failed, will be retried', {
            ...describeError(err),
            topic: r.topic,
            partition: r.partition,
            offset: r.offset,
          }),
        concurrency: options.concurrency,
      });
      publishSummary(summary, event.records.length);
      return response;
    },
    { value: { type: 'json' } },
  );
  return tracedHandler(
    async (event: MSKEvent, context: Context) => (await inner(event, context)) as KafkaBatchResponse,
  );
}

/** Decodes one record to a JSON object; throws PermanentError for anything a retry could not fix. */
function decodeRecord(record: Record_): Record<string, unknown> {
  if (!record.originalKey) throw new PermanentError('MISSING_KEY', 'record has no key (expected the order id)');
  if (record.originalValue === undefined || record.originalValue === null) {
    throw new PermanentError('MISSING_VALUE', 'record has no value');
  }
  let value: unknown;
  try {
    value = record.value;
  } catch (err) {
    throw new PermanentError('MALFORMED_JSON', `value could not be decoded: ${describeError(err).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PermanentError('MALFORMED_JSON', 'value is not a JSON object');
  }
  return value as Record<string, unknown>; // a non-null, non-array object
}

/** Checks a decoded record's schema and key; throws PermanentError for anything a retry could not fix. */
function checkRecord(
  record: Record_,
  value: Record<string, unknown>,
  ids: SchemaVersionIds,
  known: KnownSchemaVersions,
): AnyEventEnvelope {
  const event = checkRecordSchema(value, headerOf(record, SCHEMA_VERSION_ID_HEADER), ids, known);
  const key = typeof record.key === 'string' ? record.key : '';
  if (key !== event.orderId) {
    throw new PermanentError('KEY_MISMATCH', `record key "${key}" is not the event's orderId "${event.orderId}"`);
  }
  return event;
}

/**
 * Runs the event's reaction; only called for types that have one (handleRecord ignores the others). Runs
 * inside the event's idempotency record, or (onceOnly 'conditional-write') relies on the ending's own
 * once-only condition, so an order is ended at most once per event either way.
 */
async function react(
  reactions: Reactions,
  endings: OrderEndings,
  event: AnyEventEnvelope,
  log: KeyedLogger,
): Promise<'processed' | 'duplicate'> {
  const reaction = reactions[event.type] as Reaction<typeof event.type>;
  let outcome: 'processed' | 'duplicate';
  try {
    outcome = await reaction(event as EventOf<typeof event.type>);
  } catch (err) {
    const end = endings[event.type] as OrderEnding<typeof event.type> | undefined;
    if (!isPermanent(err) || !end) throw err;
    log.error('reaction could not be built: ending the order instead', {
      type: event.type,
      reason: err.reason,
      error: err.message,
    });
    metrics.addMetric(MetricName.ordersEnded, MetricUnit.Count, 1);
    outcome = await end(event as EventOf<typeof event.type>, boundedText(`${err.reason}: ${err.message}`));
  }
  log.info(outcome === 'processed' ? 'event processed' : 'event already applied', { type: event.type });
  return outcome;
}

/**
 * A logger with the record's correlationId / eventId / orderId, read from its headers and key: it is used
 * for records that may not decode (the DLQ path), so nothing here parses the value.
 */
function recordLogger(record: Record_): KeyedLogger {
  return loggerFor({
    correlationId: headerOf(record, HEADER.correlationId),
    eventId: headerOf(record, HEADER.eventId),
    orderId: typeof record.originalKey === 'string' ? safeKey(record) : undefined,
  });
}

function safeKey(record: Record_): string | undefined {
  try {
    return typeof record.key === 'string' ? record.key : undefined;
  } catch {
    return undefined;
  }
}

function headerOf(record: Record_, name: string): string | undefined {
  try {
    for (const h of record.headers ?? []) if (h[name] !== undefined) return h[name];
  } catch {
    // malformed headers: no correlation id to log with
  }
  return undefined;
}

function publishSummary(summary: BatchSummary, size: number): void {
  metrics.addMetric(MetricName.processed, MetricUnit.Count, summary.processed);
  metrics.addMetric(MetricName.duplicates, MetricUnit.Count, summary.duplicates);
  metrics.addMetric(MetricName.ignored, MetricUnit.Count, summary.ignored);
  metrics.addMetric(MetricName.deadLettered, MetricUnit.Count, summary.deadLettered);
  metrics.addMetric(MetricName.retried, MetricUnit.Count, summary.failed + summary.notAttempted);
  metrics.publishStoredMetrics();
  logger.info('batch done', { size, ...summary });
}
