/**
 * The AWS limits module and its two users agreeing: the CDK mapping check (lib/services/event-sources.ts,
 * pinned against templates in test/cdk/services/event-sources.test.ts) and both ESM twins refuse the
 * same settings, the twins also taking sub-second windows. The numbers are the documented ones (each
 * cited in aws-limits.ts), written out here so a change to a constant is a change to this test.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { endpointsFromEnv } from '../localstack/runner/endpoints';
import { KafkaEsm } from '../localstack/runner/kafka/kafka-esm';
import { StreamEsm } from '../localstack/runner/streams/stream-esm';
import {
  API_GATEWAY_LIMITS,
  ESM_LIMITS,
  LAMBDA_LIMITS,
  type MappingSettings,
  MSK_LIMITS,
  mappingLimitProblems,
  SQS_LIMITS,
} from './aws-limits';
import { type KafkaMappingSpec, kafkaMappings, type StreamMappingSpec, streamMappings } from './topology';

it('names the documented numbers', () => {
  expect(ESM_LIMITS).toMatchObject({
    batchSize: { min: 1, max: 10_000 },
    batchingWindowSeconds: { min: 0, max: 300 },
    recordAgeSeconds: { min: 60, max: 604_800 },
    retryAttempts: { min: 0, max: 10_000 },
    infinite: -1,
    infiniteRetryCap: 10,
  });
  expect(LAMBDA_LIMITS.syncPayloadBytes).toBe(6_291_456);
  expect(API_GATEWAY_LIMITS.payloadBytes).toBe(10_485_760);
  expect(SQS_LIMITS.retentionSeconds).toEqual({ min: 60, max: 1_209_600 });
  expect(MSK_LIMITS.volumeGiB).toEqual({ min: 1, max: 16_384 });
});

const valid: MappingSettings = {
  batchSize: 100,
  maxBatchingWindowSeconds: 0,
  retryAttempts: 10,
  maxRecordAgeSeconds: -1,
};

describe('mappingLimitProblems', () => {
  it('accepts the bounds and the infinite -1 of retries and record age', () => {
    for (const m of [
      { batchSize: 1, maxBatchingWindowSeconds: 0, retryAttempts: 0, maxRecordAgeSeconds: 60 },
      { batchSize: 10_000, maxBatchingWindowSeconds: 300, retryAttempts: 10_000, maxRecordAgeSeconds: 604_800 },
      { ...valid, retryAttempts: -1, maxRecordAgeSeconds: -1 },
    ]) {
      expect(mappingLimitProblems(m, { wholeSecondWindow: true })).toEqual([]);
    }
  });

  it('lists every setting out of range, not only the first', () => {
    const problems = mappingLimitProblems(
      { batchSize: 0, maxBatchingWindowSeconds: 301, retryAttempts: -2, maxRecordAgeSeconds: 30 },
      { wholeSecondWindow: true },
    );
    expect(problems).toEqual([
      'batchSize must be a whole number 1..10000, got 0',
      'maxBatchingWindowSeconds must be a whole number 0..300, got 301',
      'retryAttempts must be -1 or 0..10000, got -2',
      'maxRecordAgeSeconds must be -1 or 60..604800, got 30',
    ]);
  });

  it('takes a fractional window only where whole seconds are not required', () => {
    const m = { ...valid, maxBatchingWindowSeconds: 0.5 };
    expect(mappingLimitProblems(m, { wholeSecondWindow: false })).toEqual([]);
    expect(mappingLimitProblems(m, { wholeSecondWindow: true })).toEqual([
      'maxBatchingWindowSeconds must be a whole number 0..300, got 0.5',
    ]);
  });
});

describe('the Kafka ESM twin refuses what AWS refuses', () => {
  const mapping = kafkaMappings[0] as KafkaMappingSpec;
  const twin = (overrides: Partial<KafkaMappingSpec>) =>
    new KafkaEsm({
      mapping: { ...mapping, ...overrides },
      topic: 't',
      groupId: 'g',
      brokers: ['127.0.0.1:1'],
      fn: {
        arn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
        invoke: async () => ({ ok: true, requestId: 'r', payload: null }),
      },
      failureQueueUrl: 'http://127.0.0.1:1/q',
      sqs: new SQSClient({ region: 'us-east-1' }),
      region: 'us-east-1',
      accountId: '000000000000',
    });

  it.each([
    [{ batchSize: 10_001 }, 'batchSize must be a whole number 1..10000, got 10001'],
    [{ maxBatchingWindowSeconds: 300.5 }, 'maxBatchingWindowSeconds must be 0..300, got 300.5'],
    [{ retryAttempts: 10_001 }, 'retryAttempts must be -1 or 0..10000, got 10001'],
    [{ maxRecordAgeSeconds: 59 }, 'maxRecordAgeSeconds must be -1 or 60..604800, got 59'],
  ] as const)('%j', (overrides, message) => {
    expect(() => twin(overrides)).toThrow(`${mapping.id}: ${message}`);
  });

  it("takes the topology's mappings and sub-second windows", () => {
    expect(() => twin({})).not.toThrow();
    expect(() => twin({ maxBatchingWindowSeconds: 0.2 })).not.toThrow();
  });
});

describe('the DynamoDB Streams ESM twin refuses what AWS refuses', () => {
  const mapping = streamMappings[0] as StreamMappingSpec;
  it.each([
    [{ batchSize: 0 }, 'batchSize must be a whole number 1..10000, got 0'],
    [{ maxBatchingWindowSeconds: 301 }, 'maxBatchingWindowSeconds must be 0..300, got 301'],
    [{ retryAttempts: -5 }, 'retryAttempts must be -1 or 0..10000, got -5'],
    [{ maxRecordAgeSeconds: 604_801 }, 'maxRecordAgeSeconds must be -1 or 60..604800, got 604801'],
  ] as const)('%j', (overrides, message) => {
    // The check comes first in the constructor: nothing is connected or written for a refused mapping.
    const construct = () =>
      new StreamEsm({
        mapping: { ...mapping, ...overrides },
        streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/x',
        fn: {
          arn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
          invoke: async () => ({ ok: true, requestId: 'r', payload: null }),
        },
        failureQueueUrl: 'http://127.0.0.1:1/q',
        endpoints: endpointsFromEnv({}),
        sqs: new SQSClient({ region: 'us-east-1' }),
      });
    expect(construct).toThrow(`${mapping.id}: ${message}`);
  });
});
