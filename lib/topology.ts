/**
 * The pipeline's topology: the single source of truth for topics, tables, queues, functions and
 * event source mappings. The CDK stacks (lib/) and the local runner (localstack/) both read this
 * module; nothing here is configured twice. Pure data plus small helpers: no AWS or Node imports,
 * so any side (CDK, runner, tests) can load it cheaply. The spec types are in topology-types.ts, the
 * topics, tables and queues in topology-resources.ts and the saga deadlines in saga-deadlines.ts; all
 * are re-exported here, so everything imports from this module.
 */

export * from './saga-deadlines';
export * from './topology-resources';
export type * from './topology-types';

import { DEFAULT_SAGA_DEADLINES, SAGA_DEADLINE_ENV, type SagaDeadlines } from './saga-deadlines';
import { OPEN_ORDERS_INDEX, OUTBOX_KEY_PREFIX, topics } from './topology-resources';
import type {
  EventType,
  FunctionId,
  FunctionSpec,
  KafkaMappingSpec,
  MappingSpec,
  QueueId,
  ScheduleSpec,
  StreamMappingSpec,
  TableId,
  TopicId,
  TopicSpec,
} from './topology-types';

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
  startingPosition: 'TRIM_HORIZON',
  retryAttempts: 10,
  bisectBatchOnError: true,
  reportBatchItemFailures: true,
  maxRecordAgeSeconds: -1,
} as const;

/**
 * Batching windows (seconds) of the Kafka mappings, chosen per mapping and deployed as written (the CDK
 * stack and the local twin read the same value). A window waits for a fuller batch before invoking:
 * fewer invocations per order, but that wait on every hop between POST and the final status.
 * - SAGA_PATH (0): the hops an order waits on until it is final (reserve, authorise, release, the
 *   final status in the read model). Lambda invokes as soon as records are there.
 * - OFF_PATH (0.5, MSK's default): notifications, expiry, the history-only notification step; nobody
 *   waits on them, so they batch. MSK takes whole seconds only and 0.5 s is written by leaving the
 *   property unset (lib/services/event-sources.ts).
 * https://docs.aws.amazon.com/lambda/latest/dg/msk-esm-parameters.html (MaximumBatchingWindowInSeconds,
 * default 500 ms), https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
 * (0 to 300 seconds in increments of seconds; the 500 ms default cannot be restored once changed).
 */
export const BATCHING_WINDOW = { SAGA_PATH: 0, OFF_PATH: 0.5 } as const;

function kafkaMapping(fn: FunctionId, topic: TopicId, maxBatchingWindowSeconds: number): KafkaMappingSpec {
  const onFailureQueue = functions[fn].deadLetterQueue;
  if (!onFailureQueue) throw new Error(`function ${fn} consumes Kafka but has no deadLetterQueue`);
  return {
    ...kafkaDefaults,
    maxBatchingWindowSeconds,
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
  kafkaMapping('inventory', 'orders', BATCHING_WINDOW.SAGA_PATH),
  kafkaMapping('inventory', 'payments', BATCHING_WINDOW.SAGA_PATH), // PaymentDeclined → release → CANCELLED
  kafkaMapping('payment', 'inventory', BATCHING_WINDOW.SAGA_PATH),
  // OrderExpired: void an authorisation, or refuse a later one.
  kafkaMapping('payment', 'orders', BATCHING_WINDOW.OFF_PATH),
  kafkaMapping('notification', 'inventory', BATCHING_WINDOW.OFF_PATH),
  kafkaMapping('notification', 'payments', BATCHING_WINDOW.OFF_PATH),
  // order-view.orders carries only OrderExpired for it (the order item is written with OrderCreated).
  kafkaMapping('order-view', 'orders', BATCHING_WINDOW.OFF_PATH),
  kafkaMapping('order-view', 'inventory', BATCHING_WINDOW.SAGA_PATH), // REJECTED, CANCELLED
  kafkaMapping('order-view', 'payments', BATCHING_WINDOW.SAGA_PATH), // CONFIRMED
  kafkaMapping('order-view', 'notifications', BATCHING_WINDOW.OFF_PATH),
];

/**
 * The consumer group of a replay of `fn` over `topic` (`npm run cli -- replay`): one known name per
 * (function, topic), so the stack grants exactly it (no wildcard); the CLI refuses to start while it
 * exists (a replay in progress or not cleaned up) and deletes it when done, so every replay starts fresh.
 */
export const replayGroupId = (fn: FunctionId, topic: TopicId) => `replay.${fn}.${topic}`;

/**
 * The temporary mapping of a replay: the live mapping's settings (batching, retries, bisect, partial
 * responses, on-failure queue) under the replay group, starting at `fromSeconds` (AT_TIMESTAMP), or, when
 * the group's offsets were set beforehand (a replay from offsets), at those offsets (TRIM_HORIZON is then
 * ignored, as for any group with committed offsets).
 */
export function replayMapping(fn: FunctionId, topic: TopicId, start: { fromSeconds?: number }): KafkaMappingSpec {
  const live = kafkaMappings.find((m) => m.function === fn && m.topic === topic);
  if (!live) throw new Error(`${fn} does not consume ${topic}`);
  return {
    ...live,
    id: `${live.id}.replay`,
    consumerGroupId: replayGroupId(fn, topic),
    ...(start.fromSeconds === undefined
      ? { startingPosition: 'TRIM_HORIZON' }
      : { startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: start.fromSeconds }),
  };
}

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
  /** Namespace of the functions' EMF metrics; default DEFAULT_METRICS_NAMESPACE (deployments pass their prefix). */
  readonly metricsNamespace?: string;
}

/** The EMF namespace of the default deployment prefix, and of the local pipeline. */
export const DEFAULT_METRICS_NAMESPACE = 'OrderSaga';

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
    POWERTOOLS_METRICS_NAMESPACE: names.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE,
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

/**
 * Functions that read or write Kafka records get the schema registry's version ids (SCHEMA_VERSION_IDS):
 * the relay stamps them on what it publishes, consumers resolve them (functions/shared/schema-ids.ts).
 */
export function usesSchemaRegistry(fn: FunctionId): boolean {
  return functions[fn].kafkaProducer === true || kafkaMappings.some((m) => m.function === fn);
}

/** Event type → the topic it is published on (derived from `topics`). */
export function topicOf(type: EventType): TopicSpec {
  const topic = Object.values(topics).find((t) => t.eventTypes.includes(type));
  if (!topic) throw new Error(`no topic carries ${type}`);
  return topic;
}
