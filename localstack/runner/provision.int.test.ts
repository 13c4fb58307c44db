/**
 * Provisioning an isolated, prefixed copy of the topology on the real local servers: what it creates
 * matches lib/topology.ts, a second run changes nothing, and seeding never resets stock already moved.
 */
import {
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DeleteQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Kafka, logLevel } from 'kafkajs';
import { queues, type TableId, type TopicId, tables, topics } from '../../lib/topology';
import { requireBackends } from '../../test/support/backends';
import { useLocalBackends } from '../../test/support/isolated-resources';
import { uniqueName } from '../../test/support/unique-name';
import { clientConfig, endpointsFromEnv } from './endpoints';
import { type ProvisionResult, provision } from './provision';

jest.setTimeout(60_000);
useLocalBackends();
const endpoints = endpointsFromEnv();
const ddb = new DynamoDBClient(clientConfig(endpoints, endpoints.dynamodb));
const sqs = new SQSClient(clientConfig(endpoints, endpoints.sqs));
const kafka = new Kafka({ clientId: 'provision-it', brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
const prefix = `${uniqueName('prov')}-`;
let first: ProvisionResult;

beforeAll(async () => {
  await requireBackends('kafka', 'dynamodb', 'sqs');
  first = await provision({ endpoints, prefix });
});

afterAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin
    .deleteTopics({ topics: (Object.keys(topics) as TopicId[]).map((t) => first.names.topic(t)) })
    .catch(() => undefined);
  await admin.disconnect();
  for (const t of Object.keys(tables) as TableId[]) {
    await ddb.send(new DeleteTableCommand({ TableName: first.names.table(t) })).catch(() => undefined);
  }
  for (const q of Object.keys(queues) as (keyof typeof queues)[]) {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: first.names.queueUrl(q) })).catch(() => undefined);
  }
  ddb.destroy();
  sqs.destroy();
});

describe('provision', () => {
  it('creates the topics with the topology partitions and retention', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const names = (Object.keys(topics) as TopicId[]).map((t) => first.names.topic(t));
      const metadata = await admin.fetchTopicMetadata({ topics: names });
      for (const t of Object.keys(topics) as TopicId[]) {
        const found = metadata.topics.find((m) => m.name === `${prefix}${topics[t].name}`);
        expect(found?.partitions).toHaveLength(topics[t].partitions);
      }
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: first.names.topic('orders'), configNames: ['retention.ms'] }],
      });
      expect(configs.resources[0]?.configEntries[0]?.configValue).toBe(String(topics.orders.retentionMs));
    } finally {
      await admin.disconnect();
    }
  });

  it('creates the tables with keys, stream, GSIs, on-demand billing and TTL', async () => {
    const orders = (await ddb.send(new DescribeTableCommand({ TableName: `${prefix}orders` }))).Table;
    expect(orders?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(orders?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(orders?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(orders?.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort()).toEqual(['by-customer', 'open-orders']);
    expect(orders?.GlobalSecondaryIndexes?.find((g) => g.IndexName === 'open-orders')?.Projection).toEqual({
      ProjectionType: 'INCLUDE',
      NonKeyAttributes: ['orderId', 'status', 'lastProgressAt', 'lastRedriveAt'],
    });
    expect(first.streamArns.get('orders')).toBe(orders?.LatestStreamArn);
    const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: `${prefix}orders` }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
    const idem = await ddb.send(new DescribeTimeToLiveCommand({ TableName: `${prefix}idempotency` }));
    expect(idem.TimeToLiveDescription?.AttributeName).toBe('expiration');
  });

  it('creates every queue and returns its URL', async () => {
    // (ElasticMQ accepts MessageRetentionPeriod but does not report it back: provision-specs.test.ts checks the request.)
    for (const q of Object.keys(queues) as (keyof typeof queues)[]) {
      const url = first.names.queueUrl(q);
      const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
      expect(attrs.Attributes?.QueueArn).toMatch(new RegExp(`:${prefix}${queues[q].name}$`));
    }
  });

  it('seeds the catalog, and a second run keeps everything, including stock orders changed', async () => {
    expect(first.seeded.inserted).toBeGreaterThan(100);
    const key = { pk: { S: 'SKU#SKU-LIMITED' } };
    const seeded = await ddb.send(new GetItemCommand({ TableName: `${prefix}inventory`, Key: key }));
    expect(seeded.Item).toMatchObject({ sku: { S: 'SKU-LIMITED' }, available: { N: '1' }, reserved: { N: '0' } });
    await ddb.send(
      new UpdateItemCommand({
        TableName: `${prefix}inventory`,
        Key: key,
        UpdateExpression: 'SET available = :a, reserved = :r',
        ExpressionAttributeValues: { ':a': { N: '0' }, ':r': { N: '1' } },
      }),
    );
    const again = await provision({ endpoints, prefix });
    expect(again.created).toEqual([]);
    expect(again.seeded).toEqual({ inserted: 0, kept: first.seeded.inserted });
    expect(again.names.queueUrl('inventory-dlq')).toBe(first.names.queueUrl('inventory-dlq'));
    const after = await ddb.send(new GetItemCommand({ TableName: `${prefix}inventory`, Key: key }));
    expect(after.Item).toMatchObject({ available: { N: '0' }, reserved: { N: '1' } });
  });
});
