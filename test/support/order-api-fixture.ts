/**
 * A fixture for order-api integration tests: isolated orders + idempotency tables on DynamoDB Local,
 * the handler loaded with the environment the topology gives it, a `call` that sends an API Gateway
 * REST (v1) proxy event and checks the JSON content type, and readers for what the API wrote.
 */
import { randomUUID } from 'node:crypto';
import { type AttributeValue, DeleteItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { IDEMPOTENCY_KEY_PREFIX } from '../../functions/order-api/idempotent-create';
import { dynamoDb } from '../../functions/shared/aws-clients';
import { functionEnvironment } from '../../lib/topology';
import { type ApiRequest, apiGatewayEvent, lambdaContext } from './aws-events';
import { createTable, deleteTable, useLocalBackends } from './isolated-resources';
import { uniqueName } from './unique-name';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field in the tests
  readonly body: any;
}

export interface OrderApiFixture {
  readonly prefix: string;
  readonly ordersTable: string;
  call(req: ApiRequest): Promise<Answer>;
  /** POST /orders with a JSON content type (plus `headers`). */
  post(body: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** The items under one partition key of the orders table (strongly consistent). */
  itemsOf(pk: string): Promise<Record<string, unknown>[]>;
  /** How many items the orders table holds. */
  itemCount(): Promise<number>;
  /** A customer's orders from the by-customer index. */
  ordersOf(customerId: string): Promise<Record<string, unknown>[]>;
  /** Deletes the API's Idempotency-Key records (as if they had expired); returns how many. */
  forgetIdempotencyKeys(): Promise<number>;
  teardown(): Promise<void>;
}

export const newCustomer = (): string => `cust-${randomUUID().slice(0, 8)}`;

/** A valid order of two lines (SKU-KEYBOARD x quantity at 49.99, SKU-MOUSE x 1 at 19.99). */
export const sampleOrder = (customerId: string, quantity = 2) => ({
  customerId,
  currency: 'EUR',
  items: [
    { sku: 'SKU-KEYBOARD', quantity, unitPrice: 4999 },
    { sku: 'SKU-MOUSE', quantity: 1, unitPrice: 1999 },
  ],
});

export async function orderApiFixture(label: string): Promise<OrderApiFixture> {
  useLocalBackends();
  const prefix = uniqueName(label);
  const [orders, idempotency] = await Promise.all([createTable('orders', prefix), createTable('idempotency', prefix)]);
  const names: Record<string, string> = { orders: orders.name, idempotency: idempotency.name };
  Object.assign(
    process.env,
    functionEnvironment('order-api', {
      table: (t) => names[t] ?? `${prefix}-${t}`,
      queueUrl: () => 'unused',
      topic: (t) => `${prefix}-${t}`,
    }),
    // Quiet output: one INFO line per request otherwise (the ERROR line of the 500 path is tested in handler.test.ts).
    { POWERTOOLS_METRICS_NAMESPACE: 'OrderSagaTest', POWERTOOLS_LOG_LEVEL: 'WARN' },
  );
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    ({ handler } = require('../../functions/order-api/handler') as { handler: Handler });
  });
  if (!handler) throw new Error('order-api handler did not load');
  const loaded = handler;

  const call = async (req: ApiRequest): Promise<Answer> => {
    const response = await loaded(apiGatewayEvent(req), lambdaContext('order-api'));
    expect(response.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
    return {
      status: response.statusCode,
      headers: response.headers as Record<string, string>,
      body: JSON.parse(response.body),
    };
  };

  return {
    prefix,
    ordersTable: orders.name,
    call,
    post: (body, headers = {}) =>
      call({ method: 'POST', path: '/orders', headers: { 'Content-Type': 'application/json', ...headers }, body }),
    async itemsOf(pk) {
      const out = await dynamoDb().send(
        new QueryCommand({
          TableName: orders.name,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: marshall({ ':pk': pk }),
          ConsistentRead: true,
        }),
      );
      return (out.Items ?? []).map((i) => unmarshall(i));
    },
    async itemCount() {
      const out = await dynamoDb().send(
        new ScanCommand({ TableName: orders.name, Select: 'COUNT', ConsistentRead: true }),
      );
      return out.Count ?? 0;
    },
    async ordersOf(customerId) {
      const out = await dynamoDb().send(
        new QueryCommand({
          TableName: orders.name,
          IndexName: 'by-customer',
          KeyConditionExpression: 'customerId = :c',
          ExpressionAttributeValues: marshall({ ':c': customerId }),
        }),
      );
      return (out.Items ?? []).map((i) => unmarshall(i));
    },
    async forgetIdempotencyKeys() {
      let deleted = 0;
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await dynamoDb().send(
          new ScanCommand({ TableName: idempotency.name, ConsistentRead: true, ExclusiveStartKey: start }),
        );
        for (const item of page.Items ?? []) {
          if (!String(unmarshall(item).id).startsWith(IDEMPOTENCY_KEY_PREFIX)) continue;
          await dynamoDb().send(
            new DeleteItemCommand({ TableName: idempotency.name, Key: { id: item.id as AttributeValue } }),
          );
          deleted++;
        }
        start = page.LastEvaluatedKey;
      } while (start);
      return deleted;
    },
    async teardown() {
      await Promise.all([deleteTable(orders.name), deleteTable(idempotency.name)]);
    },
  };
}
