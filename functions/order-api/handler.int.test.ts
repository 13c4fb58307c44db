/**
 * order-api against DynamoDB Local, with API Gateway REST (v1) proxy events: the order and its outbox
 * item really written in one transaction, every error code with nothing written, Idempotency-Key
 * replays and reuse, GET by id, and a customer's orders newest first across pages.
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { functionEnvironment, OUTBOX_TTL_SECONDS, type TableId } from '../../lib/topology';
import { malformedRequests } from '../../test/bad-input/malformed-requests';
import { type ApiRequest, apiGatewayEvent, lambdaContext } from '../../test/support/aws-events';
import { createTable, deleteTable, uniquePrefix, useLocalBackends } from '../../test/support/isolated-resources';
import { dynamoDb } from '../shared/aws-clients';
import { validateEvent } from '../shared/validation';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const prefix = uniquePrefix('order-api');
const tables: Partial<Record<TableId, string>> = {};
let handler: Handler;

beforeAll(async () => {
  useLocalBackends();
  const [orders, idempotency] = await Promise.all([createTable('orders', prefix), createTable('idempotency', prefix)]);
  tables.orders = orders.name;
  tables.idempotency = idempotency.name;
  Object.assign(
    process.env,
    functionEnvironment('order-api', {
      table: (t) => tables[t] ?? `${prefix}-${t}`,
      queueUrl: () => 'unused',
      topic: (t) => `${prefix}-${t}`,
    }),
    // Quiet test output: one INFO line per request otherwise (the 500 path's ERROR line is tested in handler.test.ts).
    { POWERTOOLS_METRICS_NAMESPACE: 'OrderSagaTest', POWERTOOLS_LOG_LEVEL: 'WARN' },
  );
  jest.isolateModules(() => {
    ({ handler } = require('./handler') as { handler: Handler });
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(Object.values(tables).map((t) => deleteTable(t as string)));
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field in the tests
  readonly body: any;
}

async function call(req: ApiRequest): Promise<Answer> {
  const response = await handler(apiGatewayEvent(req), lambdaContext('order-api'));
  expect(response.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
  return {
    status: response.statusCode,
    headers: response.headers as Record<string, string>,
    body: JSON.parse(response.body),
  };
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const newCustomer = () => `cust-${randomUUID().slice(0, 8)}`;
const order = (customerId: string, quantity = 2) => ({
  customerId,
  currency: 'EUR',
  items: [
    { sku: 'SKU-KEYBOARD', quantity, unitPrice: 4999 },
    { sku: 'SKU-MOUSE', quantity: 1, unitPrice: 1999 },
  ],
});
const post = (body: unknown, headers: Record<string, string> = {}) =>
  call({ method: 'POST', path: '/orders', headers: { ...JSON_HEADERS, ...headers }, body });

async function itemsOf(pk: string) {
  const out = await dynamoDb().send(
    new QueryCommand({
      TableName: tables.orders,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: marshall({ ':pk': pk }),
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => unmarshall(i));
}

async function itemCount(): Promise<number> {
  const out = await dynamoDb().send(
    new ScanCommand({ TableName: tables.orders, Select: 'COUNT', ConsistentRead: true }),
  );
  return out.Count ?? 0;
}

async function ordersOf(customerId: string) {
  const out = await dynamoDb().send(
    new QueryCommand({
      TableName: tables.orders,
      IndexName: 'by-customer',
      KeyConditionExpression: 'customerId = :c',
      ExpressionAttributeValues: marshall({ ':c': customerId }),
    }),
  );
  return out.Items ?? [];
}

describe('POST /orders', () => {
  it('writes the order (PENDING, first history step) and its OrderCreated outbox item, answers 202 + Location', async () => {
    const customerId = newCustomer();
    const started = Math.floor(Date.now() / 1000);
    const res = await post(order(customerId), { 'X-Correlation-Id': 'corr-create-1' });

    expect(res.status).toBe(202);
    const { orderId } = res.body;
    expect(orderId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.body).toEqual({ orderId, status: 'PENDING', links: { self: `/prod/orders/${orderId}` } });
    expect(res.headers.Location).toBe(`/prod/orders/${orderId}`);
    expect(res.headers['X-Correlation-Id']).toBe('corr-create-1');

    const [orderItem] = await itemsOf(`ORDER#${orderId}`);
    expect(orderItem).toMatchObject({
      sk: 'ORDER',
      entityType: 'ORDER',
      orderId,
      customerId,
      currency: 'EUR',
      status: 'PENDING',
      version: 1,
      total: { amount: 2 * 4999 + 1999, currency: 'EUR' },
      items: [
        { sku: 'SKU-KEYBOARD', quantity: 2, unitPrice: { amount: 4999, currency: 'EUR' } },
        { sku: 'SKU-MOUSE', quantity: 1, unitPrice: { amount: 1999, currency: 'EUR' } },
      ],
    });
    expect(orderItem?.createdAt).toBe(orderItem?.updatedAt);

    const outbox = await itemsOf(`OUTBOX#${orderId}`);
    expect(outbox).toHaveLength(1);
    const entry = outbox[0] as Record<string, unknown>;
    const event = JSON.parse(String(entry.envelope));
    expect(validateEvent(event).ok).toBe(true);
    expect(event).toMatchObject({
      type: 'OrderCreated',
      orderId,
      source: 'order-api',
      correlationId: 'corr-create-1',
      sequence: 1,
      payload: { customerId, currency: 'EUR', total: { amount: 11997, currency: 'EUR' } },
    });
    expect(entry).toMatchObject({ topic: `${prefix}-orders`, eventId: event.eventId, sk: event.eventId });
    expect(Number(entry.expiresAt)).toBeGreaterThanOrEqual(started + OUTBOX_TTL_SECONDS);

    // The first history step is the OrderCreated event, already marked applied for order-view.
    expect(orderItem?.history).toEqual([
      {
        eventId: event.eventId,
        eventType: 'OrderCreated',
        at: event.occurredAt,
        sequence: 1,
        detail: expect.any(String),
      },
    ]);
    expect(orderItem?.appliedEventIds).toEqual(new Set([event.eventId]));
  });

  it('uses the API Gateway request id as correlation and causation id when no X-Correlation-Id is sent', async () => {
    const requestId = randomUUID();
    const res = await call({
      method: 'POST',
      path: '/orders',
      headers: JSON_HEADERS,
      body: order(newCustomer()),
      requestId,
    });
    expect(res.status).toBe(202);
    expect(res.headers['X-Correlation-Id']).toBe(requestId);
    const [entry] = await itemsOf(`OUTBOX#${res.body.orderId}`);
    expect(JSON.parse(String(entry?.envelope))).toMatchObject({ correlationId: requestId, causationId: requestId });
  });

  it('names every failing field in one 400 VALIDATION_FAILED and writes nothing', async () => {
    const before = await itemCount();
    const res = await post({
      customerId: '',
      currency: 'euro',
      items: [
        { sku: 'SKU-A', quantity: 0, unitPrice: 1.5 },
        { sku: 'bad sku', quantity: 1 },
      ],
      coupon: 'FREE',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const paths = res.body.error.fields.map((f: { path: string }) => f.path);
    for (const path of [
      '/customerId',
      '/currency',
      '/items/0/quantity',
      '/items/0/unitPrice',
      '/items/1/sku',
      '/items/1/unitPrice',
      '/coupon',
    ]) {
      expect(paths).toContain(path);
    }
    for (const f of res.body.error.fields) expect(typeof f.message).toBe('string');
    expect(await itemCount()).toBe(before);
  });

  it('answers every case of the bad-input corpus with its status, code and field, writing nothing', async () => {
    const before = await itemCount();
    const cases = malformedRequests();
    expect(cases.length).toBeGreaterThan(100);
    for (const c of cases) {
      const res = await call({
        method: c.method,
        path: c.path,
        headers: c.headers,
        ...(c.body !== undefined ? { body: c.body } : {}),
      });
      const context = `${c.description}: ${JSON.stringify(res.body)}`;
      expect([res.status, res.body.error?.code, context]).toEqual([c.expectStatus, c.expectCode, context]);
      const paths = (res.body.error.fields ?? []).map((f: { path: string }) => f.path);
      if (c.expectField !== undefined)
        expect([context, paths]).toEqual([context, expect.arrayContaining([c.expectField])]);
      if (c.alsoField !== undefined) expect([context, paths]).toEqual([context, expect.arrayContaining([c.alsoField])]);
    }
    expect(await itemCount()).toBe(before);
  }, 60_000);
});

describe('Idempotency-Key', () => {
  it('answers a retry with the same key and body with the original response, creating one order', async () => {
    const customerId = newCustomer();
    const key = randomUUID();
    const first = await post(order(customerId), { 'Idempotency-Key': key });
    // Same body with its keys in another order: the same request.
    const reordered = { items: order(customerId).items, currency: 'EUR', customerId };
    const second = await post(reordered, { 'Idempotency-Key': key });

    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    expect(second.headers.Location).toBe(first.headers.Location);
    expect(second.headers['Idempotent-Replayed']).toBe('true');
    expect(first.headers['Idempotent-Replayed']).toBeUndefined();
    expect(await ordersOf(customerId)).toHaveLength(1);
  });

  it('answers the same key with a different body with 422 IDEMPOTENCY_KEY_REUSED and writes nothing', async () => {
    const customerId = newCustomer();
    const key = randomUUID();
    expect((await post(order(customerId), { 'Idempotency-Key': key })).status).toBe(202);
    const before = await itemCount();
    const reuse = await post(order(customerId, 3), { 'Idempotency-Key': key });
    expect(reuse.status).toBe(422);
    expect(reuse.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await itemCount()).toBe(before);
  });

  it('lets concurrent requests with one key create one order (the others replay it or get 409)', async () => {
    const customerId = newCustomer();
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => post(order(customerId), { 'Idempotency-Key': key })),
    );
    const created = answers.filter((a) => a.status === 202);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((a) => a.body.orderId)).size).toBe(1);
    for (const a of answers.filter((x) => x.status !== 202)) {
      expect([a.status, a.body.error.code]).toEqual([409, 'IDEMPOTENCY_REQUEST_IN_PROGRESS']);
    }
    expect(await ordersOf(customerId)).toHaveLength(1);
  });

  it('keeps keys apart: another key creates another order; no key creates one each time', async () => {
    const customerId = newCustomer();
    await post(order(customerId), { 'Idempotency-Key': randomUUID() });
    await post(order(customerId), { 'Idempotency-Key': randomUUID() });
    await post(order(customerId));
    await post(order(customerId));
    expect(await ordersOf(customerId)).toHaveLength(4);
  });
});

describe('GET /orders/{id}', () => {
  it('returns the order with its status and history (event type, time, detail)', async () => {
    const created = await post(order(newCustomer()));
    const { orderId } = created.body;
    const res = await call({ method: 'GET', path: `/orders/${orderId}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      orderId,
      status: 'PENDING',
      total: { amount: 11997, currency: 'EUR' },
      links: { self: `/prod/orders/${orderId}` },
    });
    expect(res.body.history).toEqual([
      { eventType: 'OrderCreated', at: expect.any(String), detail: expect.stringMatching(/order placed/) },
    ]);
  });

  it('answers an unknown or impossible id with 404 NOT_FOUND', async () => {
    for (const id of [randomUUID(), 'no-such-order', 'x'.repeat(200)]) {
      const res = await call({ method: 'GET', path: `/orders/${id}` });
      expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
    }
  });
});

describe('GET /orders?customerId=', () => {
  it("lists a customer's orders newest first, paged with an opaque cursor", async () => {
    const customerId = newCustomer();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await post(order(customerId, i + 1))).body.orderId);
      await new Promise((r) => setTimeout(r, 3)); // distinct createdAt (millisecond resolution)
    }
    await post(order(newCustomer())); // another customer's order never shows up

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await call({
        method: 'GET',
        path: '/orders',
        query: { customerId, limit: '2', ...(cursor ? { cursor } : {}) },
      });
      expect(res.status).toBe(200);
      pages++;
      seen.push(...res.body.orders.map((o: { orderId: string }) => o.orderId));
      for (const o of res.body.orders)
        expect(o).toMatchObject({ status: 'PENDING', links: { self: `/prod/orders/${o.orderId}` } });
      cursor = res.body.nextCursor;
      if (cursor) expect(res.body.links.next).toContain(`cursor=${cursor}`);
    } while (cursor);

    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it('answers a missing customerId, a bad limit or a garbled cursor with 400 naming the parameter', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'query:customerId'],
      [{ customerId: 'a b' }, 'query:customerId'],
      [{ customerId: 'c-1', limit: '0' }, 'query:limit'],
      [{ customerId: 'c-1', limit: '101' }, 'query:limit'],
      [{ customerId: 'c-1', limit: 'ten' }, 'query:limit'],
      [{ customerId: 'c-1', cursor: 'not!a!cursor' }, 'query:cursor'],
      [{ customerId: 'c-1', cursor: Buffer.from('{"pk":"ORDER#x"}').toString('base64url') }, 'query:cursor'],
    ];
    for (const [query, field] of cases) {
      const res = await call({ method: 'GET', path: '/orders', query });
      expect([res.status, res.body.error.code, res.body.error.fields.map((f: { path: string }) => f.path)]).toEqual([
        400,
        'VALIDATION_FAILED',
        [field],
      ]);
    }
  });
});
