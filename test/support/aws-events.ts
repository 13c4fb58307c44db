/**
 * Builders for the events AWS delivers to the functions, in the exact documented shapes, so tests exercise
 * the same parsing as production:
 * - apiGatewayEvent: REST API (v1) Lambda proxy integration input
 *   (API Gateway developer guide, "set-up-lambda-proxy-integrations", input format).
 * - dynamoStreamEvent / dynamoStreamRecord: DynamoDB Streams records as Lambda delivers them (Lambda guide "with-ddb").
 * - mskEvent: Amazon MSK event source mapping batches (Lambda guide "with-msk"): records grouped by
 *   "<topic>-<partition>", base64 key/value, headers as arrays of signed byte values (Java bytes: "ë" is
 *   [-61, -85]; see localstack/runner/kafka/header-bytes.ts for the sources).
 */
import { randomUUID } from 'node:crypto';
import type { MSKEvent } from '@aws-lambda-powertools/kafka/types';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent, AttributeValue, Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { proxyEventOf } from '../../localstack/runner/api/proxy-event';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

// ---------------------------------------------------------------------------------------------------------------
// API Gateway REST API, Lambda proxy integration (payload format 1.0)

export interface ApiRequest {
  readonly method: string;
  /** The request path without the stage, e.g. `/orders/123` (what `event.path` holds). */
  readonly path: string;
  /** The API resource that matched, e.g. `/orders/{id}`; defaults to a template derived from `path`. */
  readonly resource?: string;
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string | readonly string[]>;
  readonly headers?: Record<string, string | readonly string[]>;
  /** A string body is sent as is; any other value is JSON-encoded. */
  readonly body?: unknown;
  /** Send the body base64-encoded (as API Gateway does for binary media types). */
  readonly base64?: boolean;
  readonly requestId?: string;
  readonly stage?: string;
}

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** `/orders/<id>` → `/orders/{id}`, `/orders` → `/orders`: the resources the API defines. */
function defaultResource(path: string): { resource: string; pathParameters: Record<string, string> | null } {
  const [first, second, ...rest] = path.split('/').filter(Boolean);
  if (first === 'orders' && second !== undefined && rest.length === 0) {
    return { resource: '/orders/{id}', pathParameters: { id: safeDecode(second) } };
  }
  return { resource: path, pathParameters: null };
}

const pairsOf = (input: Record<string, string | readonly string[]> = {}): [string, string][] =>
  Object.entries(input).flatMap(([name, value]) =>
    (typeof value === 'string' ? [value] : [...value]).map((v): [string, string] => [name, v]),
  );

/** The proxy event API Gateway would send for the request (the same builder the API twin uses). */
export function apiGatewayEvent(req: ApiRequest): APIGatewayProxyEvent {
  const derived = defaultResource(req.path);
  let body: string | null = null;
  if (req.body !== undefined) body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
  if (body !== null && req.base64) body = Buffer.from(body, 'utf8').toString('base64');
  return proxyEventOf({
    method: req.method,
    path: req.path,
    resource: req.resource ?? derived.resource,
    pathParameters: req.pathParameters ?? derived.pathParameters,
    headers: pairsOf({
      Host: `abc123.execute-api.${REGION}.amazonaws.com`,
      'User-Agent': 'jest',
      'X-Forwarded-Proto': 'https',
      ...req.headers,
    }),
    query: pairsOf(req.query),
    body,
    isBase64Encoded: req.base64 === true,
    stage: req.stage ?? 'prod',
    requestId: req.requestId ?? randomUUID(),
    accountId: ACCOUNT,
    apiId: 'abc123',
    domainName: `abc123.execute-api.${REGION}.amazonaws.com`,
    sourceIp: '127.0.0.1',
    now: new Date(),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// DynamoDB Streams

export type StreamEventName = 'INSERT' | 'MODIFY' | 'REMOVE';

export interface StreamChange {
  readonly eventName: StreamEventName;
  /** Key attributes, plain values (marshalled here). */
  readonly keys: Record<string, unknown>;
  readonly newImage?: Record<string, unknown>;
  readonly oldImage?: Record<string, unknown>;
  /** Defaults to an increasing 21-digit number, like DynamoDB's. */
  readonly sequenceNumber?: string;
  /** A TTL deletion: AWS sends REMOVE with the DynamoDB service principal as userIdentity. */
  readonly ttlRemoval?: boolean;
  readonly streamViewType?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
}

let sequence = 100_000_000_000_000_000_000n;
const nextSequenceNumber = (): string => {
  sequence += 1n;
  return sequence.toString();
};

export const streamArn = (table: string): string =>
  `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}/stream/2026-01-01T00:00:00.000`;

const image = (item: Record<string, unknown>) =>
  marshall(item, { removeUndefinedValues: true }) as Record<string, AttributeValue>;

export function dynamoStreamRecord(table: string, change: StreamChange): DynamoDBRecord {
  const record: DynamoDBRecord = {
    eventID: randomUUID().replaceAll('-', ''),
    eventName: change.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: REGION,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: image(change.keys),
      ...(change.newImage ? { NewImage: image(change.newImage) } : {}),
      ...(change.oldImage ? { OldImage: image(change.oldImage) } : {}),
      SequenceNumber: change.sequenceNumber ?? nextSequenceNumber(),
      SizeBytes: Buffer.byteLength(JSON.stringify(change.newImage ?? change.oldImage ?? change.keys)),
      StreamViewType: change.streamViewType ?? 'NEW_IMAGE',
    },
    eventSourceARN: streamArn(table),
  };
  if (change.ttlRemoval) record.userIdentity = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };
  return record;
}

export function dynamoStreamEvent(table: string, changes: readonly StreamChange[]): DynamoDBStreamEvent {
  return { Records: changes.map((c) => dynamoStreamRecord(table, c)) };
}

// ---------------------------------------------------------------------------------------------------------------
// Amazon MSK

export interface KafkaRecordInput {
  readonly topic: string;
  readonly partition?: number;
  /** Defaults to the next offset of its partition within this batch (starting at 0). */
  readonly offset?: number;
  /** null → no key (the field is absent). */
  readonly key?: string | null;
  /** A string or Buffer is sent as is; any other value is JSON-encoded; null → tombstone (no value). */
  readonly value: unknown;
  /** Text (UTF-8) or binary values. */
  readonly headers?: Record<string, string | Buffer>;
  readonly timestamp?: number;
}

const toBase64 = (v: string | Buffer): string =>
  (typeof v === 'string' ? Buffer.from(v, 'utf8') : v).toString('base64');

/**
 * An MSK event. AWS omits `keySchemaMetadata` / `valueSchemaMetadata` unless the mapping uses a schema
 * registry; Powertools' `MSKEvent` type declares them required, hence the cast at the end.
 */
export function mskEvent(records: readonly KafkaRecordInput[], clusterName = 'order-saga'): MSKEvent {
  const grouped: Record<string, Record<string, unknown>[]> = {};
  const nextOffset = new Map<string, number>();
  for (const r of records) {
    const partition = r.partition ?? 0;
    const group = `${r.topic}-${partition}`;
    const offset = r.offset ?? nextOffset.get(group) ?? 0;
    nextOffset.set(group, offset + 1);
    const record: Record<string, unknown> = {
      topic: r.topic,
      partition,
      offset,
      timestamp: r.timestamp ?? Date.now(),
      timestampType: 'CREATE_TIME',
      // Int8Array of the bytes: each byte as Java's signed byte, as the MSK event carries it.
      headers: Object.entries(r.headers ?? {}).map(([k, v]) => ({ [k]: [...new Int8Array(Buffer.from(v))] })),
    };
    if (r.key !== null && r.key !== undefined) record.key = toBase64(r.key);
    if (r.value !== null) {
      record.value = toBase64(
        typeof r.value === 'string' || Buffer.isBuffer(r.value)
          ? (r.value as string | Buffer)
          : JSON.stringify(r.value),
      );
    }
    grouped[group] = [...(grouped[group] ?? []), record];
  }
  const event = {
    eventSource: 'aws:kafka',
    eventSourceArn: `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/${clusterName}/abcd1234-abcd-cafe-abab-9876543210ab-4`,
    bootstrapServers: `b-1.${clusterName}.abc123.c2.kafka.${REGION}.amazonaws.com:9098,b-2.${clusterName}.abc123.c2.kafka.${REGION}.amazonaws.com:9098`,
    records: grouped,
  };
  return event as unknown as MSKEvent;
}

// ---------------------------------------------------------------------------------------------------------------
// Lambda context

export function lambdaContext(functionName: string, remainingMs = 30_000): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2026/01/01/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
