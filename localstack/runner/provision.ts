/**
 * Creates the local copy of the topology on the servers: Kafka topics, DynamoDB tables (keys, stream,
 * TTL, GSIs) and SQS queues, then seeds the inventory catalog. Idempotent: what exists is kept (and
 * checked against the topology), stock already changed by orders is never overwritten.
 */
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  PutItemCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueUrlCommand, QueueDoesNotExist, SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { parseCatalog, stockItem } from '../../functions/inventory/catalog';
import catalogJson from '../../functions/inventory/catalog.json';
import { SchemaVersionIds } from '../../functions/shared/schema-ids';
import { type QueueId, queues, type TableId, type TopicId, tables, topics } from '../../lib/topology';
import { clientConfig, type LocalEndpoints } from './endpoints';
import { type LocalNames, localNames, type ProvisionedNames, withQueueUrls } from './names';
import { createTableInput, queueAttributes, tableMismatches, topicConfig } from './provision-specs';
import { localRegistryName, registerSchemas } from './schema-registry-twin';

export interface ProvisionOptions {
  readonly endpoints: LocalEndpoints;
  /** Name prefix for an isolated copy (tests); '' = the topology's names. */
  readonly prefix?: string;
  readonly log?: (line: string) => void;
}

export interface ProvisionResult {
  readonly names: ProvisionedNames;
  /** Stream ARN of every table that has a stream. */
  readonly streamArns: ReadonlyMap<TableId, string>;
  /** What was created now (the rest already existed). */
  readonly created: readonly string[];
  readonly seeded: { readonly inserted: number; readonly kept: number };
  /** The registry twin's ids of every event schema version (the functions' SCHEMA_VERSION_IDS). */
  readonly schemaVersionIds: SchemaVersionIds;
}

export async function provision(options: ProvisionOptions): Promise<ProvisionResult> {
  const names = localNames(options.prefix ?? '');
  const log = options.log ?? (() => {});
  const created: string[] = [];
  const ddb = new DynamoDBClient(clientConfig(options.endpoints, options.endpoints.dynamodb));
  const sqs = new SQSClient(clientConfig(options.endpoints, options.endpoints.sqs));
  try {
    // First, as in AWS (the streaming stack before the services): an incompatible version stops here.
    const schemaVersionIds = new SchemaVersionIds(registerSchemas(localRegistryName(names.prefix)));
    await provisionTopics(options.endpoints, names, created);
    const streamArns = new Map<TableId, string>();
    for (const t of Object.keys(tables) as TableId[]) {
      const table = await ensureTable(ddb, t, names.table(t), created);
      if (table.LatestStreamArn) streamArns.set(t, table.LatestStreamArn);
    }
    const urls = new Map<QueueId, string>();
    for (const q of Object.keys(queues) as QueueId[])
      urls.set(q, await ensureQueue(sqs, q, names.queueName(q), created));
    const seeded = await seedCatalog(ddb, names.table('inventory'));
    log(
      `provisioned ${names.prefix ? `copy "${names.prefix}"` : 'topology'}: created ${created.length} ` +
        `(${created.join(', ') || 'nothing new'}); catalog ${seeded.inserted} seeded, ${seeded.kept} kept`,
    );
    return { names: withQueueUrls(names, urls), streamArns, created, seeded, schemaVersionIds };
  } finally {
    ddb.destroy();
    sqs.destroy();
  }
}

async function provisionTopics(endpoints: LocalEndpoints, names: LocalNames, created: string[]): Promise<void> {
  const admin = new Kafka({
    clientId: 'local-provisioner',
    brokers: [...endpoints.kafkaBrokers],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = (Object.keys(topics) as TopicId[]).map((t) => topicConfig(topics[t], names.topic(t)));
    const missing = wanted.filter((w) => !existing.has(w.topic));
    if (missing.length > 0) {
      // Another runner may create the same topics at the same moment: "already exists" is fine.
      await admin.createTopics({ topics: missing, waitForLeaders: false }).catch((err: unknown) => {
        if (!/already exists/i.test(String((err as Error).message))) throw err;
      });
      created.push(...missing.map((m) => `topic ${m.topic}`));
    }
    const metadata = await topicsWithLeaders(
      admin,
      wanted.map((w) => w.topic),
    );
    for (const w of wanted) {
      const have = metadata.topics.find((t) => t.name === w.topic)?.partitions.length ?? 0;
      if (have < (w.numPartitions ?? 1)) {
        // An older, smaller topic: Kafka can add partitions (never remove them).
        await admin.createPartitions({ topicPartitions: [{ topic: w.topic, count: w.numPartitions ?? 1 }] });
        created.push(`partitions ${w.topic} ${have}→${w.numPartitions}`);
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Metadata of the topics once every partition has a leader. A KRaft broker answers CreateTopics before
 * its metadata knows the topic, and kafkajs' own wait gives up on UNKNOWN_TOPIC_OR_PARTITION: poll.
 */
async function topicsWithLeaders(admin: Admin, names: string[]) {
  let last: unknown;
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: names });
      if (metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) {
        return metadata;
      }
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `topics ${names.join(', ')} have no partition leaders after 10 s (${(last as Error)?.message ?? 'no leader'})`,
  );
}

async function ensureTable(
  ddb: DynamoDBClient,
  id: TableId,
  name: string,
  created: string[],
): Promise<TableDescription> {
  const spec = tables[id];
  let table = await describeTable(ddb, name);
  if (!table) {
    try {
      await ddb.send(new CreateTableCommand(createTableInput(spec, name)));
      created.push(`table ${name}`);
    } catch (err) {
      if (!(err instanceof ResourceInUseException)) throw err;
    }
    table = await waitActive(ddb, name);
  }
  const problems = tableMismatches(spec, table);
  if (problems.length > 0) {
    throw new Error(
      `table ${name} exists but does not match lib/topology.ts: ${problems.join('; ')}. ` +
        'Delete it (or restart DynamoDB Local, which keeps data in memory) and provision again.',
    );
  }
  if (spec.ttlAttribute) await ensureTtl(ddb, name, spec.ttlAttribute, created);
  return table;
}

async function describeTable(ddb: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await ddb.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

async function waitActive(ddb: DynamoDBClient, name: string): Promise<TableDescription> {
  for (let i = 0; i < 100; i++) {
    const table = await describeTable(ddb, name);
    if (table?.TableStatus === 'ACTIVE') return table;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`table ${name} did not become ACTIVE within 10 s`);
}

async function ensureTtl(ddb: DynamoDBClient, name: string, attribute: string, created: string[]): Promise<void> {
  const ttl = (await ddb.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription;
  if (ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING') {
    if (ttl.AttributeName !== attribute) {
      throw new Error(`table ${name} has TTL on "${ttl.AttributeName}", lib/topology.ts says "${attribute}"`);
    }
    return;
  }
  await ddb.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { Enabled: true, AttributeName: attribute },
    }),
  );
  created.push(`ttl ${name}.${attribute}`);
}

async function ensureQueue(sqs: SQSClient, id: QueueId, name: string, created: string[]): Promise<string> {
  try {
    const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
    if (url) return url;
  } catch (err) {
    if (!(err instanceof QueueDoesNotExist) && (err as Error).name !== 'AWS.SimpleQueueService.NonExistentQueue') {
      throw err;
    }
  }
  const out = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: queueAttributes(queues[id]) }));
  if (!out.QueueUrl) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  created.push(`queue ${name}`);
  return out.QueueUrl;
}

/**
 * Puts each SKU of functions/inventory/catalog.json only if absent: a restart never resets stock that
 * orders already moved.
 */
async function seedCatalog(ddb: DynamoDBClient, table: string) {
  const catalog = parseCatalog(catalogJson);
  let inserted = 0;
  let kept = 0;
  const put = async (item: (typeof catalog)[number]) => {
    try {
      await ddb.send(
        new PutItemCommand({
          TableName: table,
          Item: marshall(stockItem(item)),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      inserted++;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      kept++;
    }
  };
  for (let i = 0; i < catalog.length; i += 16) await Promise.all(catalog.slice(i, i + 16).map(put));
  return { inserted, kept };
}
