/**
 * createEventConsumer against DynamoDB Local (idempotency table) and ElasticMQ (DLQ), with scripted
 * reactions: an order whose reaction cannot be built is ended instead of dead-lettered, and a poison
 * record redelivered with every retry of its batch is dead-lettered once.
 */
import { randomUUID } from 'node:crypto';
import { DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { type KafkaRecordInput, lambdaContext, mskEvent } from '../../test/support/aws-events';
import {
  createQueue,
  createTable,
  deleteQueue,
  deleteTable,
  receiveMessages,
  useLocalBackends,
} from '../../test/support/isolated-resources';
import { asRecord, orderCreated } from '../../test/support/saga-fixture';
import { uniqueName } from '../../test/support/unique-name';
import { sqsClient } from './aws-clients';
import { TEXT_MAX_LENGTH } from './bounded-text';
import type { EventOf } from './envelope';
import { PermanentError } from './errors';
import { createEventConsumer, type EventConsumerOptions, type KafkaHandler } from './kafka-consumer';
import { catalogVersionsUpTo } from './readable-version';

let table: string;
let dlqUrl: string;

beforeAll(async () => {
  useLocalBackends();
  const prefix = uniqueName('consumer');
  table = (await createTable('idempotency', prefix)).name;
  dlqUrl = await createQueue(`${prefix}-dlq`);
}, 60_000);

afterAll(async () => {
  await Promise.all([deleteTable(table), deleteQueue(dlqUrl)]);
});

function consumer(options: Pick<EventConsumerOptions, 'reactions' | 'endOrder' | 'knownSchemaVersions'>): KafkaHandler {
  return createEventConsumer({
    functionName: `test-${randomUUID().slice(0, 8)}`,
    idempotencyTable: table,
    dlqUrl,
    concurrency: 4,
    ...options,
  });
}

const invoke = (handler: KafkaHandler, records: readonly KafkaRecordInput[]) =>
  handler(mskEvent(records), lambdaContext('test'));

/** Every letter in the DLQ, consumed (each test starts from an empty queue). */
async function drainLetters(expectAtLeast: number): Promise<Record<string, unknown>[]> {
  const messages = await receiveMessages(dlqUrl, Math.max(expectAtLeast, 1) + 10, expectAtLeast === 0 ? 1500 : 4000);
  const sqs = await sqsClient();
  await Promise.all(
    messages.map((m) => sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: m.ReceiptHandle }))),
  );
  return messages.map((m) => JSON.parse(m.Body ?? '{}') as Record<string, unknown>);
}

describe('a reaction that cannot be built', () => {
  it('ends the order through the type`s ending, once, with a bounded reason, and sends no dead letter', async () => {
    const ended: { orderId: string; reason: string }[] = [];
    const handler = consumer({
      reactions: {
        OrderCreated: async () => {
          throw new PermanentError('INVALID_EVENT', `refusing to emit invalid InventoryRejected: ${'x'.repeat(2000)}`);
        },
      },
      endOrder: {
        OrderCreated: async (event: EventOf<'OrderCreated'>, reason: string) => {
          ended.push({ orderId: event.orderId, reason });
          return 'processed';
        },
      },
    });
    const order = orderCreated([{ sku: 'SKU-A', quantity: 1 }]);
    const record = asRecord(order, 0, 5);
    expect((await invoke(handler, [record])).batchItemFailures).toEqual([]);
    expect((await invoke(handler, [record])).batchItemFailures).toEqual([]); // redelivery: idempotent
    expect(ended).toHaveLength(1);
    expect(ended[0]?.orderId).toBe(order.orderId);
    expect(ended[0]?.reason.startsWith('INVALID_EVENT: refusing to emit invalid InventoryRejected')).toBe(true);
    expect(Array.from(ended[0]?.reason ?? '').length).toBe(TEXT_MAX_LENGTH);
    expect(await drainLetters(0)).toEqual([]);
  });

  it('goes to the DLQ when the type has no ending, or the ending fails too', async () => {
    const failing = async (): Promise<'processed'> => {
      throw new PermanentError('BUSINESS_RULE', 'cannot');
    };
    const withoutEnding = consumer({ reactions: { OrderCreated: failing } });
    const endingFails = consumer({ reactions: { OrderCreated: failing }, endOrder: { OrderCreated: failing } });
    expect(
      (await invoke(withoutEnding, [asRecord(orderCreated([{ sku: 'SKU-A', quantity: 1 }]))])).batchItemFailures,
    ).toEqual([]);
    expect(
      (await invoke(endingFails, [asRecord(orderCreated([{ sku: 'SKU-A', quantity: 1 }]))])).batchItemFailures,
    ).toEqual([]);
    const letters = await drainLetters(2);
    expect(letters.map((l) => l.reason)).toEqual(['BUSINESS_RULE', 'BUSINESS_RULE']);
  });

  it('retries a transient failure instead of ending the order', async () => {
    let ended = 0;
    const handler = consumer({
      reactions: {
        OrderCreated: async () => {
          throw new Error('throttled');
        },
      },
      endOrder: {
        OrderCreated: async () => {
          ended++;
          return 'processed';
        },
      },
    });
    const res = await invoke(handler, [asRecord(orderCreated([{ sku: 'SKU-A', quantity: 1 }]), 0, 9)]);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: { partition: 'orders-0', offset: 9 } }]);
    expect(ended).toBe(0);
  });
});

describe('a poison record redelivered with every retry of its batch', () => {
  it('is dead-lettered once, however many times the batch is retried', async () => {
    // key A fails transiently at offset 0, so every retry redelivers from offset 0 and the poison record
    // of key B at offset 1 with it (the mapping cannot skip it).
    const failing = orderCreated([{ sku: 'SKU-A', quantity: 1 }]);
    const handler = consumer({
      reactions: {
        OrderCreated: async (event) => {
          if (event.orderId === failing.orderId) throw new Error('transient: provider down');
          return 'processed';
        },
      },
    });
    const batch: KafkaRecordInput[] = [
      asRecord(failing, 0, 0),
      { topic: 'orders', partition: 0, offset: 1, key: 'order-b', value: 'not json {' },
    ];
    const retries = 4;
    for (let attempt = 0; attempt <= retries; attempt++) {
      const res = await invoke(handler, batch);
      expect(res.batchItemFailures).toEqual([{ itemIdentifier: { partition: 'orders-0', offset: 0 } }]);
    }
    const letters = await drainLetters(1);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      reason: 'MALFORMED_JSON',
      source: { topic: 'orders', partition: 0, offset: 1 },
    });
  });

  it('is dead-lettered again by another function, and another offset is another letter', async () => {
    const poison: KafkaRecordInput = { topic: 'orders', partition: 2, offset: 7, key: 'order-c', value: 'not json' };
    const first = consumer({ reactions: { OrderCreated: async () => 'processed' } });
    const second = consumer({ reactions: { OrderCreated: async () => 'processed' } });
    await invoke(first, [poison]);
    await invoke(first, [poison, { ...poison, offset: 8 }]);
    await invoke(second, [poison]);
    const letters = await drainLetters(3);
    expect(letters.map((l) => (l.source as { offset: number }).offset).sort()).toEqual([7, 7, 8]);
  });
});

describe('the schema-version-id header', () => {
  it('dead-letters what it cannot resolve as UNKNOWN_SCHEMA_VERSION and processes what it can', async () => {
    const processed: string[] = [];
    const handler = consumer({
      reactions: {
        OrderCreated: async (event) => {
          processed.push(event.orderId);
          return 'processed';
        },
      },
    });
    const good = orderCreated([{ sku: 'SKU-A', quantity: 1 }]);
    const withoutHeader = orderCreated([{ sku: 'SKU-B', quantity: 1 }]);
    const unknownId = orderCreated([{ sku: 'SKU-C', quantity: 1 }]);
    const { 'schema-version-id': _, ...headersWithout } = asRecord(withoutHeader).headers as Record<string, string>;
    const res = await invoke(handler, [
      asRecord(good, 0, 0),
      { ...asRecord(withoutHeader, 0, 1), headers: headersWithout },
      { ...asRecord(unknownId, 0, 2), headers: { ...headersWithout, 'schema-version-id': randomUUID() } },
    ]);
    expect(res.batchItemFailures).toEqual([]);
    expect(processed).toEqual([good.orderId]);
    const letters = await drainLetters(2);
    expect(letters.map((l) => [(l.source as { offset: number }).offset, l.reason]).sort()).toEqual([
      [1, 'UNKNOWN_SCHEMA_VERSION'],
      [2, 'UNKNOWN_SCHEMA_VERSION'],
    ]);
  });
});

describe('a targeted redrive (redrive-for header)', () => {
  it('is processed by the function it names and ignored by every other consumer', async () => {
    const seen: string[] = [];
    const react = (who: string) => async () => {
      seen.push(who);
      return 'processed' as const;
    };
    const consumerNamed = (functionName: string) =>
      createEventConsumer({
        functionName,
        idempotencyTable: table,
        dlqUrl,
        concurrency: 1,
        reactions: { OrderCreated: react(functionName) },
      });
    const failed = consumerNamed('failed-one');
    const other = consumerNamed('other-one');
    const order = orderCreated([{ sku: 'SKU-A', quantity: 1 }]);
    const record = asRecord(order, 0, 5);
    const targeted = {
      ...record,
      headers: { ...(record.headers as Record<string, string>), 'redrive-for': 'failed-one' },
    };
    expect((await invoke(other, [targeted])).batchItemFailures).toEqual([]);
    expect(seen).toEqual([]);
    expect((await invoke(failed, [targeted])).batchItemFailures).toEqual([]);
    expect(seen).toEqual(['failed-one']);
    // Without the header both process it (a plain redrive reaches every consumer group).
    await invoke(other, [asRecord(orderCreated([{ sku: 'SKU-A', quantity: 1 }]), 0, 6)]);
    expect(seen).toEqual(['failed-one', 'other-one']);
    expect(await drainLetters(0)).toEqual([]);
  });
});

describe('a consumer built before OrderCreated v2 (mixed versions in flight)', () => {
  it('dead-letters a v2 OrderCreated it reacts to, saying why (BACKWARD), and processes a v1 one', async () => {
    const processed: string[] = [];
    const record = async (event: { orderId: string }) => {
      processed.push(event.orderId);
      return 'processed' as const;
    };
    const handler = consumer({
      reactions: { OrderCreated: record, OrderExpired: record },
      knownSchemaVersions: catalogVersionsUpTo({ OrderCreated: 1 }),
    });
    const v2 = orderCreated([{ sku: 'SKU-A', quantity: 1 }]);
    const v1 = { ...orderCreated([{ sku: 'SKU-B', quantity: 1 }]), version: 1 as const };
    const res = await invoke(handler, [asRecord(v2, 0, 0), asRecord(v1 as never, 0, 1)]);
    expect(res.batchItemFailures).toEqual([]);
    expect(processed).toEqual([v1.orderId]);
    const letters = await drainLetters(1);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      reason: 'UNKNOWN_VERSION',
      errorMessage: expect.stringMatching(/OrderCreated v2 is newer than this build reads \(v1\).*BACKWARD/),
      source: { offset: 0 },
    });
  });
});
