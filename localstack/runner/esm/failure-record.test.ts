import { existsSync, readFileSync } from 'node:fs';
import { documentedKafkaFailureRecord, documentedStreamFailureRecord, shapeOf } from './documented-shapes';
import { type KafkaRecordRef, kafkaFailureRecord, type StreamRecordRef, streamFailureRecord } from './failure-record';
import type { Exhaustion } from './types';

const REFERENCE = '/work/shared/reference/aws-behaviour.md';
const now = new Date('2026-03-01T12:00:00.123Z');

/**
 * The documented Kafka record: read from the project's AWS behaviour reference when it is present (the
 * embedded copy must then be identical to it), else the embedded copy.
 */
function documentedKafka(): unknown {
  if (!existsSync(REFERENCE)) return documentedKafkaFailureRecord;
  const block = /Failure record sent to SQS\/SNS[^\n]*\n```json\n([\s\S]*?)```/.exec(
    readFileSync(REFERENCE, 'utf8'),
  )?.[1];
  if (!block) throw new Error(`${REFERENCE} no longer has the Kafka failure record example`);
  const fromReference: unknown = JSON.parse(block);
  expect(fromReference).toEqual(documentedKafkaFailureRecord);
  return fromReference;
}

const kafkaRef = (lane: string, offset: number, ts: number): KafkaRecordRef => ({
  lane,
  position: BigInt(offset),
  timestampMs: ts,
});

const kafkaExhaustion = (records: KafkaRecordRef[], ok = false): Exhaustion<KafkaRecordRef> => ({
  records,
  condition: 'RetryAttemptsExhausted',
  approximateInvokeCount: 11,
  last: ok
    ? { ok: true, payload: { batchItemFailures: [] }, requestId: 'r-1' }
    : { ok: false, errorType: 'Error', errorMessage: 'boom', requestId: 'r-1' },
});

describe('Kafka failure record (KafkaBatchInfo)', () => {
  const record = kafkaFailureRecord({
    exhaustion: kafkaExhaustion([
      kafkaRef('orders-0', 15, Date.UTC(2026, 0, 1, 0, 0, 0, 5)),
      kafkaRef('orders-0', 16, Date.UTC(2026, 0, 1, 0, 0, 1, 7)),
      kafkaRef('orders-3', 4, Date.UTC(2026, 0, 1, 0, 0, 2)),
    ]),
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:inventory',
    eventSourceArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/local/abc-1',
    bootstrapServers: '127.0.0.1:9092',
    payloadSize: 987,
    now,
  });

  it('has exactly the documented fields, with the documented types', () => {
    expect(shapeOf(record)).toEqual(shapeOf(documentedKafka()));
  });

  it('keeps the documented constants and key order', () => {
    expect(Object.keys(record)).toEqual(Object.keys(documentedKafkaFailureRecord));
    expect(Object.keys(record.KafkaBatchInfo)).toEqual(Object.keys(documentedKafkaFailureRecord.KafkaBatchInfo));
    expect(record.version).toBe('1.0');
    expect(record.requestContext).toEqual({
      requestId: 'r-1',
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:inventory',
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 11,
    });
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(record.timestamp).toBe('2026-03-01T12:00:00.123Z');
  });

  it('describes each partition of the batch by first/last offset (strings) and timestamp', () => {
    expect(record.KafkaBatchInfo).toEqual({
      batchSize: 3,
      eventSourceArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/local/abc-1',
      bootstrapServers: '127.0.0.1:9092',
      payloadSize: 987,
      recordsInfo: {
        'orders-0': {
          firstRecordOffset: '15',
          lastRecordOffset: '16',
          firstRecordTimestamp: '2026-01-01T00:00:00.005Z',
          lastRecordTimestamp: '2026-01-01T00:00:01.007Z',
        },
        'orders-3': {
          firstRecordOffset: '4',
          lastRecordOffset: '4',
          firstRecordTimestamp: '2026-01-01T00:00:02.000Z',
          lastRecordTimestamp: '2026-01-01T00:00:02.000Z',
        },
      },
    });
  });

  it('has no functionError when the last invocation returned a partial batch response', () => {
    const partial = kafkaFailureRecord({
      exhaustion: kafkaExhaustion([kafkaRef('orders-0', 1, 0)], true),
      functionArn: 'f',
      eventSourceArn: 'e',
      bootstrapServers: 'b',
      payloadSize: 1,
    });
    expect(partial.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
  });
});

describe('DynamoDB Streams failure record (DDBStreamBatchInfo)', () => {
  const refs: StreamRecordRef[] = [
    { lane: 'shardId-0001', position: 300n, sequenceNumber: '000300', approximateCreationSeconds: 1_767_225_603 },
    { lane: 'shardId-0001', position: 100n, sequenceNumber: '000100', approximateCreationSeconds: 1_767_225_601 },
  ];
  const record = streamFailureRecord({
    exhaustion: {
      records: refs,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 3,
      last: {
        ok: false,
        errorType: 'Sandbox.Timedout',
        errorMessage: 'Task timed out after 60.00 seconds',
        requestId: 'r-9',
      },
    },
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:outbox-relay',
    streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T00:00:00.000',
    now,
  });

  it('has exactly the documented fields, with the documented types and key order', () => {
    expect(shapeOf(record)).toEqual(shapeOf(documentedStreamFailureRecord));
    expect(Object.keys(record)).toEqual(Object.keys(documentedStreamFailureRecord));
    expect(Object.keys(record.DDBStreamBatchInfo)).toEqual(
      Object.keys(documentedStreamFailureRecord.DDBStreamBatchInfo),
    );
  });

  it('spans the records by sequence number (as written), with second-precision arrival times', () => {
    expect(record.DDBStreamBatchInfo).toEqual({
      shardId: 'shardId-0001',
      startSequenceNumber: '000100',
      endSequenceNumber: '000300',
      approximateArrivalOfFirstRecord: '2026-01-01T00:00:01Z',
      approximateArrivalOfLastRecord: '2026-01-01T00:00:03Z',
      batchSize: 2,
      streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T00:00:00.000',
    });
    expect(record.requestContext.approximateInvokeCount).toBe(3);
    expect(record.responseContext.functionError).toBe('Unhandled');
  });
});
