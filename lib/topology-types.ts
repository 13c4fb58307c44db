/**
 * The shapes of the topology (lib/topology.ts): ids and specs of topics, tables, queues, functions,
 * schedules and event source mappings. Types only; topology.ts re-exports them, so importers keep
 * importing from there.
 */
import type { SagaDeadlines } from './saga-deadlines';

export type EventType =
  | 'OrderCreated'
  | 'InventoryReserved'
  | 'InventoryRejected'
  | 'InventoryReleased'
  | 'PaymentAuthorized'
  | 'PaymentDeclined'
  | 'PaymentVoided'
  | 'OrderExpired'
  | 'NotificationSent';

export type TopicId = 'orders' | 'inventory' | 'payments' | 'notifications';
export type TableId = 'orders' | 'inventory' | 'payments' | 'notifications' | 'idempotency';
export type FunctionId =
  | 'order-api'
  | 'outbox-relay'
  | 'inventory'
  | 'payment'
  | 'notification'
  | 'order-view'
  | 'reconciler';
export type QueueId = 'outbox-relay-dlq' | 'inventory-dlq' | 'payment-dlq' | 'notification-dlq' | 'order-view-dlq';

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** Kafka `retention.ms`. */
  readonly retentionMs: number;
  /** Event types published to this topic (each by exactly one function, through the outbox). */
  readonly eventTypes: readonly EventType[];
}

export interface AttributeSpec {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface TableSpec {
  readonly name: string;
  readonly partitionKey: AttributeSpec;
  readonly sortKey?: AttributeSpec;
  /** DynamoDB Streams view type, when the table has a stream. */
  readonly stream?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';
  /** Attribute holding an epoch-seconds expiry for DynamoDB TTL. */
  readonly ttlAttribute?: string;
  readonly globalIndexes?: readonly {
    readonly name: string;
    readonly partitionKey: AttributeSpec;
    readonly sortKey?: AttributeSpec;
    /** Non-key attributes projected into the index (INCLUDE); absent = ALL. */
    readonly projectedAttributes?: readonly string[];
  }[];
}

export interface QueueSpec {
  readonly name: string;
  readonly retentionSeconds: number;
}

export interface FunctionSpec {
  /** Path of the handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Tables the function reads or writes (the CDK grants exactly these). */
  readonly tables: { readonly [K in TableId]?: 'read' | 'write' | 'readwrite' };
  /** Topic the function's outbox items are published to (by the relay), if it emits events. */
  readonly outboxTopic?: TopicId;
  /** Queue receiving records the function can never process (and its ESM failure records). */
  readonly deadLetterQueue?: QueueId;
  /** Only the relay talks to Kafka directly, so only it runs in the VPC. */
  readonly kafkaProducer?: boolean;
  /** Caps concurrency where it protects a downstream (undefined = account pool). */
  readonly reservedConcurrency?: number;
  /**
   * Exact DynamoDB actions per table (and index), replacing the access mode's generic grant: for a
   * function whose code makes few, known calls (the reconciler; its unit test checks the code against it).
   */
  readonly exactGrants?: { readonly [K in TableId]?: TableGrant };
}

export interface TableGrant {
  readonly actions: readonly string[];
  /** Index name → actions on `<table>/index/<name>`. */
  readonly indexes?: Readonly<Record<string, readonly string[]>>;
}

/** A function invoked on a timer (EventBridge rule in AWS, a timer twin locally). */
export interface ScheduleSpec {
  readonly id: string;
  readonly function: FunctionId;
  /** The deadline setting giving its period in seconds (overridable like every deadline). */
  readonly period: keyof SagaDeadlines;
}

interface EsmErrorHandling {
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Retries of a failing batch before its failure record goes to `onFailureQueue` (-1 = infinite). */
  readonly retryAttempts: number;
  readonly bisectBatchOnError: boolean;
  readonly reportBatchItemFailures: boolean;
  readonly onFailureQueue: QueueId;
  readonly maxRecordAgeSeconds: number;
}

export interface KafkaMappingSpec extends EsmErrorHandling {
  readonly id: string;
  readonly kind: 'kafka';
  readonly function: FunctionId;
  /** One Kafka ESM reads exactly one topic. */
  readonly topic: TopicId;
  readonly consumerGroupId: string;
  /**
   * Where a new consumer group starts (a group with committed offsets resumes from them). AT_TIMESTAMP
   * (replays: `npm run cli -- replay`) starts at the first record at or after `startingPositionTimestamp`.
   * https://docs.aws.amazon.com/lambda/latest/dg/kafka-starting-positions.html
   * https://docs.aws.amazon.com/lambda/latest/dg/kafka-consumer-group-id.html
   */
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  /** Unix time in seconds, as the Lambda API's StartingPositionTimestamp; required with AT_TIMESTAMP. */
  readonly startingPositionTimestamp?: number;
}

export interface StreamMappingSpec extends EsmErrorHandling {
  readonly id: string;
  readonly kind: 'dynamodb-stream';
  readonly function: FunctionId;
  readonly table: TableId;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  /** Lambda filter criteria patterns (each a JSON pattern, as in `FilterCriteria.Filters[].Pattern`). */
  readonly filterPatterns: readonly Record<string, unknown>[];
  readonly parallelizationFactor: number;
}

export type MappingSpec = KafkaMappingSpec | StreamMappingSpec;
