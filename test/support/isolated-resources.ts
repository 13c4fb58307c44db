/**
 * Isolated resources for integration tests on the shared local servers: tables built from the
 * lib/topology.ts specs, Kafka topics and SQS queues, each under a random prefix so parallel runs never
 * collide, and removed again by the test that made them. Also: the local endpoint environment (filled
 * in where the caller has not set it), and readers for Kafka topics and SQS queues.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import { Kafka, type Message as KafkaMessage, logLevel } from 'kafkajs';
import { type TableId, tables } from '../../lib/topology';
import { createTableInput } from '../../localstack/runner/provision-specs';
import { applyBackendEnv, kafkaBrokers } from './backends';

/**
 * Points the AWS SDK and kafkajs at the local servers, keeping anything the caller already set (with
 * AWS_ENDPOINT_URL set, as for LocalStack, the service-specific endpoints stay unset).
 */
export function useLocalBackends(): void {
  applyBackendEnv();
}

const ddb = () => new DynamoDBClient({});
const sqs = () => new SQSClient({});
const kafka = () =>
  new Kafka({
    clientId: 'it-resources',
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });

export interface CreatedTable {
  readonly name: string;
  readonly streamArn?: string;
}

/** Creates `<prefix>-<topology name>` exactly as the topology specifies it (keys, GSIs, stream, TTL). */
export async function createTable(id: TableId, prefix: string): Promise<CreatedTable> {
  const spec = tables[id];
  const name = `${prefix}-${spec.name}`;
  const client = ddb();
  // The same create request the local provisioner sends (keys, GSIs, stream, on-demand).
  await client.send(new CreateTableCommand(createTableInput(spec, name)));
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: name });
  if (spec.ttlAttribute) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { Enabled: true, AttributeName: spec.ttlAttribute },
      }),
    );
  }
  const described = await client.send(new DescribeTableCommand({ TableName: name }));
  return { name, ...(described.Table?.LatestStreamArn ? { streamArn: described.Table.LatestStreamArn } : {}) };
}

export async function deleteTable(name: string): Promise<void> {
  await ddb()
    .send(new DeleteTableCommand({ TableName: name }))
    .catch(() => undefined);
}

export async function createTopic(name: string, partitions: number): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: name, numPartitions: partitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopic(name: string): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [name] }).catch(() => undefined);
  await admin.disconnect();
}

/**
 * Writes messages to a topic (acknowledged by every replica) and returns the offset of the first one.
 * A producer of its own, made after the topic exists, so its first metadata already has the leaders.
 */
export async function produce(topic: string, messages: KafkaMessage[]): Promise<number> {
  const producer = kafka().producer();
  await producer.connect();
  try {
    const [meta] = await producer.send({ topic, acks: -1, messages });
    return Number(meta?.baseOffset);
  } finally {
    await producer.disconnect();
  }
}

export interface ConsumedMessage {
  readonly key: string | null;
  readonly value: string;
  readonly partition: number;
  readonly offset: number;
  readonly headers: Record<string, string>;
}

/** Reads `count` messages of a topic from the beginning (fails after `timeoutMs` with what it got). */
export async function readTopic(topic: string, count: number, timeoutMs = 20_000): Promise<ConsumedMessage[]> {
  const consumer = kafka().consumer({ groupId: `it-reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got: ConsumedMessage[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${got.length} of ${count} messages from ${topic} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ message, partition }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
          got.push({
            key: message.key === null ? null : message.key.toString('utf8'),
            value: message.value?.toString('utf8') ?? '',
            partition,
            offset: Number(message.offset),
            headers,
          });
          if (got.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

export async function createQueue(name: string): Promise<string> {
  const out = await sqs().send(new CreateQueueCommand({ QueueName: name }));
  if (!out.QueueUrl) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  return out.QueueUrl;
}

export async function deleteQueue(url: string): Promise<void> {
  await sqs()
    .send(new DeleteQueueCommand({ QueueUrl: url }))
    .catch(() => undefined);
}

/** Receives messages until `count` arrived or `timeoutMs` passed (then returns what it has). */
export async function receiveMessages(url: string, count: number, timeoutMs = 10_000): Promise<Message[]> {
  const client = sqs();
  const got: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < count && Date.now() < deadline) {
    const out = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
      }),
    );
    got.push(...(out.Messages ?? []));
  }
  return got;
}

export interface ShardRecords {
  readonly shardId: string;
  readonly records: DynamoDBRecord[];
}

/**
 * Every record of a table's stream so far, by shard (DynamoDB Local: one shard per table), in the shape
 * Lambda delivers them: ApproximateCreationDateTime in epoch seconds, eventSourceARN added.
 */
export async function shardRecords(streamArn: string): Promise<ShardRecords[]> {
  const client = new DynamoDBStreamsClient({});
  try {
    const described = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shards: ShardRecords[] = [];
    for (const shard of described.StreamDescription?.Shards ?? []) {
      const records: DynamoDBRecord[] = [];
      let iterator = (
        await client.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shard.ShardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        )
      ).ShardIterator;
      while (iterator) {
        const out = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
        for (const r of out.Records ?? []) {
          const created = r.dynamodb?.ApproximateCreationDateTime;
          records.push({
            ...(r as DynamoDBRecord),
            dynamodb: {
              ...(r.dynamodb as DynamoDBRecord['dynamodb']),
              ApproximateCreationDateTime: created ? Math.floor(created.getTime() / 1000) : undefined,
            },
            eventSourceARN: streamArn,
          });
        }
        iterator = (out.Records ?? []).length > 0 ? out.NextShardIterator : undefined;
      }
      shards.push({ shardId: shard.ShardId as string, records });
    }
    return shards;
  } finally {
    client.destroy();
  }
}

/** Every record of a table's stream so far, all shards in order (see shardRecords). */
export async function streamRecords(streamArn: string): Promise<DynamoDBRecord[]> {
  return (await shardRecords(streamArn)).flatMap((s) => s.records);
}

/** The ARN of a table's stream (its latest). */
export async function tableStreamArn(table: string): Promise<string> {
  const arn = (await ddb().send(new DescribeTableCommand({ TableName: table }))).Table?.LatestStreamArn;
  if (!arn) throw new Error(`table ${table} has no stream`);
  return arn;
}

/** Sum of the end offsets of a topic: how many messages it holds (all tests' topics start empty). */
export async function topicMessageCount(name: string): Promise<number> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(name);
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}
