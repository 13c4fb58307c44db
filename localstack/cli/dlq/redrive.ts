/**
 * Redrive: what each kind of DLQ message means to re-publish, and to which topic.
 * - dead letter of a Kafka record → the record itself (same key, value, headers) to its topic; when it was
 *   too large to be kept in the message, it is read back from its topic by its coordinates;
 * - Kafka ESM failure record → the offset ranges of recordsInfo, read back from the topic;
 * - DynamoDB Streams ESM failure record → the stream range read back from the shard, and the outbox items
 *   in it published as the relay would (same decision code: functions/outbox-relay/outbox-record.ts);
 * - dead letter of the relay (a corrupt outbox item) → published if it is valid now, otherwise explained.
 * Consumers deduplicate by eventId, so a record redriven twice (or also delivered normally) has one effect.
 */
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Kafka, Message } from 'kafkajs';
import { decideRecord } from '../../../functions/outbox-relay/outbox-record';
import { REDRIVE_FOR_HEADER } from '../../../functions/shared/envelope';
import { isPermanent } from '../../../functions/shared/errors';
import type { SchemaVersionIds } from '../../../functions/shared/schema-ids';
import { CliError } from '../io';
import { checkRanges, headersFromByteArrays, type OffsetRangeRequest, readRanges } from '../sources/kafka';
import { readShardRange } from '../sources/stream';
import type { DlqEntry, KafkaRecordCopy } from './classify';

export interface Republish {
  readonly topic: string;
  readonly message: Message;
  /** Where the record came from, for the report: `orders[2]@15` or `stream 000…123`. */
  readonly from: string;
}

export interface RedrivePlan {
  readonly republish: readonly Republish[];
  readonly notes: readonly string[];
}

export interface PlanDeps {
  readonly kafka: () => Promise<Kafka>;
  readonly streams: DynamoDBStreamsClient;
  readonly readTimeoutMs: number;
  readonly progress: (line: string) => void;
  /** The registry's version ids the relay stamps (a stream record is published as the relay would). */
  readonly schemaVersionIds: () => Promise<SchemaVersionIds>;
}

export async function planRedrive(entry: DlqEntry, deps: PlanDeps): Promise<RedrivePlan> {
  switch (entry.kind) {
    case 'kafka-dead-letter': {
      if (entry.record) return { republish: [fromCopy(entry.record)], notes: [] };
      const { topic, partition, offset } = entry.source;
      const records = await readBack(deps, [
        { topic, partition, firstOffset: BigInt(offset), lastOffset: BigInt(offset) },
      ]);
      return { republish: records, notes: ['record read back from its topic (it was too large for the DLQ message)'] };
    }
    case 'kafka-failure': {
      const ranges = entry.ranges.map((r) => ({
        topic: r.topic,
        partition: r.partition,
        firstOffset: BigInt(r.firstOffset),
        lastOffset: BigInt(r.lastOffset),
      }));
      return { republish: await readBack(deps, ranges), notes: [] };
    }
    case 'stream-failure': {
      const records = await readShardRange(deps.streams, entry, (n) => deps.progress(`read ${n} stream record(s)`));
      return outboxMessages(
        await deps.schemaVersionIds(),
        // The SDK's stream record has the structure Lambda delivers (the ESM passes GetRecords output on).
        records.map((r) => ({ record: r as unknown as DynamoDBRecord, from: `stream ${r.dynamodb?.SequenceNumber}` })),
      );
    }
    case 'stream-dead-letter':
      return outboxMessages(await deps.schemaVersionIds(), [
        { record: entry.record as DynamoDBRecord, from: `stream ${entry.source.sequenceNumber}` },
      ]);
    case 'unknown':
      throw new CliError(`not redriven: the message is not recognised (${entry.problem}); it stays in the queue`);
  }
}

/**
 * The consumer (topology function id) that failed a Kafka dead letter or failure record, when the message
 * says: a dead letter names it (functionName), an ESM failure record by its function ARN, whose name is
 * resolved through `functionIdOf` (local: the prefixed name; aws: the stack outputs). Undefined otherwise.
 */
export function failedConsumerOf(
  entry: DlqEntry,
  functionIdOf: (physicalName: string) => string | undefined,
): string | undefined {
  if (entry.kind === 'kafka-dead-letter') return entry.functionName || undefined;
  if (entry.kind === 'kafka-failure') {
    const name = /:function:([^:]+)/.exec(entry.functionArn)?.[1];
    return name ? functionIdOf(name) : undefined;
  }
  return undefined;
}

/** The plan's records addressed to one consumer (REDRIVE_FOR_HEADER); the others will ignore them. */
export function addressedTo(plan: RedrivePlan, consumer: string): RedrivePlan {
  return {
    notes: [...plan.notes, `addressed to ${consumer} only (header ${REDRIVE_FOR_HEADER})`],
    republish: plan.republish.map((r) => ({
      ...r,
      message: { ...r.message, headers: { ...r.message.headers, [REDRIVE_FOR_HEADER]: consumer } },
    })),
  };
}

const decode = (b64: string | null): Buffer | null => (b64 === null ? null : Buffer.from(b64, 'base64'));

function fromCopy(r: KafkaRecordCopy): Republish {
  return {
    topic: r.topic,
    message: { key: decode(r.key), value: decode(r.value), headers: headersFromByteArrays(r.headers) },
    from: `${r.topic}[${r.partition}]@${r.offset}`,
  };
}

async function readBack(deps: PlanDeps, ranges: OffsetRangeRequest[]): Promise<Republish[]> {
  const kafka = await deps.kafka();
  await checkRanges(kafka, ranges);
  const records = await readRanges(kafka, ranges, {
    timeoutMs: deps.readTimeoutMs,
    onRecord: (got, total) => {
      if (got % 100 === 0 || BigInt(got) === total) deps.progress(`read ${got} of ${total} record(s) back from Kafka`);
    },
  });
  return records.map((r) => ({ topic: r.topic, message: r.message, from: `${r.topic}[${r.partition}]@${r.offset}` }));
}

/** Stream records → the outbox messages the relay would publish; anything else in the range is skipped. */
function outboxMessages(
  schemaVersionIds: SchemaVersionIds,
  records: readonly { record: DynamoDBRecord; from: string }[],
): RedrivePlan {
  const republish: Republish[] = [];
  let ignored = 0;
  for (const { record, from } of records) {
    let decision: ReturnType<typeof decideRecord>;
    try {
      decision = decideRecord(record, schemaVersionIds);
    } catch (err) {
      if (!isPermanent(err)) throw err;
      throw new CliError(
        `not redriven: ${from} is a corrupt outbox item (${err.reason}: ${err.message}); it stays in the queue`,
      );
    }
    if (decision.kind === 'ignore') {
      ignored += 1;
      continue;
    }
    const m = decision.message;
    republish.push({ topic: m.topic, message: { key: m.key, value: m.value, headers: { ...m.headers } }, from });
  }
  const notes =
    ignored > 0
      ? [`${ignored} stream record(s) in the range are not outbox inserts (skipped, as the relay's filter does)`]
      : [];
  return { republish, notes };
}
