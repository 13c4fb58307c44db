/**
 * Smoke test of the local Kafka broker: a 3-partition topic, 1,000 keyed messages from an
 * idempotent producer with acks=all, consumed by a consumer group exactly once with order kept per
 * key, and committed offsets surviving a consumer restart.
 */
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers, requireBackends } from '../support/backends';
import { uniqueName } from '../support/unique-name';
import { until } from '../support/until';

const TOTAL = 1000;
const KEYS = 25;
const FIRST_CONSUMER_SHARE = 400;

const kafka = new Kafka({ clientId: 'smoke-kafka', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
const topic = uniqueName('smoke-kafka');
const groupId = uniqueName('smoke-group');

interface Received {
  readonly key: string;
  readonly seq: number;
  readonly partition: number;
  readonly offset: string;
}

beforeAll(async () => {
  await requireBackends('kafka');
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}, 30_000);

afterAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups([groupId]).catch(() => undefined);
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

/**
 * Consumes with manual commits (one per processed message). Once `stopAfter` messages are
 * processed, later deliveries are neither recorded nor committed: Kafka must hand them to the next
 * consumer of the group.
 */
async function consume(into: Received[], stopAfter: number): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  let processed = 0;
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      if (processed >= stopAfter) return;
      const value = JSON.parse(message.value?.toString() ?? 'null') as { key: string; seq: number };
      expect(message.key?.toString()).toBe(value.key);
      into.push({ key: value.key, seq: value.seq, partition, offset: message.offset });
      processed += 1;
      await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
    },
  });
  return consumer;
}

test('1,000 keyed messages: produced idempotently with acks=all, consumed once, in order per key, across a consumer restart', async () => {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const messages = Array.from({ length: TOTAL }, (_, i) => {
    const key = `key-${i % KEYS}`;
    return { key, value: JSON.stringify({ key, seq: i }) };
  });
  for (let i = 0; i < TOTAL; i += 100) {
    const acks = await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 100) });
    expect(acks.every((a) => a.errorCode === 0)).toBe(true);
  }
  await producer.disconnect();

  // The log holds exactly 1,000 records, spread over the 3 partitions (no duplicate writes).
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  expect(offsets).toHaveLength(3);
  expect(offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0)).toBe(TOTAL);
  expect(offsets.filter((p) => Number(p.high) > 0)).toHaveLength(3);

  // First consumer of the group processes part of the stream, committing as it goes, then stops.
  const received: Received[] = [];
  const first = await consume(received, FIRST_CONSUMER_SHARE);
  await until('the first consumer', () => received.length >= FIRST_CONSUMER_SHARE, { timeoutMs: 60_000 });
  await first.disconnect();
  const firstShare = received.length;
  expect(firstShare).toBe(FIRST_CONSUMER_SHARE);
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  const committedTotal = committed[0]?.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  expect(committedTotal).toBe(FIRST_CONSUMER_SHARE);
  await admin.disconnect();

  // A new consumer in the same group resumes at the committed offsets: no message twice, none lost.
  const second = await consume(received, Number.POSITIVE_INFINITY);
  await until('the second consumer', () => received.length >= TOTAL, { timeoutMs: 60_000 });
  await new Promise((r) => setTimeout(r, 1000)); // would any duplicate still arrive?
  await second.disconnect();

  expect(received).toHaveLength(TOTAL);
  expect(new Set(received.map((r) => r.seq)).size).toBe(TOTAL);
  const resumedAt = new Map<number, number>();
  for (const r of received.slice(firstShare)) {
    if (!resumedAt.has(r.partition)) resumedAt.set(r.partition, Number(r.offset));
  }
  // A partition without a commit (-1) starts from the beginning (offset 0): fromBeginning.
  for (const p of committed[0]?.partitions ?? []) {
    if (resumedAt.has(p.partition)) expect(resumedAt.get(p.partition)).toBe(Math.max(0, Number(p.offset)));
  }

  // Order per key: every key lives in one partition and its sequence numbers only grow.
  const byKey = new Map<string, Received[]>();
  for (const r of received) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  expect(byKey.size).toBe(KEYS);
  for (const records of byKey.values()) {
    expect(new Set(records.map((r) => r.partition)).size).toBe(1);
    const seqs = records.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs).toHaveLength(TOTAL / KEYS);
  }
}, 120_000);
