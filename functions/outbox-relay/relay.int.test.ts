/**
 * outbox-relay against the local servers: real outbox items (written by the shared outbox writer, read
 * back from DynamoDB Local's stream) published to a real Kafka topic and consumed back; corrupt items
 * dead-lettered to a real ElasticMQ queue; real publish and DLQ failures reported as partial batch
 * responses that name exactly the failed record and every later one.
 */
import { randomUUID } from 'node:crypto';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { functionEnvironment } from '../../lib/topology';
import { dynamoStreamEvent, dynamoStreamRecord, lambdaContext, type StreamChange } from '../../test/support/aws-events';
import {
  createQueue,
  createTable,
  createTopic,
  deleteQueue,
  deleteTable,
  deleteTopic,
  readTopic,
  receiveMessages,
  streamRecords,
  topicMessageCount,
  useLocalBackends,
} from '../../test/support/isolated-resources';
import { relayedHeaders, testSchemaIds } from '../../test/support/schema-ids';
import { uniqueName } from '../../test/support/unique-name';
import { sendDeadLetter } from '../shared/dead-letter';
import { type AnyEventEnvelope, newEvent } from '../shared/envelope';
import { createKafkaPublisher, type EventPublisher, kafkaSettingsFromEnv } from '../shared/kafka-producer';
import { outboxPut, writeWithOutbox } from '../shared/outbox';
import { relayBatch } from './relay';

type Handler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

const prefix = uniqueName('relay');
const topic = `${prefix}-orders`;
let ordersTable: { name: string; streamArn?: string };
let dlqUrl: string;
let publisher: EventPublisher;

beforeAll(async () => {
  useLocalBackends();
  [ordersTable, dlqUrl] = await Promise.all([
    createTable('orders', prefix),
    createQueue(`${prefix}-dlq`),
    createTopic(topic, 3),
  ]);
  publisher = createKafkaPublisher(kafkaSettingsFromEnv('relay-it'));
}, 60_000);

const loadedPublishers: EventPublisher[] = [];

afterAll(async () => {
  await Promise.all([publisher, ...loadedPublishers].map((p) => p.disconnect()));
  await Promise.all([deleteTable(ordersTable.name), deleteQueue(dlqUrl), deleteTopic(topic)]);
}, 60_000);

/** Loads the handler module with its topology environment (+ overrides), in a fresh module registry. */
function loadHandler(env: Record<string, string> = {}): Handler {
  const saved = { ...process.env };
  Object.assign(
    process.env,
    functionEnvironment('outbox-relay', { table: () => ordersTable.name, queueUrl: () => dlqUrl }),
    env,
  );
  let loaded: { handler: Handler; publisher: EventPublisher } | undefined;
  jest.isolateModules(() => {
    loaded = require('./handler') as { handler: Handler; publisher: EventPublisher };
  });
  process.env = saved; // the module read its configuration at load; later clients see the usual servers
  if (!loaded) throw new Error('handler did not load');
  loadedPublishers.push(loaded.publisher);
  return loaded.handler;
}

function orderCreated(orderId = randomUUID()): AnyEventEnvelope {
  return newEvent({
    type: 'OrderCreated',
    orderId,
    source: 'order-api',
    correlationId: `corr-${randomUUID()}`,
    causationId: `req-${randomUUID()}`,
    payload: {
      customerId: 'cust-relay',
      currency: 'EUR',
      items: [{ sku: 'SKU-A', quantity: 1, unitPrice: { amount: 100, currency: 'EUR' } }],
      total: { amount: 100, currency: 'EUR' },
    },
  });
}

/** The stream change DynamoDB emits when the outbox writer puts this event's item. */
function outboxInsert(event: AnyEventEnvelope, overrides: Record<string, unknown> = {}, toTopic = topic): StreamChange {
  const put = outboxPut(ordersTable.name, { event, topic: toTopic });
  const item = { ...unmarshall(put.Put?.Item ?? {}), ...overrides };
  return { eventName: 'INSERT', keys: { pk: item.pk, sk: item.sk }, newImage: item };
}

const sequenceOf = (r: DynamoDBRecord) => r.dynamodb?.SequenceNumber as string;

describe('outbox-relay (local Kafka, DynamoDB Local, ElasticMQ)', () => {
  it('publishes real outbox items from the table stream: keyed by orderId, with headers, one partition per key, in order', async () => {
    const handler = loadHandler();
    const orderIds = [randomUUID(), randomUUID(), randomUUID()];
    const events: AnyEventEnvelope[] = [];
    // Three events per order (the first real, the others shaped as reactions), each its own transaction.
    for (let n = 0; n < 3; n++) {
      for (const orderId of orderIds) {
        const e = n === 0 ? orderCreated(orderId) : { ...orderCreated(orderId), sequence: n + 1 };
        events.push(e);
        await writeWithOutbox(ordersTable.name, [], [{ event: e, topic }]);
      }
    }
    const records = await streamRecords(ordersTable.streamArn as string);
    expect(records.filter((r) => r.eventName === 'INSERT')).toHaveLength(9);

    const response = await handler({ Records: records }, lambdaContext('outbox-relay'));
    expect(response).toEqual({ batchItemFailures: [] });

    const got = await readTopic(topic, 9);
    for (const orderId of orderIds) {
      const mine = got.filter((m) => m.key === orderId).sort((a, b) => a.offset - b.offset);
      expect(mine).toHaveLength(3);
      expect(new Set(mine.map((m) => m.partition)).size).toBe(1);
      const sent = events.filter((e) => e.orderId === orderId);
      expect(mine.map((m) => JSON.parse(m.value).eventId)).toEqual(sent.map((e) => e.eventId));
      const first = sent[0] as AnyEventEnvelope;
      expect(JSON.parse(mine[0]?.value ?? '')).toEqual(first);
      expect(first.type).toBe('OrderCreated');
      // With the handler's SCHEMA_VERSION_IDS (the registry twin's): the id of the envelope's own version.
      expect(mine[0]?.headers).toEqual(relayedHeaders(first));
    }
  }, 60_000);

  it('ignores TTL removals, modifications and non-outbox items (only the outbox INSERT is published)', async () => {
    const own = `${prefix}-ignore`;
    await createTopic(own, 1);
    try {
      const handler = loadHandler();
      const event = orderCreated();
      const insert = outboxInsert(event, {}, own);
      const order = { pk: `ORDER#${event.orderId}`, sk: 'ORDER', status: 'PENDING' };
      const batch = dynamoStreamEvent(ordersTable.name, [
        { eventName: 'INSERT', keys: { pk: order.pk, sk: order.sk }, newImage: order },
        { eventName: 'MODIFY', keys: { pk: order.pk, sk: order.sk }, newImage: { ...order, status: 'RESERVED' } },
        { eventName: 'REMOVE', keys: insert.keys, oldImage: insert.newImage, ttlRemoval: true },
        insert,
      ]);
      await expect(handler(batch, lambdaContext('outbox-relay'))).resolves.toEqual({ batchItemFailures: [] });
      const [message] = await readTopic(own, 1);
      expect(message?.key).toBe(event.orderId);
      expect(await topicMessageCount(own)).toBe(1);
    } finally {
      await deleteTopic(own);
    }
  }, 60_000);

  it('sends a corrupt outbox item to the DLQ with its reason, sequence number and keys, and relays the rest', async () => {
    const own = `${prefix}-corrupt`;
    await createTopic(own, 1);
    try {
      const handler = loadHandler();
      const [a, bad, b] = [orderCreated(), orderCreated(), orderCreated()] as [
        AnyEventEnvelope,
        AnyEventEnvelope,
        AnyEventEnvelope,
      ];
      const batch = dynamoStreamEvent(ordersTable.name, [
        outboxInsert(a, {}, own),
        outboxInsert(bad, { envelope: '{"eventId": "truncated' }, own),
        outboxInsert(b, {}, own),
      ]);
      await expect(handler(batch, lambdaContext('outbox-relay'))).resolves.toEqual({ batchItemFailures: [] });

      const letters = await receiveMessages(dlqUrl, 1);
      expect(letters).toHaveLength(1);
      const letter = JSON.parse(letters[0]?.Body ?? '{}');
      expect(letter).toMatchObject({
        reason: 'MALFORMED_JSON',
        errorName: 'PermanentError',
        functionName: 'outbox-relay',
        source: {
          kind: 'dynamodb-stream',
          sequenceNumber: sequenceOf(batch.Records[1] as DynamoDBRecord),
          pk: `OUTBOX#${bad.orderId}`,
          sk: bad.eventId,
        },
      });
      expect(letter.errorMessage).toMatch(/not JSON/);
      expect(letter.record.dynamodb.NewImage.envelope.S).toBe('{"eventId": "truncated');
      expect(letters[0]?.MessageAttributes?.reason?.StringValue).toBe('MALFORMED_JSON');

      const got = await readTopic(own, 2);
      expect(got.map((m) => m.key)).toEqual([a.orderId, b.orderId]);
    } finally {
      await deleteTopic(own);
    }
  }, 60_000);

  it('on a publish failure reports exactly the failed record and every later one; earlier ones stay published once', async () => {
    const own = `${prefix}-fail`;
    await createTopic(own, 1);
    try {
      // Real Kafka underneath; the second publish call (the segment after the corrupt record) fails.
      let calls = 0;
      const failingSecond: EventPublisher = {
        publish: async (messages) => {
          calls++;
          if (calls === 2) throw new Error('KafkaJSNumberOfRetriesExceeded: injected broker failure');
          await publisher.publish(messages);
        },
        disconnect: () => publisher.disconnect(),
      };
      const events = [orderCreated(), orderCreated(), orderCreated(), orderCreated()];
      const batch = dynamoStreamEvent(ordersTable.name, [
        outboxInsert(events[0] as AnyEventEnvelope, {}, own), // published (segment 1)
        outboxInsert(events[1] as AnyEventEnvelope, { topic: '' }, own), // corrupt → DLQ
        outboxInsert(events[2] as AnyEventEnvelope, {}, own), // segment 2: fails
        { eventName: 'MODIFY', keys: { pk: 'ORDER#x', sk: 'ORDER' }, newImage: { pk: 'ORDER#x', sk: 'ORDER' } },
        outboxInsert(events[3] as AnyEventEnvelope, {}, own), // segment 2: fails
      ]);
      const { response, summary } = await relayBatch(batch.Records, {
        publisher: failingSecond,
        sendDeadLetter: (letter) => sendDeadLetter(dlqUrl, letter),
        functionName: 'outbox-relay',
        schemaVersionIds: testSchemaIds,
      });
      expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(batch.Records.slice(2).map(sequenceOf));
      expect(summary).toMatchObject({ published: 1, failed: 3, ignored: 0, failure: { stage: 'publish' } });
      expect(summary.deadLettered).toHaveLength(1);
      expect(await topicMessageCount(own)).toBe(1);
      await receiveMessages(dlqUrl, 1); // drain the letter for the next test

      // Lambda retries from the lowest reported record: the retried tail publishes in order, nothing twice.
      const retry = await relayBatch(batch.Records.slice(2), {
        publisher,
        sendDeadLetter: (letter) => sendDeadLetter(dlqUrl, letter),
        functionName: 'outbox-relay',
        schemaVersionIds: testSchemaIds,
      });
      expect(retry.response.batchItemFailures).toEqual([]);
      const got = await readTopic(own, 3);
      expect(got.map((m) => JSON.parse(m.value).eventId)).toEqual(
        [events[0], events[2], events[3]].map((e) => e?.eventId),
      );
    } finally {
      await deleteTopic(own);
    }
  }, 60_000);

  it('reports the whole batch from the first outbox record when the broker is unreachable (handler, real kafkajs)', async () => {
    const handler = loadHandler({ KAFKA_BROKERS: '127.0.0.1:1' });
    const ignored = dynamoStreamRecord(ordersTable.name, {
      eventName: 'MODIFY',
      keys: { pk: 'ORDER#y', sk: 'ORDER' },
      newImage: { pk: 'ORDER#y', sk: 'ORDER' },
    });
    const batch = dynamoStreamEvent(ordersTable.name, [outboxInsert(orderCreated()), outboxInsert(orderCreated())]);
    const records = [ignored, ...batch.Records];
    const response = await handler({ Records: records }, lambdaContext('outbox-relay'));
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(batch.Records.map(sequenceOf));
  }, 60_000);

  it('reports a corrupt item as failed (not lost) when the DLQ send fails, with every later record', async () => {
    const missingQueue = `${dlqUrl}-does-not-exist`;
    const batch = dynamoStreamEvent(ordersTable.name, [
      outboxInsert(orderCreated(), { envelope: undefined }),
      outboxInsert(orderCreated()),
    ]);
    const { response, summary } = await relayBatch(batch.Records, {
      publisher,
      sendDeadLetter: (letter) => sendDeadLetter(missingQueue, letter),
      functionName: 'outbox-relay',
      schemaVersionIds: testSchemaIds,
    });
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(batch.Records.map(sequenceOf));
    expect(summary).toMatchObject({ published: 0, failed: 2, failure: { stage: 'dead-letter' } });
  }, 60_000);
});
