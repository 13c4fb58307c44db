/**
 * The DynamoDB Streams ESM twin against DynamoDB Local's real stream and ElasticMQ, invoking a real
 * (worker-thread) test function: filter criteria, batch size, partial responses by SequenceNumber,
 * retry exhaustion → DDBStreamBatchInfo on the queue, and resuming from the checkpoint after a restart.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mappings, type StreamMappingSpec } from '../../../lib/topology';
import { useEsmTestRig } from '../../../test/support/esm-test-rig';
import {
  createQueue,
  createTable,
  deleteQueue,
  deleteTable,
  receiveMessages,
} from '../../../test/support/isolated-resources';
import { type TestFunction, testFunction } from '../../../test/support/local-functions';
import { uniqueName } from '../../../test/support/unique-name';
import { until } from '../../../test/support/until';
import { clientConfig } from '../endpoints';
import type { StreamFailureRecord } from '../esm/failure-record';
import type { FunctionOutcome } from '../esm/types';
import { type CheckpointStore, FileCheckpoints, MemoryCheckpoints } from './checkpoints';
import { StreamEsm } from './stream-esm';

jest.setTimeout(60_000);
const rig = useEsmTestRig('dynamodb', 'sqs');
const { endpoints, sqs } = rig;
const ddb = new DynamoDBClient(clientConfig(endpoints, endpoints.dynamodb));
const relay = mappings.find((m) => m.kind === 'dynamodb-stream') as StreamMappingSpec;

interface Fixture {
  readonly table: string;
  readonly streamArn: string;
  readonly queueUrl: string;
  readonly fn: TestFunction;
  readonly batches: DynamoDBRecord[][];
  readonly outcomes: FunctionOutcome[];
  startEsm(mapping?: Partial<StreamMappingSpec>, checkpoints?: CheckpointStore): Promise<StreamEsm>;
  put(pk: string, sk: string, action?: string): Promise<void>;
  keys(): string[];
}

afterAll(() => ddb.destroy());

async function fixture(): Promise<Fixture> {
  const prefix = uniqueName('sesm');
  const { name: table, streamArn } = await createTable('orders', prefix);
  if (!streamArn) throw new Error('the orders table has no stream');
  const queueUrl = await createQueue(`${prefix}-dlq`);
  const fn = await testFunction('stream-scripted');
  const batches: DynamoDBRecord[][] = [];
  const outcomes: FunctionOutcome[] = [];
  const esms: StreamEsm[] = [];
  rig.afterTest(async () => {
    await Promise.all(esms.map((e) => e.stop()));
    await fn.fn.stop();
    await deleteTable(table);
    await deleteQueue(queueUrl);
  });
  return {
    table,
    streamArn,
    queueUrl,
    fn,
    batches,
    outcomes,
    startEsm: async (overrides = {}, checkpoints = new MemoryCheckpoints()) => {
      const esm = new StreamEsm({
        mapping: { ...relay, ...overrides },
        streamArn,
        fn: {
          arn: fn.fn.arn,
          invoke: async (event, meta) => {
            const outcome = await fn.fn.invoke(event, meta);
            batches.push((event as DynamoDBStreamEvent).Records);
            outcomes.push(outcome);
            return outcome;
          },
        },
        failureQueueUrl: queueUrl,
        endpoints,
        sqs,
        checkpoints,
        pollIntervalMs: 50,
        backoff: { baseMs: 10, capMs: 50 },
      });
      esms.push(esm);
      await esm.start();
      return esm;
    },
    put: async (pk, sk, action = 'ok') => {
      await ddb.send(
        new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, sk: { S: sk }, action: { S: action } } }),
      );
    },
    keys: () => batches.flat().map((r) => `${r.dynamodb?.Keys?.pk?.S}/${r.dynamodb?.Keys?.sk?.S}`),
  };
}

describe('DynamoDB Streams ESM twin', () => {
  it('delivers only what the mapping filter lets through (outbox INSERTs), as Lambda stream records', async () => {
    const f = await fixture();
    const esm = await f.startEsm();
    await f.put('ORDER#o-1', 'ORDER');
    await f.put('OUTBOX#o-1', 'evt-a');
    await ddb.send(
      new UpdateItemCommand({
        TableName: f.table,
        Key: { pk: { S: 'OUTBOX#o-1' }, sk: { S: 'evt-a' } },
        UpdateExpression: 'SET touched = :t',
        ExpressionAttributeValues: { ':t': { BOOL: true } },
      }),
    );
    await f.put('OUTBOX#o-2', 'evt-b');
    await until('two outbox inserts', () => f.keys().length >= 2);
    await esm.idle();
    expect(f.keys()).toEqual(['OUTBOX#o-1/evt-a', 'OUTBOX#o-2/evt-b']);
    const record = f.batches.flat()[0] as DynamoDBRecord;
    expect(record).toMatchObject({
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: endpoints.region,
      eventSourceARN: f.streamArn,
      dynamodb: {
        Keys: { pk: { S: 'OUTBOX#o-1' }, sk: { S: 'evt-a' } },
        NewImage: { pk: { S: 'OUTBOX#o-1' }, sk: { S: 'evt-a' }, action: { S: 'ok' } },
        StreamViewType: 'NEW_IMAGE',
        SequenceNumber: expect.stringMatching(/^\d+$/),
        SizeBytes: expect.any(Number),
        ApproximateCreationDateTime: expect.any(Number),
      },
    });
    expect(Math.abs((record.dynamodb?.ApproximateCreationDateTime ?? 0) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('starts at TRIM_HORIZON and cuts batches of at most batchSize, in stream order', async () => {
    const f = await fixture();
    for (const i of [1, 2, 3, 4, 5]) await f.put(`OUTBOX#o-${i}`, `evt-${i}`);
    await f.startEsm({ batchSize: 2 });
    await until('five records', () => f.keys().length >= 5);
    expect(f.batches.map((b) => b.length)).toEqual([2, 2, 1]);
    expect(f.keys()).toEqual([1, 2, 3, 4, 5].map((i) => `OUTBOX#o-${i}/evt-${i}`));
  });

  it('partial batch response: checkpoints before the reported SequenceNumber and retries from it', async () => {
    const f = await fixture();
    await f.put('OUTBOX#o-1', 'evt-1');
    await f.put('OUTBOX#o-2', 'evt-2', 'fail-once');
    await f.put('OUTBOX#o-3', 'evt-3');
    await f.startEsm();
    await until('the retry', () => f.batches.length >= 2);
    expect(f.batches[0]?.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['OUTBOX#o-1', 'OUTBOX#o-2', 'OUTBOX#o-3']);
    expect(f.batches[1]?.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['OUTBOX#o-2', 'OUTBOX#o-3']);
  });

  it('after retries are exhausted sends DDBStreamBatchInfo to the queue and moves on', async () => {
    const f = await fixture();
    await f.put('OUTBOX#o-1', 'evt-1');
    await f.put('OUTBOX#o-2', 'evt-2', 'throw');
    await f.put('OUTBOX#o-3', 'evt-3');
    await f.startEsm({ retryAttempts: 1, bisectBatchOnError: true });
    const [message] = await receiveMessages(f.queueUrl, 1, 20_000);
    const record = JSON.parse(message?.Body ?? '{}') as StreamFailureRecord;
    const poison = f.batches.flat().find((r) => r.dynamodb?.Keys?.pk?.S === 'OUTBOX#o-2') as DynamoDBRecord;
    expect(record.requestContext).toMatchObject({ functionArn: f.fn.fn.arn, condition: 'RetryAttemptsExhausted' });
    expect(record.responseContext.functionError).toBe('Unhandled');
    expect(record.DDBStreamBatchInfo).toMatchObject({
      startSequenceNumber: poison.dynamodb?.SequenceNumber,
      endSequenceNumber: poison.dynamodb?.SequenceNumber,
      batchSize: 1,
      streamArn: f.streamArn,
      shardId: expect.any(String),
      approximateArrivalOfFirstRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    // Moving on: after the poison record is given up, the record after it is invoked on its own.
    await until('the record after the poison one', () =>
      f.batches.some((b) => b.length === 1 && b[0]?.dynamodb?.Keys?.pk?.S === 'OUTBOX#o-3'),
    );
  });

  it('resumes after its checkpoint when restarted', async () => {
    const f = await fixture();
    const dir = mkdtempSync(join(tmpdir(), 'stream-checkpoints-'));
    const first = await f.startEsm({}, new FileCheckpoints(dir, relay.id, f.streamArn));
    await f.put('OUTBOX#o-1', 'evt-1');
    await f.put('OUTBOX#o-2', 'evt-2');
    await until('two records', () => f.keys().length >= 2);
    await first.idle();
    await first.stop();
    await f.put('OUTBOX#o-3', 'evt-3');
    f.batches.length = 0;
    const second = await f.startEsm({}, new FileCheckpoints(dir, relay.id, f.streamArn));
    await until('the new record', () => f.keys().length >= 1);
    await second.idle();
    expect(f.keys()).toEqual(['OUTBOX#o-3/evt-3']);
  });
});
