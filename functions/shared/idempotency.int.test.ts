/**
 * Idempotency against DynamoDB Local: the same event twice, and concurrent duplicates, have one effect.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { dynamoDb } from './aws-clients';
import { idempotentEventProcessor } from './idempotency';

const table = `it-idempotency-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  await dynamoDb().send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );
  await waitUntilTableExists({ client: dynamoDb(), maxWaitTime: 30 }, { TableName: table });
});

afterAll(async () => {
  await dynamoDb().send(new DeleteTableCommand({ TableName: table }));
});

function counter(prefix: string, delayMs = 0) {
  const effects: string[] = [];
  const processor = idempotentEventProcessor<{ eventId: string; n: number }>(
    async (event) => {
      await new Promise((r) => setTimeout(r, delayMs));
      effects.push(event.eventId);
      return 'processed';
    },
    { tableName: table, keyPrefix: prefix },
  );
  return { effects, processor };
}

describe('idempotentEventProcessor (DynamoDB Local)', () => {
  it('runs an event once and reports the second delivery as a duplicate', async () => {
    const { effects, processor } = counter('fn-a');
    const event = { eventId: randomUUID(), n: 1 };
    await expect(processor.run(event)).resolves.toBe('processed');
    await expect(processor.run({ ...event })).resolves.toBe('duplicate');
    expect(effects).toEqual([event.eventId]);
  });

  it('keys by eventId only: a redelivery with other fields is still the same event', async () => {
    const { effects, processor } = counter('fn-b');
    const eventId = randomUUID();
    await processor.run({ eventId, n: 1 });
    await expect(processor.run({ eventId, n: 2 })).resolves.toBe('duplicate');
    expect(effects).toHaveLength(1);
  });

  it('lets concurrent duplicates have exactly one effect (the others fail and are retried)', async () => {
    const { effects, processor } = counter('fn-c', 50);
    const event = { eventId: randomUUID(), n: 1 };
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => processor.run({ ...event })));
    expect(effects).toEqual([event.eventId]);
    expect(results.filter((r) => r.status === 'fulfilled' && r.value === 'processed')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as Error).name).toBe('IdempotencyAlreadyInProgressError');
    }
    // a retry after the first completed is a duplicate, not a second effect
    await expect(processor.run({ ...event })).resolves.toBe('duplicate');
    expect(effects).toHaveLength(1);
  });

  it('scopes keys per function: two functions each process the same event once', async () => {
    const a = counter('fn-d');
    const b = counter('fn-e');
    const event = { eventId: randomUUID(), n: 1 };
    await expect(a.processor.run(event)).resolves.toBe('processed');
    await expect(b.processor.run(event)).resolves.toBe('processed');
  });
});
