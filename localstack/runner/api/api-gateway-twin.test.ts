/** The API twin (this folder: the REST API twin, its routes, validation, proxy events and usage plan) over HTTP: routing, stage prefix, validation and the proxy round trip. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { FunctionOutcome } from '../esm/types';
import { type ApiTwin, startApiTwin } from './api-gateway-twin';

let twin: ApiTwin;
let events: APIGatewayProxyEvent[] = [];
let answer: FunctionOutcome;
let responses: { statusCode: number; latencyMs: number }[] = [];

beforeAll(async () => {
  twin = await startApiTwin({
    port: 0,
    accountId: '000000000000',
    invoke: async (event) => {
      events.push(event);
      return answer;
    },
    onResponse: (r) => responses.push(r),
  });
});
afterAll(() => twin.close());
beforeEach(() => {
  events = [];
  responses = [];
  answer = {
    ok: true,
    requestId: 'r',
    payload: { statusCode: 202, headers: { Location: '/orders/1' }, body: '{"orderId":"1"}' },
  };
});

const order = { customerId: 'c-1', currency: 'EUR', items: [{ sku: 'SKU-A', quantity: 1, unitPrice: 100 }] };
const post = (path: string, body: string, contentType = 'application/json') =>
  fetch(`${twin.url}${path}`, { method: 'POST', headers: { 'content-type': contentType, 'X-Custom': 'a' }, body });

describe('API Gateway twin', () => {
  it('reports every answered request with its status and latency, rejections by the gateway included', async () => {
    expect((await post('/v1/orders', JSON.stringify(order))).status).toBe(202);
    expect((await post('/v1/orders', '{"no":')).status).toBe(400);
    answer = { ok: false, requestId: 'r', errorType: 'Error', errorMessage: 'boom' };
    expect((await post('/v1/orders', JSON.stringify(order))).status).toBe(502);
    expect(responses.map((r) => r.statusCode)).toEqual([202, 400, 502]);
    for (const r of responses) expect(r.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('turns a request into the REST v1 proxy event and maps the result back', async () => {
    const res = await post('/v1/orders?debug=1&debug=2', JSON.stringify(order));
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe('/orders/1');
    expect(await res.json()).toEqual({ orderId: '1' });
    const [event] = events;
    expect(event).toMatchObject({
      resource: '/orders',
      path: '/orders',
      httpMethod: 'POST',
      body: JSON.stringify(order),
      isBase64Encoded: false,
      pathParameters: null,
      stageVariables: null,
      queryStringParameters: { debug: '2' },
      multiValueQueryStringParameters: { debug: ['1', '2'] },
      requestContext: {
        stage: 'v1',
        resourcePath: '/orders',
        httpMethod: 'POST',
        path: '/v1/orders',
        accountId: '000000000000',
      },
    });
    expect(event?.headers['X-Custom']).toBe('a');
    expect(event?.multiValueHeaders['X-Custom']).toEqual(['a']);
    expect(event?.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects a body that breaks the model without invoking the function, naming every field', async () => {
    const res = await post(
      '/orders',
      JSON.stringify({ ...order, currency: 'eur', items: [{ sku: 'SKU-A', quantity: 0, unitPrice: 1 }], extra: 1 }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    for (const field of ['/currency', '/items/0/quantity', '/extra']) expect(body.error.message).toContain(field);
    expect(events).toHaveLength(0);
  });

  it('answers malformed JSON itself as API Gateway does', async () => {
    const res = await post('/orders', '{"customerId":');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'VALIDATION_FAILED', message: 'Invalid request body' } });
    expect(events).toHaveLength(0);
  });

  it('passes a body of another content type to the function (no model for it)', async () => {
    answer = {
      ok: true,
      requestId: 'r',
      payload: { statusCode: 415, body: '{"error":{"code":"UNSUPPORTED_MEDIA_TYPE"}}' },
    };
    const res = await post('/orders', 'x=1', 'application/x-www-form-urlencoded');
    expect(res.status).toBe(415);
    expect(events[0]?.body).toBe('x=1');
  });

  it.each([
    ['PUT', '/orders', '/orders'],
    ['GET', '/nothing', '/{proxy+}'],
    ['DELETE', '/orders/1', '/orders/{id}'],
    ['GET', '/orders/1/extra', '/{proxy+}'],
  ])('passes %s %s to the function through the ANY method of %s', async (method, path, resource) => {
    answer = {
      ok: true,
      requestId: 'r',
      payload: { statusCode: 405, body: '{"error":{"code":"METHOD_NOT_ALLOWED"}}' },
    };
    const res = await fetch(`${twin.url}${path}`, { method });
    expect(res.status).toBe(405);
    expect(events[0]).toMatchObject({ httpMethod: method, resource, path });
  });

  it('answers the root, which has no method, with 404 NOT_FOUND itself', async () => {
    const res = await fetch(`${twin.url}/`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect(events).toHaveLength(0);
  });

  it('requires customerId on GET /orders and decodes the {id} path parameter', async () => {
    expect((await fetch(`${twin.url}/orders`)).status).toBe(400);
    answer = { ok: true, requestId: 'r', payload: { statusCode: 200, body: '{}' } };
    await fetch(`${twin.url}/orders/a%20b`);
    expect(events[0]).toMatchObject({ resource: '/orders/{id}', pathParameters: { id: 'a b' } });
  });

  it('answers a function error or a malformed result with 502 INTERNAL_ERROR', async () => {
    answer = { ok: false, requestId: 'r', errorType: 'Error', errorMessage: 'boom' };
    const failed = await post('/orders', JSON.stringify(order));
    expect(failed.status).toBe(502);
    expect(JSON.stringify(await failed.json())).not.toContain('boom');
    answer = { ok: true, requestId: 'r', payload: { body: 'no status' } };
    expect((await post('/orders', JSON.stringify(order))).status).toBe(502);
  });
});
