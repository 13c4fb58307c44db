/**
 * A fixture for the saga consumers' integration tests: an isolated copy of the tables and the
 * function's DLQ on the local servers, the handler loaded with the environment the topology gives it,
 * and readers for what the function wrote (outbox items, dead letters).
 */
import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamoDb, sqsClient } from '../../functions/shared/aws-clients';
import type { AnyEventEnvelope } from '../../functions/shared/envelope';
import type { KafkaHandler } from '../../functions/shared/kafka-consumer';
import {
  type FunctionId,
  functionEnvironment,
  functions,
  OUTBOX_KEY_PREFIX,
  type TableId,
  topicOf,
} from '../../lib/topology';
import { type KafkaRecordInput, lambdaContext, mskEvent } from './aws-events';
import {
  createQueue,
  createTable,
  deleteQueue,
  deleteTable,
  receiveMessages,
  useLocalBackends,
} from './isolated-resources';
import { schemaIdHeader } from './schema-ids';
import { uniqueName } from './unique-name';

// Re-exported: the saga tests build their events with it next to the fixture.
export { orderCreated } from '../fixtures/order-events';

export interface SagaFixture {
  readonly tables: Record<TableId, string>;
  readonly dlqUrl: string;
  readonly handler: KafkaHandler;
  /** Runs the handler on an MSK event built from the records. */
  invoke(records: readonly KafkaRecordInput[]): ReturnType<KafkaHandler>;
  outbox(orderId: string): Promise<AnyEventEnvelope[]>;
  deadLetters(count: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  putItem(table: TableId, item: Record<string, unknown>): Promise<void>;
  teardown(): Promise<void>;
}

export async function sagaFixture(fn: FunctionId): Promise<SagaFixture> {
  useLocalBackends();
  const prefix = uniqueName(fn);
  const ids = ['orders', ...Object.keys(functions[fn].tables)] as TableId[];
  const created = await Promise.all(
    [...new Set(ids)].map((id) => createTable(id, prefix).then((t) => [id, t.name] as const)),
  );
  const tables = Object.fromEntries(created) as Record<TableId, string>;
  const dlqUrl = await createQueue(`${prefix}-dlq`);
  const env = functionEnvironment(fn, { table: (t) => tables[t], queueUrl: () => dlqUrl });
  Object.assign(process.env, env);
  let handler: KafkaHandler | undefined;
  jest.isolateModules(() => {
    handler = (require(`../../${functions[fn].entry.replace(/\.ts$/, '')}`) as { handler: KafkaHandler }).handler;
  });
  if (!handler) throw new Error(`could not load ${fn}`);
  const loaded = handler;

  return {
    tables,
    dlqUrl,
    handler: loaded,
    invoke: (records) => loaded(mskEvent(records), lambdaContext(fn)),
    async outbox(orderId) {
      const out = await dynamoDb().send(
        new QueryCommand({
          TableName: tables.orders,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: marshall({ ':pk': `${OUTBOX_KEY_PREFIX}${orderId}` }),
          ConsistentRead: true,
        }),
      );
      return (out.Items ?? []).map((i) => JSON.parse(String(unmarshall(i).envelope)) as AnyEventEnvelope);
    },
    async deadLetters(count, timeoutMs = 5000) {
      const messages = await receiveMessages(dlqUrl, count, timeoutMs);
      // consumed: the next read sees only newer letters
      const sqs = await sqsClient();
      await Promise.all(
        messages.map((m) => sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: m.ReceiptHandle }))),
      );
      return messages.map((m) => JSON.parse(m.Body ?? '{}') as Record<string, unknown>);
    },
    async putItem(table, item) {
      await dynamoDb().send(new PutItemCommand({ TableName: tables[table], Item: marshall(item) }));
    },
    async teardown() {
      await Promise.all([...Object.values(tables).map(deleteTable), deleteQueue(dlqUrl)]);
    },
  };
}

/** The Kafka record the relay would publish for an event: on its topic, keyed by order id, with headers. */
export function asRecord(event: AnyEventEnvelope, partition = 0, offset?: number): KafkaRecordInput {
  return {
    topic: topicOf(event.type).name,
    partition,
    ...(offset === undefined ? {} : { offset }),
    key: event.orderId,
    value: event,
    headers: {
      'event-type': event.type,
      'event-id': event.eventId,
      'correlation-id': event.correlationId,
      ...schemaIdHeader(event),
    },
  };
}
