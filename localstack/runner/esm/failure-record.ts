/**
 * The JSON document an event source mapping sends to its SQS/SNS on-failure destination when retries are
 * exhausted (AWS "Capturing discarded batches"): invocation metadata plus where the records are, never
 * the records themselves (a redrive reads them back from the source).
 */
import type { EsmRecord, Exhaustion } from './types';

export interface RequestContext {
  readonly requestId: string;
  readonly functionArn: string;
  readonly condition: Exhaustion<EsmRecord>['condition'];
  readonly approximateInvokeCount: number;
}

export interface ResponseContext {
  readonly statusCode: 200;
  readonly executedVersion: '$LATEST';
  /** Present when the last invocation was a function error (uncaught error or timeout). */
  readonly functionError?: 'Unhandled';
}

interface FailureRecordBase {
  readonly requestContext: RequestContext;
  readonly responseContext: ResponseContext;
  readonly version: '1.0';
  readonly timestamp: string;
}

export interface KafkaRecordsInfo {
  readonly firstRecordOffset: string;
  readonly lastRecordOffset: string;
  readonly firstRecordTimestamp: string;
  readonly lastRecordTimestamp: string;
}

export interface KafkaFailureRecord extends FailureRecordBase {
  readonly KafkaBatchInfo: {
    readonly batchSize: number;
    readonly eventSourceArn: string;
    readonly bootstrapServers: string;
    readonly payloadSize: number;
    readonly recordsInfo: Readonly<Record<string, KafkaRecordsInfo>>;
  };
}

export interface StreamFailureRecord extends FailureRecordBase {
  readonly DDBStreamBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    readonly approximateArrivalOfFirstRecord: string;
    readonly approximateArrivalOfLastRecord: string;
    readonly batchSize: number;
    readonly streamArn: string;
  };
}

function base(e: Exhaustion<EsmRecord>, functionArn: string, now: Date): FailureRecordBase {
  return {
    requestContext: {
      requestId: e.last.requestId,
      functionArn,
      condition: e.condition,
      approximateInvokeCount: e.approximateInvokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(e.last.ok ? {} : { functionError: 'Unhandled' as const }),
    },
    version: '1.0',
    timestamp: now.toISOString(),
  };
}

/** A Kafka record as the failure record needs it: lane `<topic>-<partition>`, offset, timestamp (ms). */
export interface KafkaRecordRef extends EsmRecord {
  readonly timestampMs: number;
}

export function kafkaFailureRecord(args: {
  readonly exhaustion: Exhaustion<KafkaRecordRef>;
  readonly functionArn: string;
  readonly eventSourceArn: string;
  readonly bootstrapServers: string;
  /** Size in bytes of the event these records were delivered in. */
  readonly payloadSize: number;
  readonly now?: Date;
}): KafkaFailureRecord {
  const { exhaustion: e } = args;
  const recordsInfo: Record<string, KafkaRecordsInfo> = {};
  for (const lane of [...new Set(e.records.map((r) => r.lane))]) {
    const records = e.records.filter((r) => r.lane === lane).sort((a, b) => (a.position < b.position ? -1 : 1));
    const first = records[0] as KafkaRecordRef;
    const last = records[records.length - 1] as KafkaRecordRef;
    recordsInfo[lane] = {
      firstRecordOffset: String(first.position),
      lastRecordOffset: String(last.position),
      firstRecordTimestamp: new Date(first.timestampMs).toISOString(),
      lastRecordTimestamp: new Date(last.timestampMs).toISOString(),
    };
  }
  return {
    ...base(e, args.functionArn, args.now ?? new Date()),
    KafkaBatchInfo: {
      batchSize: e.records.length,
      eventSourceArn: args.eventSourceArn,
      bootstrapServers: args.bootstrapServers,
      payloadSize: args.payloadSize,
      recordsInfo,
    },
  };
}

/** A stream record as the failure record needs it: shard, sequence number, creation time (epoch s). */
export interface StreamRecordRef extends EsmRecord {
  readonly approximateCreationSeconds: number;
  /** The sequence number exactly as the stream wrote it (leading zeros and all). */
  readonly sequenceNumber: string;
}

/** DynamoDB's stream timestamps are whole seconds: `2019-11-14T00:38:04Z`. */
const isoSeconds = (epochSeconds: number) =>
  new Date(Math.floor(epochSeconds) * 1000).toISOString().replace('.000Z', 'Z');

export function streamFailureRecord(args: {
  readonly exhaustion: Exhaustion<StreamRecordRef>;
  readonly functionArn: string;
  readonly streamArn: string;
  readonly now?: Date;
}): StreamFailureRecord {
  const { exhaustion: e } = args;
  const records = [...e.records].sort((a, b) => (a.position < b.position ? -1 : 1));
  const first = records[0];
  const last = records[records.length - 1];
  if (!first || !last) throw new Error('a failure record needs at least one record');
  return {
    ...base(e, args.functionArn, args.now ?? new Date()),
    DDBStreamBatchInfo: {
      shardId: first.lane,
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      approximateArrivalOfFirstRecord: isoSeconds(first.approximateCreationSeconds),
      approximateArrivalOfLastRecord: isoSeconds(last.approximateCreationSeconds),
      batchSize: records.length,
      streamArn: args.streamArn,
    },
  };
}
