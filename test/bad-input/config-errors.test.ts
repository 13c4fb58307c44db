/**
 * Configuration errors fail fast and say what is wrong: every function refuses to initialise without
 * its environment, naming each missing variable; the relay with an unreachable broker fails its batch
 * within seconds (reporting every record, so nothing is skipped) instead of hanging.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { outboxPut } from '../../functions/shared/outbox';
import { SCHEMA_VERSION_IDS_ENV } from '../../functions/shared/schema-ids';
import { type FunctionId, functionEnvironment, functions, usesSchemaRegistry } from '../../lib/topology';
import { orderCreated } from '../fixtures/order-events';
import { dynamoStreamEvent, lambdaContext } from '../support/aws-events';
import { testSchemaIds } from '../support/schema-ids';

const ids = Object.keys(functions) as FunctionId[];
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

function load<T>(fn: FunctionId): T {
  let mod: T | undefined;
  jest.isolateModules(() => {
    mod = require(`../../${functions[fn].entry.replace(/\.ts$/, '')}`) as T;
  });
  return mod as T;
}

const fullEnv = (fn: FunctionId) => ({
  ...functionEnvironment(fn, { table: (t) => `t-${t}`, queueUrl: (q) => `http://127.0.0.1:1/000000000000/${q}` }),
  KAFKA_BROKERS: '127.0.0.1:1',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  // The schema registry's ids (the runner's from the twin, the CDK's from Glue).
  ...(usesSchemaRegistry(fn) ? { [SCHEMA_VERSION_IDS_ENV]: JSON.stringify(testSchemaIds.toMap()) } : {}),
});

describe('configuration errors', () => {
  it.each(ids)('%s loads with its topology environment', (fn) => {
    process.env = { ...saved, ...fullEnv(fn) };
    expect(() => load(fn)).not.toThrow();
  });

  it.each(ids.filter((fn) => Object.keys(functions[fn].tables).length > 0 || functions[fn].deadLetterQueue))(
    '%s refuses to start without its environment and names every missing variable',
    (fn) => {
      const env = fullEnv(fn);
      const required = Object.keys(env).filter((k) => k.endsWith('_TABLE') || k === 'DLQ_URL' || k === 'OUTBOX_TOPIC');
      process.env = { ...saved, AWS_REGION: 'us-east-1' };
      for (const k of required) delete process.env[k];
      let message = '';
      try {
        load(fn);
      } catch (err) {
        message = String((err as Error).message);
      }
      expect(message).toMatch(/^Missing required environment variable/);
      for (const k of required) expect(message).toContain(k);
    },
  );

  it.each(ids.filter(usesSchemaRegistry))('%s refuses to start without SCHEMA_VERSION_IDS, naming it', (fn) => {
    const { [SCHEMA_VERSION_IDS_ENV]: _, ...withoutIds } = fullEnv(fn) as Record<string, string>;
    process.env = { ...saved, ...withoutIds };
    delete process.env[SCHEMA_VERSION_IDS_ENV];
    expect(() => load(fn)).toThrow(/Missing required environment variable SCHEMA_VERSION_IDS/);
  });

  it('outbox-relay without KAFKA_BROKERS or MSK_CLUSTER_ARN names both settings', () => {
    process.env = { ...saved, ...fullEnv('outbox-relay') };
    delete process.env.KAFKA_BROKERS;
    expect(() => load('outbox-relay')).toThrow('set KAFKA_BROKERS (host:port,...) or MSK_CLUSTER_ARN');
  });

  it('outbox-relay with an unreachable broker fails the batch fast and reports every record', async () => {
    process.env = { ...saved, ...fullEnv('outbox-relay') };
    const relay = load<{
      handler: (e: unknown, c: unknown) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
      publisher: { disconnect(): Promise<void> };
    }>('outbox-relay');
    const event = dynamoStreamEvent('orders', [
      outboxInsert('1000000000000000000001', 'order-1'),
      outboxInsert('1000000000000000000002', 'order-2'),
    ]);
    const started = Date.now();
    const res = await relay.handler(event, lambdaContext('outbox-relay'));
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      '1000000000000000000001',
      '1000000000000000000002',
    ]);
    expect(Date.now() - started).toBeLessThan(30_000);
    await relay.publisher.disconnect();
  }, 40_000);
});

/** A stream INSERT of the outbox item order-api writes for a fresh OrderCreated (built by outboxPut). */
function outboxInsert(sequenceNumber: string, orderId: string) {
  const event = orderCreated([{ sku: 'SKU-A', quantity: 1, unitPrice: 1 }], 'c', {
    orderId,
    correlationId: 'config-test',
  });
  const item = unmarshall(outboxPut('orders', { event, topic: 'orders' }).Put?.Item ?? {});
  return { eventName: 'INSERT' as const, sequenceNumber, keys: { pk: item.pk, sk: item.sk }, newImage: item };
}
