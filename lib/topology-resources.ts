/**
 * The topology's stateful resources: Kafka topics, DynamoDB tables (with the outbox and open-orders
 * keys they are laid out for) and dead-letter queues. Pure data; lib/topology.ts re-exports it, so
 * everything imports these from there.
 */
import { SQS_LIMITS } from './aws-limits';
import type { AttributeSpec, QueueId, QueueSpec, TableId, TableSpec, TopicId, TopicSpec } from './topology-types';

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
