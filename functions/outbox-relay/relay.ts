/**
 * Relays one DynamoDB Streams batch to Kafka, in record order.
 *
 * Records are walked in order; publishable messages are collected into a segment and published with one
 * `publish` call (kafkajs sendBatch) whenever a corrupt record is reached and at the end. A corrupt record
 * goes to the DLQ after everything before it was published. The first failure (a publish or a DLQ send)
 * stops the walk: that record and every later record of the batch are reported in batchItemFailures
 * (itemIdentifier = SequenceNumber). Lambda checkpoints at the lowest reported sequence number and
 * retries from there, so nothing is skipped or reordered, and nothing before the failure is sent twice.
 * A failed segment is reported from its first record: sendBatch gives no per-message outcome, and a
 * re-publish is harmless because consumers deduplicate by eventId.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { DeadLetter } from '../shared/dead-letter';
import { describeError, isPermanent, type PermanentError } from '../shared/errors';
import type { EventPublisher, OutgoingMessage } from '../shared/kafka-producer';
import type { SchemaVersionIds } from '../shared/schema-ids';
import { decideRecord } from './outbox-record';

export interface RelayDeps {
  readonly publisher: EventPublisher;
  readonly sendDeadLetter: (letter: DeadLetter) => Promise<void>;
  readonly functionName: string;
  /** The schema registry's version ids: stamped on every record, and the list of what may be published. */
  readonly schemaVersionIds: SchemaVersionIds;
}

export interface DeadLettered {
  readonly sequenceNumber: string;
  readonly reason: string;
  readonly message: string;
}

export interface RelaySummary {
  readonly records: number;
  readonly published: number;
  readonly ignored: number;
  readonly deadLettered: readonly DeadLettered[];
  /** Records reported for retry (the failed one and every later one). */
  readonly failed: number;
  readonly failure?: {
    readonly sequenceNumber: string;
    readonly stage: 'publish' | 'dead-letter';
    readonly error: string;
  };
  readonly correlationIds: readonly string[];
  /** Each published event, in order: what the relay's hop is traced and logged with. */
  readonly publishedEvents: readonly PublishedEvent[];
}

export interface PublishedEvent {
  readonly orderId: string;
  readonly correlationId: string;
  readonly eventType: string;
  readonly eventId: string;
  readonly topic: string;
}

export interface RelayResult {
  readonly response: DynamoDBBatchResponse;
  readonly summary: RelaySummary;
}

interface Pending {
  readonly index: number;
  readonly message: OutgoingMessage;
  readonly event: PublishedEvent;
}

const sequenceNumberOf = (record: DynamoDBRecord): string => {
  const seq = record.dynamodb?.SequenceNumber;
  // Without a sequence number Lambda cannot checkpoint; failing the whole batch is the only safe answer.
  if (!seq) throw new Error(`stream record ${record.eventID ?? '?'} has no dynamodb.SequenceNumber`);
  return seq;
};

export async function relayBatch(records: readonly DynamoDBRecord[], deps: RelayDeps): Promise<RelayResult> {
  const sequenceNumbers = records.map(sequenceNumberOf);
  let pending: Pending[] = [];
  let published = 0;
  const ignoredAt: number[] = [];
  const deadLettered: DeadLettered[] = [];
  const publishedEvents: PublishedEvent[] = [];
  let failure: { index: number; stage: 'publish' | 'dead-letter'; error: string } | undefined;

  const flush = async (): Promise<boolean> => {
    if (pending.length === 0) return true;
    const segment = pending;
    pending = [];
    try {
      await deps.publisher.publish(segment.map((p) => p.message));
    } catch (err) {
      const first = segment[0] as Pending;
      failure = { index: first.index, stage: 'publish', error: errorText(err) };
      return false;
    }
    published += segment.length;
    publishedEvents.push(...segment.map((p) => p.event));
    return true;
  };

  for (const [index, record] of records.entries()) {
    let decision: ReturnType<typeof decideRecord>;
    try {
      decision = decideRecord(record, deps.schemaVersionIds);
    } catch (err) {
      if (!isPermanent(err)) throw err;
      if (!(await flush())) break;
      const sequenceNumber = sequenceNumbers[index] as string;
      try {
        await deps.sendDeadLetter(deadLetterFor(record, sequenceNumber, err, deps.functionName));
      } catch (dlqErr) {
        failure = { index, stage: 'dead-letter', error: errorText(dlqErr) };
        break;
      }
      deadLettered.push({ sequenceNumber, reason: err.reason, message: err.message });
      continue;
    }
    if (decision.kind === 'ignore') ignoredAt.push(index);
    else {
      const { message } = decision;
      const event: PublishedEvent = {
        orderId: message.key,
        correlationId: decision.correlationId,
        eventType: decision.eventType,
        eventId: decision.eventId,
        topic: message.topic,
      };
      pending.push({ index, message, event });
    }
  }
  if (!failure) await flush();

  const failedFrom = failure?.index ?? records.length;
  const failedIds = sequenceNumbers.slice(failedFrom);
  return {
    response: { batchItemFailures: failedIds.map((itemIdentifier) => ({ itemIdentifier })) },
    summary: {
      records: records.length,
      published,
      ignored: ignoredAt.filter((i) => i < failedFrom).length,
      deadLettered,
      failed: failedIds.length,
      ...(failure
        ? {
            failure: {
              sequenceNumber: sequenceNumbers[failure.index] as string,
              stage: failure.stage,
              error: failure.error,
            },
          }
        : {}),
      correlationIds: publishedEvents.map((e) => e.correlationId),
      publishedEvents,
    },
  };
}

function errorText(err: unknown): string {
  const { name, message } = describeError(err);
  return `${name}: ${message}`;
}

function deadLetterFor(
  record: DynamoDBRecord,
  sequenceNumber: string,
  err: PermanentError,
  functionName: string,
): DeadLetter {
  return {
    reason: err.reason,
    errorName: err.name,
    errorMessage: err.message,
    functionName,
    source: {
      kind: 'dynamodb-stream',
      eventSourceArn: record.eventSourceARN,
      eventID: record.eventID,
      sequenceNumber,
      pk: record.dynamodb?.Keys?.pk?.S,
      sk: record.dynamodb?.Keys?.sk?.S,
    },
    record,
  };
}
