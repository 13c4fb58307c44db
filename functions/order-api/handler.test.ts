/**
 * The 500 path (unit, error paths only): when DynamoDB fails unexpectedly the API answers
 * 500 INTERNAL_ERROR without internals and logs the error with the request id and correlation id.
 * Everything else is tested against DynamoDB Local in handler.int.test.ts.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { apiGatewayEvent, lambdaContext } from '../../test/support/aws-events';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const ddbMock = mockClient(DynamoDBClient);
const SECRET_DETAIL = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders-internal';
let handler: Handler;
let logLines: Record<string, unknown>[];
let spies: jest.SpyInstance[];

beforeAll(() => {
  Object.assign(process.env, {
    ORDERS_TABLE: 'unit-orders',
    IDEMPOTENCY_TABLE: 'unit-idempotency',
    OUTBOX_TOPIC: 'orders',
    POWERTOOLS_SERVICE_NAME: 'order-api',
    POWERTOOLS_METRICS_NAMESPACE: 'OrderSagaUnit',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  // The handler reads its configuration at load time: load it after the environment is set (in this
  // file's module registry, so it shares the DynamoDBClient class the mock patches).
  ({ handler } = require('./handler') as { handler: Handler });
});

beforeEach(() => {
  ddbMock.reset();
  logLines = [];
  // Powertools writes INFO to stdout and WARN/ERROR to stderr, one JSON object per line.
  const capture = (chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      try {
        logLines.push(JSON.parse(line));
      } catch {
        // not a structured log line
      }
    }
    return true;
  };
  spies = [process.stdout, process.stderr].map((s) => jest.spyOn(s, 'write').mockImplementation(capture));
});

afterEach(() => {
  for (const s of spies) s.mockRestore();
});

const order = { customerId: 'cust-1', currency: 'EUR', items: [{ sku: 'SKU-A', quantity: 1, unitPrice: 100 }] };

async function expectInternalError(event: APIGatewayProxyEvent) {
  const response = await handler(event, lambdaContext('order-api'));
  expect(response.statusCode).toBe(500);
  expect(response.headers?.['Content-Type']).toMatch(/^application\/json/);
  const body = JSON.parse(response.body);
  expect(body.error.code).toBe('INTERNAL_ERROR');
  expect(body.error.message).toContain(event.requestContext.requestId);
  expect(response.body).not.toContain(SECRET_DETAIL);
  expect(response.body).not.toMatch(/stack|Exception/i);

  const errorLine = logLines.find((l) => l.level === 'ERROR');
  expect(errorLine).toMatchObject({
    message: 'unexpected error',
    requestId: event.requestContext.requestId,
    correlationId: 'corr-500',
  });
  expect(JSON.stringify(errorLine)).toContain(SECRET_DETAIL);
}

describe('order-api unexpected errors', () => {
  const headers = { 'Content-Type': 'application/json', 'X-Correlation-Id': 'corr-500' };

  it('POST /orders: a failing transaction is a 500 without internals, logged with request and correlation id', async () => {
    ddbMock.on(TransactWriteItemsCommand).rejects(new Error(`InternalServerError at ${SECRET_DETAIL}`));
    await expectInternalError(apiGatewayEvent({ method: 'POST', path: '/orders', headers, body: order }));
  });

  it('POST /orders with an Idempotency-Key: a failing idempotency store is a 500 too', async () => {
    ddbMock.on(PutItemCommand).rejects(new Error(`InternalServerError at ${SECRET_DETAIL}`));
    await expectInternalError(
      apiGatewayEvent({
        method: 'POST',
        path: '/orders',
        headers: { ...headers, 'Idempotency-Key': 'k-500' },
        body: order,
      }),
    );
    expect(ddbMock.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it('GET /orders/{id}: a failing read is a 500', async () => {
    ddbMock.on(GetItemCommand).rejects(new Error(`InternalServerError at ${SECRET_DETAIL}`));
    await expectInternalError(
      apiGatewayEvent({ method: 'GET', path: '/orders/0190f0d2-7c4e-7a1b-8c3d-1234567890ab', headers }),
    );
  });
});
