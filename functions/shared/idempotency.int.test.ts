/**
 * Idempotency against DynamoDB Local: the same event twice, and concurrent duplicates, have one effect.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, ScanCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { lambdaContext } from '../../test/support/aws-events';
import { dynamoDb } from './aws-clients';
import { idempotentEventProcessor } from './idempotency';
import { InvocationEndingError, MIN_START_MS } from './time-to-start';

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

  /** An attempt that crashed mid-event: its in-progress record stays until its deadline, its effect never ran. */
  async function crashedAttempt(prefix: string, event: { eventId: string; n: number }, deadlineMs: number) {
    const processor = idempotentEventProcessor<{ eventId: string; n: number }>(() => new Promise(() => {}), {
      tableName: table,
      keyPrefix: prefix,
    });
    processor.registerLambdaContext(lambdaContext('crashed', deadlineMs));
    void processor.run(event);
    await new Promise((r) => setTimeout(r, 300)); // its in-progress record is written
  }

  it('waits for the record of an attempt that crashed, then processes the event once', async () => {
    const event = { eventId: randomUUID(), n: 1 };
    await crashedAttempt('fn-f', event, MIN_START_MS + 1000);
    const retry = counter('fn-f');
    retry.processor.registerLambdaContext(lambdaContext('retry', 30_000));
    const started = Date.now();
    await expect(retry.processor.run(event)).resolves.toBe('processed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(MIN_START_MS); // waited for the crashed attempt's deadline
    expect(retry.effects).toEqual([event.eventId]);
    await expect(retry.processor.run(event)).resolves.toBe('duplicate');
  }, 30_000);

  it('gives up at once when that record outlives the invocation (the event source mapping retries later)', async () => {
    const event = { eventId: randomUUID(), n: 1 };
    await crashedAttempt('fn-g', event, 60_000);
    const retry = counter('fn-g');
    retry.processor.registerLambdaContext(lambdaContext('retry', 10_000));
    const started = Date.now();
    await expect(retry.processor.run(event)).rejects.toMatchObject({ name: 'IdempotencyAlreadyInProgressError' });
    expect(Date.now() - started).toBeLessThan(10_000); // far from the crashed attempt's 60 s deadline
    expect(retry.effects).toEqual([]);
  });

  it('scopes keys per function: two functions each process the same event once', async () => {
    const a = counter('fn-d');
    const b = counter('fn-e');
    const event = { eventId: randomUUID(), n: 1 };
    await expect(a.processor.run(event)).resolves.toBe('processed');
    await expect(b.processor.run(event)).resolves.toBe('processed');
  });

  it('does not start an event with less than MIN_START_MS left: no in-progress record without an expiry', async () => {
    // Past its deadline an invocation's remaining time is 0, and Powertools then writes an in-progress
    // record with no in-progress expiry, which would refuse every retry for a day (the soak found 46).
    const late = counter('fn-h');
    late.processor.registerLambdaContext(lambdaContext('late', MIN_START_MS - 1));
    const event = { eventId: randomUUID(), n: 1 };
    await expect(late.processor.run(event)).rejects.toBeInstanceOf(InvocationEndingError);
    expect(late.effects).toEqual([]);
    const stored = await dynamoDb().send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    expect((stored.Items ?? []).filter((i) => String(i.id?.S).startsWith('fn-h#'))).toEqual([]);
    // The retry, in an invocation with time to finish, processes it once.
    const retry = counter('fn-h');
    retry.processor.registerLambdaContext(lambdaContext('retry', 30_000));
    await expect(retry.processor.run(event)).resolves.toBe('processed');
    expect(retry.effects).toEqual([event.eventId]);
  });
});
