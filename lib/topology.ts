/**
 * The pipeline's topology: the single source of truth for topics, tables, queues, functions and
 * event source mappings. The CDK stacks (lib/) and the local runner (localstack/) both read this
 * module; nothing here is configured twice. Pure data plus small helpers: no AWS or Node imports,
 * so any side (CDK, runner, tests) can load it cheaply. The spec types are in topology-types.ts and the
 * saga deadlines in saga-deadlines.ts; both are re-exported here, so everything imports from this module.
 */

export * from './saga-deadlines';
export type * from './topology-types';

import { SQS_LIMITS } from './aws-limits';
import { DEFAULT_SAGA_DEADLINES, SAGA_DEADLINE_ENV, type SagaDeadlines } from './saga-deadlines';
import type {
  AttributeSpec,
  EventType,
  FunctionId,
  FunctionSpec,
  KafkaMappingSpec,
  MappingSpec,
  QueueId,
  QueueSpec,
  ScheduleSpec,
  StreamMappingSpec,
  TableId,
  TableSpec,
  TopicId,
  TopicSpec,
} from './topology-types';

const DAY_S = 24 * 60 * 60;
const WEEK_MS = 7 * DAY_S * 1000;

/** Outbox items live in the orders table under this partition-key prefix. */
export const OUTBOX_KEY_PREFIX = 'OUTBOX#';

/**
 * The sparse index of open orders: only order items that are not final (or EXPIRED and not yet settled)
 * carry `openShard`, so the reconciler reads open orders without a table scan. Written by order-api
 * (create), removed by order-view (final) or the reconciler (expired and settled). Sharded so the
 * index's writes spread over several partition keys.
 */
export const OPEN_ORDERS_INDEX = 'open-orders';
export const OPEN_ORDER_SHARDS = 4;
export const OPEN_SHARD_ATTRIBUTE = 'openShard';

export const topics: { readonly [K in TopicId]: TopicSpec } = {
  orders: { name: 'orders', partitions: 6, retentionMs: WEEK_MS, eventTypes: ['OrderCreated', 'OrderExpired'] },
  inventory: {
    name: 'inventory',
    partitions: 6,
    retentionMs: WEEK_MS,
    eventTypes: ['InventoryReserved', 'InventoryRejected', 'InventoryReleased'],
  },
  payments: {
    name: 'payments',
    partitions: 6,
    retentionMs: WEEK_MS,
    eventTypes: ['PaymentAuthorized', 'PaymentDeclined', 'PaymentVoided'],
  },
  notifications: { name: 'notifications', partitions: 3, retentionMs: WEEK_MS, eventTypes: ['NotificationSent'] },
};

const S = (name: string): AttributeSpec => ({ name, type: 'S' });

export const tables: { readonly [K in TableId]: TableSpec } = {
  // Orders (the order item doubles as the read model kept by order-view) and the outbox of every
  // service: one table so each service's domain write + outbox item is one TransactWriteItems and
  // the table's stream is the outbox the relay reads.
  orders: {
    name: 'orders',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    stream: 'NEW_IMAGE',
    ttlAttribute: 'expiresAt',
    globalIndexes: [
      { name: 'by-customer', partitionKey: S('customerId'), sortKey: S('createdAt') },
      {
        name: OPEN_ORDERS_INDEX,
        partitionKey: S(OPEN_SHARD_ATTRIBUTE),
        sortKey: S('createdAt'),
        projectedAttributes: ['orderId', 'status', 'lastProgressAt', 'lastRedriveAt'],
      },
    ],
  },
  inventory: { name: 'inventory', partitionKey: S('pk') },
  payments: { name: 'payments', partitionKey: S('pk') },
  notifications: { name: 'notifications', partitionKey: S('pk') },
  // Layout required by @aws-lambda-powertools/idempotency's DynamoDBPersistenceLayer.
  idempotency: { name: 'idempotency', partitionKey: S('id'), ttlAttribute: 'expiration' },
};

// The SQS maximum (14 days): time to look at a dead letter before it is gone.
const DLQ_RETENTION_S = SQS_LIMITS.retentionSeconds.max;
export const queues: { readonly [K in QueueId]: QueueSpec } = {
  'outbox-relay-dlq': { name: 'outbox-relay-dlq', retentionSeconds: DLQ_RETENTION_S },
  'inventory-dlq': { name: 'inventory-dlq', retentionSeconds: DLQ_RETENTION_S },
  'payment-dlq': { name: 'payment-dlq', retentionSeconds: DLQ_RETENTION_S },
  'notification-dlq': { name: 'notification-dlq', retentionSeconds: DLQ_RETENTION_S },
  'order-view-dlq': { name: 'order-view-dlq', retentionSeconds: DLQ_RETENTION_S },
};

export const functions: { readonly [K in FunctionId]: FunctionSpec } = {
  'order-api': {
    entry: 'functions/order-api/handler.ts',
    description: 'POST /orders, GET /orders/{id}, GET /orders?customerId=',
    timeoutSeconds: 10,
    memoryMb: 512,
    tables: { orders: 'readwrite', idempotency: 'readwrite' },
    outboxTopic: 'orders',
  },
  'outbox-relay': {
    entry: 'functions/outbox-relay/handler.ts',
    description: 'Publishes outbox items from the orders table stream to their Kafka topic',
    timeoutSeconds: 60,
    memoryMb: 512,
    tables: {},
    deadLetterQueue: 'outbox-relay-dlq',
    kafkaProducer: true,
    // No reservation: the stream mapping already bounds the relay (one invocation per shard, parallelization
    // factor 1), and a reservation fails to deploy in accounts with a small concurrency quota. Opt in with
    // the relayReservedConcurrency context key (lib/config.ts).
  },
  inventory: {
    entry: 'functions/inventory/handler.ts',
    description: 'Reserves stock on OrderCreated, releases it on PaymentDeclined',
    timeoutSeconds: 30,
    memoryMb: 512,
    tables: { inventory: 'readwrite', orders: 'write', idempotency: 'readwrite' },
    outboxTopic: 'inventory',
    deadLetterQueue: 'inventory-dlq',
  },
  payment: {
    entry: 'functions/payment/handler.ts',
    description: 'Authorises payment on InventoryReserved with a simulated provider',
    timeoutSeconds: 30,
    memoryMb: 512,
    tables: { payments: 'readwrite', orders: 'write', idempotency: 'readwrite' },
    outboxTopic: 'payments',
    deadLetterQueue: 'payment-dlq',
  },
  notification: {
    entry: 'functions/notification/handler.ts',
    description: 'Records the customer notification for final saga outcomes',
    timeoutSeconds: 30,
    memoryMb: 512,
    tables: { notifications: 'readwrite', orders: 'write', idempotency: 'readwrite' },
    outboxTopic: 'notifications',
    deadLetterQueue: 'notification-dlq',
  },
  'order-view': {
    entry: 'functions/order-view/handler.ts',
    description: 'Moves the order read model through its statuses from every domain topic',
    timeoutSeconds: 30,
    memoryMb: 512,
    tables: { orders: 'readwrite', idempotency: 'readwrite' },
    deadLetterQueue: 'order-view-dlq',
  },
  reconciler: {
    entry: 'functions/reconciler/handler.ts',
    description: 'Re-drives stalled orders and expires those past the saga deadline',
    timeoutSeconds: 60,
    memoryMb: 512,
    tables: { orders: 'readwrite', inventory: 'read', payments: 'read' },
    outboxTopic: 'orders',
    // No reserved concurrency: a reservation fails in accounts whose quota is 10 (issue 11), and
    // overlapping runs are safe (every write is conditional); a run takes well under the 60 s period.
    exactGrants: {
      // GetItem/Query: the order and its outbox; UpdateItem: re-drive marks, expiry, settle;
      // PutItem: the OrderExpired outbox item (in the expiry's TransactWriteItems).
      orders: {
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        indexes: { [OPEN_ORDERS_INDEX]: ['dynamodb:Query'] },
      },
      inventory: { actions: ['dynamodb:GetItem'] },
      payments: { actions: ['dynamodb:GetItem'] },
    },
  },
};

export const schedules: readonly ScheduleSpec[] = [
  { id: 'reconciler.schedule', function: 'reconciler', period: 'reconcileEverySeconds' },
];

/** Attribute the reconciler sets on an outbox item to have the relay publish it again (a MODIFY). */
export const REDRIVEN_AT_ATTRIBUTE = 'redrivenAt';

const kafkaDefaults = {
  kind: 'kafka',
  batchSize: 100,
  maxBatchingWindowSeconds: 0.5,
  startingPosition: 'TRIM_HORIZON',
  retryAttempts: 10,
  bisectBatchOnError: true,
  reportBatchItemFailures: true,
  maxRecordAgeSeconds: -1,
} as const;

function kafkaMapping(fn: FunctionId, topic: TopicId): KafkaMappingSpec {
  const onFailureQueue = functions[fn].deadLetterQueue;
  if (!onFailureQueue) throw new Error(`function ${fn} consumes Kafka but has no deadLetterQueue`);
  return {
    ...kafkaDefaults,
    id: `${fn}.${topic}`,
    function: fn,
    topic,
    consumerGroupId: `${fn}.${topic}`,
    onFailureQueue,
  };
}

export const mappings: readonly MappingSpec[] = [
  {
    id: 'outbox-relay.orders-stream',
    kind: 'dynamodb-stream',
    function: 'outbox-relay',
    table: 'orders',
    batchSize: 100,
    maxBatchingWindowSeconds: 0,
    startingPosition: 'TRIM_HORIZON',
    retryAttempts: 10,
    bisectBatchOnError: true,
    reportBatchItemFailures: true,
    onFailureQueue: 'outbox-relay-dlq',
    maxRecordAgeSeconds: -1,
    parallelizationFactor: 1,
    // Only new outbox items and outbox items the reconciler re-drives: not order/read-model writes,
    // not TTL removals.
    filterPatterns: [
      { eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: OUTBOX_KEY_PREFIX }] } } } },
      {
        eventName: ['MODIFY'],
        dynamodb: {
          Keys: { pk: { S: [{ prefix: OUTBOX_KEY_PREFIX }] } },
          NewImage: { [REDRIVEN_AT_ATTRIBUTE]: { S: [{ exists: true }] } },
        },
      },
    ],
  },
  kafkaMapping('inventory', 'orders'),
  kafkaMapping('inventory', 'payments'),
  kafkaMapping('payment', 'inventory'),
  // OrderExpired: void an authorisation, or refuse a later one.
  kafkaMapping('payment', 'orders'),
  kafkaMapping('notification', 'inventory'),
  kafkaMapping('notification', 'payments'),
  kafkaMapping('order-view', 'orders'),
  kafkaMapping('order-view', 'inventory'),
  kafkaMapping('order-view', 'payments'),
  kafkaMapping('order-view', 'notifications'),
];

export const kafkaMappings = mappings.filter((m): m is KafkaMappingSpec => m.kind === 'kafka');
export const streamMappings = mappings.filter((m): m is StreamMappingSpec => m.kind === 'dynamodb-stream');

/** Env var naming the physical name of a table / queue / topic: ORDERS_TABLE, INVENTORY_DLQ_URL... */
const envName = {
  table: (t: TableId) => `${t.toUpperCase()}_TABLE`,
  topic: (t: TopicId) => `${t.toUpperCase()}_TOPIC`,
};

/** Physical names, resolved by the deployment target (CDK tokens, or local names/URLs). */
export interface ResolvedNames {
  readonly table: (t: TableId) => string;
  readonly queueUrl: (q: QueueId) => string;
  /** Physical topic name; defaults to the topology name (the local runner may prefix it for isolated tests). */
  readonly topic?: (t: TopicId) => string;
}

/**
 * The environment a function runs with, identical in AWS and locally except for the physical
 * names and the Kafka connection settings, which the target adds.
 */
export function functionEnvironment(
  fn: FunctionId,
  names: ResolvedNames,
  deadlines: SagaDeadlines = DEFAULT_SAGA_DEADLINES,
): Record<string, string> {
  const spec = functions[fn];
  const env: Record<string, string> = {
    POWERTOOLS_SERVICE_NAME: fn,
    POWERTOOLS_METRICS_NAMESPACE: 'OrderSaga',
  };
  for (const t of Object.keys(spec.tables) as TableId[]) env[envName.table(t)] = names.table(t);
  if (spec.outboxTopic) env.OUTBOX_TOPIC = names.topic?.(spec.outboxTopic) ?? topics[spec.outboxTopic].name;
  if (spec.deadLetterQueue) env.DLQ_URL = names.queueUrl(spec.deadLetterQueue);
  if (schedules.some((s) => s.function === fn)) {
    for (const key of Object.keys(SAGA_DEADLINE_ENV) as (keyof SagaDeadlines)[]) {
      env[SAGA_DEADLINE_ENV[key]] = String(deadlines[key]);
    }
  }
  return env;
}

/** Event type → the topic it is published on (derived from `topics`). */
export function topicOf(type: EventType): TopicSpec {
  const topic = Object.values(topics).find((t) => t.eventTypes.includes(type));
  if (!topic) throw new Error(`no topic carries ${type}`);
  return topic;
}
