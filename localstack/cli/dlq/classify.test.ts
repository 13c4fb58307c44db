/**
 * Classification of DLQ messages, fed with what the producers really write: the processor's dead-letter
 * body (functions/shared/dead-letter.ts), the runner's failure-record builders, and the failure records as
 * AWS documents them (localstack/runner/esm/documented-shapes.ts).
 */
import { deadLetterBody } from '../../../functions/shared/dead-letter';
import { bytes, exhaustedKafkaRecords, kafkaDeadLetter } from '../../../test/fixtures/dlq-messages';
import { documentedKafkaFailureRecord, documentedStreamFailureRecord } from '../../runner/esm/documented-shapes';
import { streamFailureRecord } from '../../runner/esm/failure-record';
import { classifyMessage, parseLane } from './classify';

describe('classifyMessage: processor dead letters', () => {
  it('reads a Kafka dead letter: reason, error, function, source coordinates and the original record', () => {
    const entry = classifyMessage(kafkaDeadLetter());
    expect(entry).toEqual({
      kind: 'kafka-dead-letter',
      reason: 'MALFORMED_JSON',
      errorName: 'PermanentError',
      errorMessage: 'value could not be decoded: Unexpected token',
      functionName: 'inventory',
      failedAt: '2026-01-01T00:00:01.000Z',
      source: { topic: 't1-orders', partition: 2, offset: '15' },
      record: {
        topic: 't1-orders',
        partition: 2,
        offset: '15',
        timestamp: 1767225600000,
        key: Buffer.from('order-1').toString('base64'),
        value: Buffer.from('{not json').toString('base64'),
        headers: [{ 'event-type': bytes('OrderCreated') }, { 'event-id': bytes('e-1') }],
      },
    });
  });

  it('accepts header bytes as AWS writes them (signed: "ë" is [-61, -85]) and unsigned ones, binary included', () => {
    const headers = [
      { note: [...new Int8Array(Buffer.from('crème ë'))] },
      { bin: [0, 127, -128, -1] },
      { unsigned: [0xc3, 0xab, 0xff] },
    ];
    expect(headers[0]?.note).toContain(-61);
    const entry = classifyMessage(kafkaDeadLetter({ record: { ...JSON.parse(kafkaDeadLetter()).record, headers } }));
    expect(entry.kind === 'kafka-dead-letter' && entry.record?.headers).toEqual(headers);
  });

  it.each([
    ['a byte above 255', [256]],
    ['a byte below -128', [-129]],
    ['a fraction', [1.5]],
    ['text', ['a']],
  ])('rejects header values with %s', (_, value) => {
    const entry = classifyMessage(
      kafkaDeadLetter({ record: { ...JSON.parse(kafkaDeadLetter()).record, headers: [{ h: value }] } }),
    );
    expect(entry).toEqual({
      kind: 'unknown',
      problem: 'dead letter record.headers is not an array of {name: [bytes]}',
    });
  });

  it('keeps a record without key or value (null), as a poison record may have', () => {
    const body = JSON.parse(kafkaDeadLetter());
    body.record.key = undefined;
    body.record.value = null;
    const entry = classifyMessage(JSON.stringify(body));
    expect(entry.kind === 'kafka-dead-letter' && entry.record).toMatchObject({ key: null, value: null });
  });

  it('a dead letter whose record was too large keeps only coordinates', () => {
    const big = 'x'.repeat(300 * 1024);
    const entry = classifyMessage(kafkaDeadLetter({ details: big }));
    expect(entry).toMatchObject({
      kind: 'kafka-dead-letter',
      source: { topic: 't1-orders', partition: 2, offset: '15' },
      recordOmitted: expect.stringContaining('record too large for SQS'),
    });
    expect(entry.kind === 'kafka-dead-letter' && entry.record).toBeUndefined();
  });

  it('reads the relay dead letter of a corrupt outbox item (source kind dynamodb-stream)', () => {
    const record = { eventName: 'INSERT', dynamodb: { SequenceNumber: '000000000000000000042', Keys: {} } };
    const body = deadLetterBody({
      reason: 'MISSING_VALUE',
      errorName: 'PermanentError',
      errorMessage: 'outbox item has no topic',
      functionName: 'outbox-relay',
      source: {
        kind: 'dynamodb-stream',
        eventSourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/x',
        eventID: 'ev-1',
        sequenceNumber: '000000000000000000042',
        pk: 'OUTBOX#o-1',
        sk: 'e-1',
      },
      record,
    });
    expect(classifyMessage(body)).toMatchObject({
      kind: 'stream-dead-letter',
      reason: 'MISSING_VALUE',
      functionName: 'outbox-relay',
      source: { sequenceNumber: '000000000000000000042', pk: 'OUTBOX#o-1', sk: 'e-1' },
      record,
    });
  });
});

describe('classifyMessage: ESM failure records', () => {
  it('reads the documented Kafka failure record: condition, invocations and offset ranges per partition', () => {
    expect(classifyMessage(JSON.stringify(documentedKafkaFailureRecord))).toEqual({
      kind: 'kafka-failure',
      condition: 'RetryAttemptsExhausted',
      functionArn: '…',
      approximateInvokeCount: 11,
      functionError: 'Unhandled',
      timestamp: '2026-01-01T00:00:00.000Z',
      batchSize: 1,
      eventSourceArn: '…',
      ranges: [
        {
          lane: 'orders-0',
          topic: 'orders',
          partition: 0,
          firstOffset: '15',
          lastOffset: '15',
          firstTimestamp: '…',
          lastTimestamp: '…',
        },
      ],
    });
  });

  it("reads the runner's Kafka failure record with prefixed topics and several partitions", () => {
    const record = exhaustedKafkaRecords({
      records: [
        { lane: 't9-orders-3', position: 7n, timestampMs: 1767225600000 },
        { lane: 't9-orders-3', position: 9n, timestampMs: 1767225601000 },
        { lane: 't9-orders-10', position: 2n, timestampMs: 1767225602000 },
      ],
      functionName: 'inventory',
      errorMessage: 'boom',
      bootstrapServers: '127.0.0.1:9092',
      payloadSize: 1000,
    });
    const entry = classifyMessage(JSON.stringify(record));
    expect(entry.kind).toBe('kafka-failure');
    if (entry.kind !== 'kafka-failure') return;
    expect(entry.ranges.map((r) => [r.topic, r.partition, r.firstOffset, r.lastOffset])).toEqual([
      ['t9-orders', 3, '7', '9'],
      ['t9-orders', 10, '2', '2'],
    ]);
    expect(entry).toMatchObject({ batchSize: 3, functionError: 'Unhandled', approximateInvokeCount: 11 });
  });

  it('reads the documented DynamoDB Streams failure record', () => {
    expect(classifyMessage(JSON.stringify(documentedStreamFailureRecord))).toEqual({
      kind: 'stream-failure',
      condition: 'RetryAttemptsExhausted',
      functionArn: 'arn:aws:lambda:us-east-2:123456789012:function:myfunction',
      approximateInvokeCount: 1,
      functionError: 'Unhandled',
      timestamp: '2019-11-14T00:13:49.717Z',
      batchSize: 1,
      streamArn: 'arn:aws:dynamodb:us-east-2:123456789012:table/mytable/stream/2019-11-14T00:04:06.388',
      shardId: 'shardId-00000001573689847184-864758bb',
      startSequenceNumber: '800000000003126276362',
      endSequenceNumber: '800000000003126276362',
      approximateArrivalOfFirstRecord: '2019-11-14T00:13:19Z',
      approximateArrivalOfLastRecord: '2019-11-14T00:13:19Z',
    });
  });

  it("reads the runner's stream failure record (sequence numbers beyond 2^53 stay exact)", () => {
    // A variable, not an inline literal: the runner's record type is gaining the exact sequenceNumber string.
    const records = [
      {
        lane: 'shardId-1',
        position: 900000000000000000001n,
        sequenceNumber: '900000000000000000001',
        approximateCreationSeconds: 1767225600,
      },
      {
        lane: 'shardId-1',
        position: 900000000000000000005n,
        sequenceNumber: '900000000000000000005',
        approximateCreationSeconds: 1767225601,
      },
    ];
    const record = streamFailureRecord({
      exhaustion: {
        records,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
        last: { ok: true, payload: {}, requestId: 'r-2' },
      },
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:outbox-relay',
      streamArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/orders/stream/x',
    });
    expect(classifyMessage(JSON.stringify(record))).toMatchObject({
      kind: 'stream-failure',
      shardId: 'shardId-1',
      startSequenceNumber: '900000000000000000001',
      endSequenceNumber: '900000000000000000005',
      batchSize: 2,
    });
  });
});

describe('classifyMessage: anything else is unknown, with the reason', () => {
  const withInfo = (info: unknown) => JSON.stringify({ ...documentedKafkaFailureRecord, KafkaBatchInfo: info });
  it.each([
    ['not JSON', 'hello', 'body is not JSON'],
    ['a JSON array', '[1]', 'body is not a JSON object'],
    ['an unrelated object', '{"a":1}', 'neither a dead letter (reason, source) nor an ESM failure record'],
    [
      'a dead letter of another source',
      JSON.stringify({ reason: 'X', source: { kind: 'sqs' } }),
      'dead letter with unknown source.kind "sqs"',
    ],
    [
      'a Kafka dead letter without offset',
      JSON.stringify({ reason: 'X', source: { kind: 'kafka', topic: 't', partition: 0 } }),
      'dead letter source.offset missing',
    ],
    [
      'a bad lane',
      withInfo({ recordsInfo: { orders: { firstRecordOffset: '1', lastRecordOffset: '1' } } }),
      'KafkaBatchInfo.recordsInfo key "orders" is not <topic>-<partition>',
    ],
    [
      'a reversed range',
      withInfo({ recordsInfo: { 'orders-0': { firstRecordOffset: '5', lastRecordOffset: '4' } } }),
      'recordsInfo["orders-0"]: lastRecordOffset 4 < firstRecordOffset 5',
    ],
    ['no ranges', withInfo({ recordsInfo: {} }), 'KafkaBatchInfo.recordsInfo is empty'],
    [
      'a failure record without condition',
      JSON.stringify({ ...documentedStreamFailureRecord, requestContext: {} }),
      'failure record without requestContext.condition',
    ],
    [
      'a stream failure record without sequence numbers',
      JSON.stringify({ ...documentedStreamFailureRecord, DDBStreamBatchInfo: { shardId: 's' } }),
      'DDBStreamBatchInfo.startSequenceNumber missing',
    ],
  ])('%s', (_, body, problem) => {
    expect(classifyMessage(body)).toEqual({ kind: 'unknown', problem });
  });
});

describe('parseLane', () => {
  it('splits at the last dash, since topic names contain dashes', () => {
    expect(parseLane('t1-orders-12')).toEqual({ topic: 't1-orders', partition: 12 });
    expect(parseLane('orders')).toBeUndefined();
  });
});
