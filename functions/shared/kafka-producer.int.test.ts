/**
 * The producer against the local Kafka broker: key, headers and partition-by-key, read back with a
 * consumer; and a clear failure when the broker cannot be reached.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { createKafkaPublisher, kafkaSettingsFromEnv } from './kafka-producer';

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const kafka = new Kafka({ clientId: 'producer-it', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
const topic = `it-producer-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
});

afterAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

async function readAll(count: number) {
  const consumer = kafka.consumer({ groupId: `it-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got: { key: string; value: string; partition: number; offset: number; headers: Record<string, string> }[] = [];
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message, partition }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        got.push({
          key: String(message.key),
          value: String(message.value),
          partition,
          offset: Number(message.offset),
          headers,
        });
        if (got.length === count) resolve();
      },
    });
  });
  await consumer.disconnect();
  return got;
}

describe('Kafka publisher (local broker)', () => {
  it('publishes keyed messages with headers; one key always lands on one partition, in order', async () => {
    const publisher = createKafkaPublisher(kafkaSettingsFromEnv('producer-it', { KAFKA_BROKERS: brokers }));
    const keys = ['order-a', 'order-b', 'order-c', 'order-d'];
    const messages = keys.flatMap((key) =>
      [1, 2, 3].map((n) => ({
        topic,
        key,
        value: JSON.stringify({ key, n }),
        headers: { 'event-type': 'OrderCreated', n: String(n) },
      })),
    );
    await publisher.publish(messages.slice(0, 6));
    await publisher.publish(messages.slice(6)); // the second call reuses the connection
    await publisher.disconnect();

    const got = await readAll(messages.length);
    for (const key of keys) {
      const mine = got.filter((m) => m.key === key);
      expect(new Set(mine.map((m) => m.partition)).size).toBe(1);
      expect(mine.sort((a, b) => a.offset - b.offset).map((m) => JSON.parse(m.value).n)).toEqual([1, 2, 3]);
      expect(mine[0]?.headers['event-type']).toBe('OrderCreated');
    }
  });

  it('fails with a connection error when no broker answers (not a hang)', async () => {
    const publisher = createKafkaPublisher({
      clientId: 'unreachable',
      brokers: '127.0.0.1:1',
      connectionTimeoutMs: 300,
    });
    await expect(publisher.publish([{ topic, key: 'k', value: 'v', headers: {} }])).rejects.toThrow(
      /connect|ECONNREFUSED/i,
    );
  }, 30_000);

  it('names the missing setting when neither KAFKA_BROKERS nor MSK_CLUSTER_ARN is set', () => {
    expect(() => kafkaSettingsFromEnv('x', {})).toThrow(/KAFKA_BROKERS .* MSK_CLUSTER_ARN/);
  });
});
