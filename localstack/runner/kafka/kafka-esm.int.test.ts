/**
 * The Kafka ESM twin against the real local Kafka and ElasticMQ, invoking a real (worker-thread) test
 * function: ordering per partition, batching window, commit-after-success, partial batch responses,
 * retry exhaustion → failure record on the queue.
 */
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { type KafkaMappingSpec, kafkaMappings } from '../../../lib/topology';
import { useEsmTestRig } from '../../../test/support/esm-test-rig';
import {
  createQueue,
  createTopic,
  deleteQueue,
  deleteTopic,
  receiveMessages,
} from '../../../test/support/isolated-resources';
import { type TestFunction, testFunction } from '../../../test/support/local-functions';
import { uniqueName } from '../../../test/support/unique-name';
import { until } from '../../../test/support/until';
import type { KafkaFailureRecord } from '../esm/failure-record';
import type { FunctionOutcome } from '../esm/types';
import { KafkaEsm } from './kafka-esm';
import type { MskEvent } from './msk-event';

jest.setTimeout(60_000);
const rig = useEsmTestRig('kafka', 'sqs');
const { endpoints, sqs } = rig;
const kafka = new Kafka({ clientId: 'kafka-esm-it', brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
const template = kafkaMappings[0] as KafkaMappingSpec;

interface Seen {
  readonly event: MskEvent;
  readonly at: number;
  readonly outcome: FunctionOutcome;
}

interface Fixture {
  readonly topic: string;
  readonly queueUrl: string;
  readonly fn: TestFunction;
  readonly seen: Seen[];
  readonly esms: KafkaEsm[];
  startEsm(mapping?: Partial<KafkaMappingSpec>): Promise<KafkaEsm>;
  produce(messages: { key: string; value: string; partition?: number; timestamp?: string }[]): Promise<void>;
  delivered(): string[];
  committed(): Promise<Record<number, string>>;
}

async function fixture(partitions = 3): Promise<Fixture> {
  const prefix = uniqueName('kesm');
  const topic = `${prefix}-orders`;
  await createTopic(topic, partitions);
  const queueUrl = await createQueue(`${prefix}-dlq`);
  // A producer made after the topic exists, so its first metadata already has the topic's leaders.
  const producer: Producer = kafka.producer();
  await producer.connect();
  const fn = await testFunction('scripted-consumer');
  const seen: Seen[] = [];
  const esms: KafkaEsm[] = [];
  rig.afterTest(async () => {
    await Promise.all(esms.map((e) => e.stop()));
    await fn.fn.stop();
    await producer.disconnect();
    await deleteTopic(topic);
    await deleteQueue(queueUrl);
  });
  return {
    topic,
    queueUrl,
    fn,
    seen,
    esms,
    startEsm: async (overrides = {}) => {
      const esm = new KafkaEsm({
        mapping: { ...template, ...overrides },
        topic,
        groupId: `${prefix}-group`,
        brokers: endpoints.kafkaBrokers,
        fn: {
          arn: fn.fn.arn,
          invoke: async (event, meta) => {
            const outcome = await fn.fn.invoke(event, meta);
            seen.push({ event: event as MskEvent, at: Date.now(), outcome });
            return outcome;
          },
        },
        failureQueueUrl: queueUrl,
        sqs,
        region: endpoints.region,
        accountId: endpoints.accountId,
        backoff: { baseMs: 10, capMs: 50 },
      });
      esms.push(esm);
      await esm.start();
      return esm;
    },
    produce: async (messages) => {
      await producer.send({ topic, messages: messages.map((m) => ({ ...m, headers: { 'event-type': 'Test' } })) });
    },
    delivered: () =>
      seen.flatMap((s) => Object.values(s.event.records).flatMap((rs) => rs.map((r) => `${r.partition}@${r.offset}`))),
    committed: async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const [offsets] = await admin.fetchOffsets({ groupId: `${prefix}-group`, topics: [topic] });
        return Object.fromEntries((offsets?.partitions ?? []).map((p) => [p.partition, p.offset]));
      } finally {
        await admin.disconnect();
      }
    },
  };
}

describe('Kafka ESM twin', () => {
  it('delivers every record once, in offset order per partition, in MSK events of at most batchSize', async () => {
    const f = await fixture(3);
    await f.startEsm({ batchSize: 7, maxBatchingWindowSeconds: 0.2 });
    const messages = Array.from({ length: 45 }, (_, i) => ({ key: `order-${i % 9}`, value: 'ok' }));
    await f.produce(messages);
    await until('45 records', () => f.delivered().length >= 45);
    const delivered = f.delivered();
    expect(new Set(delivered).size).toBe(45);
    const byPartition = new Map<string, number[]>();
    for (const id of delivered) {
      const [p, o] = id.split('@');
      byPartition.set(p as string, [...(byPartition.get(p as string) ?? []), Number(o)]);
    }
    for (const offsets of byPartition.values()) expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    for (const { event } of f.seen) {
      expect(event.eventSource).toBe('aws:kafka');
      expect(event.bootstrapServers).toBe(endpoints.kafkaBrokers.join(','));
      const size = Object.values(event.records).reduce((n, rs) => n + rs.length, 0);
      expect(size).toBeLessThanOrEqual(7);
      for (const [key, records] of Object.entries(event.records)) {
        for (const r of records) {
          expect(key).toBe(`${f.topic}-${r.partition}`);
          expect(Buffer.from(r.value ?? '', 'base64').toString()).toBe('ok');
          expect(r.headers).toEqual([{ 'event-type': [...Buffer.from('Test')] }]);
        }
      }
    }
  });

  it('waits up to the batching window to fill a batch', async () => {
    const f = await fixture(1);
    await f.startEsm({ batchSize: 100, maxBatchingWindowSeconds: 1.5 });
    await until('consumer assigned', async () => (await f.committed())[0] !== undefined);
    const sentAt = Date.now();
    await f.produce([1, 2, 3, 4, 5].map((i) => ({ key: `k${i}`, value: 'ok', partition: 0 })));
    await until('the batch', () => f.delivered().length >= 5);
    expect(f.seen).toHaveLength(1);
    expect((f.seen[0] as Seen).at - sentAt).toBeGreaterThanOrEqual(1300);
  });

  it('commits only after success: a restart resumes after the last success, failures are read again', async () => {
    const f = await fixture(1);
    const first = await f.startEsm({ maxBatchingWindowSeconds: 0 });
    await f.produce([1, 2, 3].map((i) => ({ key: `k${i}`, value: 'ok', partition: 0 })));
    await until('3 records', () => f.delivered().length >= 3);
    await until('commit at 3', async () => (await f.committed())[0] === '3');
    // A record that keeps failing is retried without committing; stopping mid-retries leaves it uncommitted.
    await f.produce([{ key: 'k4', value: 'throw', partition: 0 }]);
    await until('retries of offset 3', () => f.delivered().filter((d) => d === '0@3').length >= 2);
    await first.stop();
    expect((await f.committed())[0]).toBe('3');

    f.seen.length = 0;
    await f.produce([{ key: 'k5', value: 'ok', partition: 0 }]);
    await f.startEsm({ maxBatchingWindowSeconds: 0, retryAttempts: 0, bisectBatchOnError: true });
    await until('offset 4 after restart', () => f.delivered().includes('0@4'));
    expect(f.delivered()[0]).toBe('0@3'); // the unfinished record comes back first, nothing before it
    expect(f.delivered()).not.toContain('0@2');
    await until('commit at 5', async () => (await f.committed())[0] === '5');
  });

  it('partial batch response: resumes the partition from the lowest reported offset', async () => {
    const f = await fixture(1);
    await f.produce(
      ['ok', 'ok', 'fail-once', 'ok', 'fail-once'].map((value, i) => ({ key: `k${i}`, value, partition: 0 })),
    );
    await f.startEsm({ maxBatchingWindowSeconds: 0.5 });
    await until('commit at 5', async () => (await f.committed())[0] === '5');
    const batches = f.seen.map((s) => (s.event.records[`${f.topic}-0`] ?? []).map((r) => r.offset));
    expect(batches[0]).toEqual([0, 1, 2, 3, 4]);
    expect(batches[1]).toEqual([2, 3, 4]);
    expect(batches).toHaveLength(2);
  });

  it('after retries are exhausted sends the AWS failure record to the queue and moves on', async () => {
    const f = await fixture(1);
    await f.produce(['ok', 'throw', 'ok', 'ok'].map((value, i) => ({ key: `k${i}`, value, partition: 0 })));
    await f.startEsm({ maxBatchingWindowSeconds: 0.5, retryAttempts: 2, bisectBatchOnError: true });
    const [message] = await receiveMessages(f.queueUrl, 1, 20_000);
    expect(message).toBeDefined();
    const record = JSON.parse(message?.Body ?? '{}') as KafkaFailureRecord;
    expect(record.requestContext).toMatchObject({
      functionArn: f.fn.fn.arn,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: expect.any(Number),
    });
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(record.KafkaBatchInfo).toMatchObject({
      batchSize: 1,
      bootstrapServers: endpoints.kafkaBrokers.join(','),
      recordsInfo: { [`${f.topic}-0`]: { firstRecordOffset: '1', lastRecordOffset: '1' } },
    });
    await until('commit past the poison record', async () => (await f.committed())[0] === '4');
    expect(f.delivered().filter((d) => d === '0@2' || d === '0@3')).toContain('0@3');
    // the poison record alone was invoked 1 + retryAttempts times once isolated
    const alone = f.seen.filter((s) => (s.event.records[`${f.topic}-0`] ?? []).map((r) => r.offset).join() === '1');
    expect(alone).toHaveLength(3);
  });

  it("AT_TIMESTAMP: a new group starts at each partition's first record at or after the time; an existing group resumes", async () => {
    const f = await fixture(2);
    const now = Date.now();
    const hourAgo = String(now - 3_600_000);
    await f.produce([
      { key: 'old-0', value: 'ok', partition: 0, timestamp: hourAgo },
      { key: 'old-1', value: 'ok', partition: 1, timestamp: hourAgo },
      { key: 'new-0', value: 'ok', partition: 0, timestamp: String(now - 60_000) },
      { key: 'new-0b', value: 'ok', partition: 0, timestamp: String(now) },
    ]);
    const thirtyMinutesAgo = Math.floor((now - 1_800_000) / 1000);
    const first = await f.startEsm({ startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: thirtyMinutesAgo });
    // Partition 1 has no record after the time: it starts at its end (offset 1), nothing delivered.
    await until('commit at 3 on partition 0', async () => (await f.committed())[0] === '3');
    expect((await f.committed())[1]).toBe('1');
    expect(f.delivered().sort()).toEqual(['0@1', '0@2']);
    await first.stop();

    // The group now has offsets: a new start ignores the timestamp (an hour before everything) and resumes.
    f.seen.length = 0;
    await f.produce([{ key: 'later', value: 'ok', partition: 1 }]);
    await f.startEsm({ startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: Math.floor(now / 1000) - 7200 });
    await until('the later record', () => f.delivered().length >= 1);
    await until('commit at 2 on partition 1', async () => (await f.committed())[1] === '2');
    expect(f.delivered()).toEqual(['1@1']);
  });

  it('AT_TIMESTAMP without a timestamp refuses to start', async () => {
    const f = await fixture(1);
    await expect(f.startEsm({ startingPosition: 'AT_TIMESTAMP' })).rejects.toThrow(/needs startingPositionTimestamp/);
  });
});
