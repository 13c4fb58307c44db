/**
 * The API Gateway twin in front of a real (worker-thread) function: HTTP request → REST v1 proxy event →
 * handler → proxy result → HTTP response, including multi-value headers, base64 result bodies (sent as text: the
 * API has no binary media types), the /{proxy+} catch-all
 * and the 502 that API Gateway answers when the function fails.
 */
import { type TestFunction, testFunction } from '../../../test/support/local-functions';
import { type ApiTwin, startApiTwin } from './api-gateway-twin';

jest.setTimeout(30_000);

let fn: TestFunction;
let api: ApiTwin;

beforeAll(async () => {
  fn = await testFunction('api-echo');
  api = await startApiTwin({
    port: 0,
    accountId: '000000000000',
    invoke: (event) => fn.fn.invoke(event, { trigger: `api ${event.httpMethod} ${event.resource}` }),
  });
});
afterAll(async () => {
  await api.close();
  await fn.fn.stop();
});

const order = { customerId: 'c-1', currency: 'EUR', items: [{ sku: 'SKU-MOUSE', quantity: 1, unitPrice: 100 }] };

describe('API twin → function → response', () => {
  it('POST /orders: the function sees the proxy event and its result becomes the response', async () => {
    const res = await fetch(`${api.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(order),
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-seen-resource')).toBe('/orders');
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    const seen = (await res.json()) as Record<string, unknown>;
    expect(seen).toMatchObject({
      resource: '/orders',
      path: '/orders',
      stage: 'v1',
      body: order,
      pathParameters: null,
    });
    expect(fn.log.at(-1)).toMatchObject({ trigger: 'api POST /orders', outcome: 'ok' });
  });

  it('GET /orders/{id} with the stage prefix and repeated query parameters', async () => {
    const res = await fetch(`${api.url}/v1/orders/o-42?view=full&view=short`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      resource: '/orders/{id}',
      path: '/orders/o-42',
      pathParameters: { id: 'o-42' },
      query: { view: ['full', 'short'] },
    });
  });

  it('sends a base64 result body as the text it is: without binary media types API Gateway does not decode it', async () => {
    const res = await fetch(`${api.url}/orders/binary`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(Buffer.from([0, 1, 254]).toString('base64'));
  });

  it('answers 502 when the function fails', async () => {
    expect((await fetch(`${api.url}/orders/boom`)).status).toBe(502);
    expect(fn.log.at(-1)).toMatchObject({ outcome: 'error', error: { errorMessage: 'handler failed' } });
  });

  it('other paths reach the function through /{proxy+}, as in the deployed API; the root is answered by the gateway', async () => {
    const res = await fetch(`${api.url}/nowhere`);
    expect(await res.json()).toMatchObject({ resource: '/{proxy+}', path: '/nowhere' });
    const invocations = fn.log.length;
    expect((await fetch(`${api.url}/`)).status).toBe(404);
    expect(fn.log.length).toBe(invocations);
  });
});
