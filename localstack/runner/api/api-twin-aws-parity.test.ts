import type { APIGatewayProxyEvent } from 'aws-lambda';
import { standaloneOrdersApi } from '../../../test/cdk/support';
import type { FunctionOutcome } from '../esm/types';
import { type ApiTwin, startApiTwin } from './api-gateway-twin';

const twins: ApiTwin[] = [];
let events: APIGatewayProxyEvent[] = [];
let answer: unknown;
let clock = 0;

async function twin(usagePlan?: { apiKey: string; rateLimit: number; burstLimit: number }): Promise<string> {
  const t = await startApiTwin({
    port: 0,
    accountId: '000000000000',
    ...(usagePlan ? { usagePlan } : {}),
    now: () => clock,
    invoke: async (event): Promise<FunctionOutcome> => {
      events.push(event);
      return { ok: true, requestId: 'r', payload: answer };
    },
  });
  twins.push(t);
  return t.url;
}
afterAll(async () => {
  await Promise.all(twins.map((t) => t.close()));
});
beforeEach(() => {
  events = [];
  answer = { statusCode: 200, body: '{}' };
});

/** The deployed API (lib/services/orders-api.ts) synthesized on its own, with a stand-in function. */
const deployed = standaloneOrdersApi();

/** Renders a gateway response template of the deployed API the way API Gateway fills it in. */
function deployedGatewayBody(responseType: 'DEFAULT_4XX' | 'DEFAULT_5XX', type: string, message: string): unknown {
  const [resource] = Object.values(
    deployed.findResources('AWS::ApiGateway::GatewayResponse', { Properties: { ResponseType: responseType } }),
  ) as { Properties: { ResponseTemplates: Record<string, string> } }[];
  const template = resource?.Properties.ResponseTemplates['application/json'];
  if (!template) throw new Error(`the deployed API has no ${responseType} template`);
  // $context.error.messageString is the message already JSON-quoted (the gateway response types page).
  return JSON.parse(
    template
      .replaceAll('$context.error.responseType', type)
      .replaceAll('$context.error.messageString', JSON.stringify(message)),
  );
}

describe('request bodies: the API has no binary media types, so every body is text', () => {
  it('the deployed REST API declares no BinaryMediaTypes (the premise of what follows)', () => {
    const [api] = Object.values(deployed.findResources('AWS::ApiGateway::RestApi')) as { Properties: object }[];
    expect(api?.Properties).toBeDefined();
    expect(api?.Properties).not.toHaveProperty('BinaryMediaTypes');
  });

  it.each([
    ['application/octet-stream', Buffer.from('plain bytes ë')],
    ['image/png', Buffer.from('\u0089PNG')],
  ])('passes a %s body as UTF-8 text with isBase64Encoded false', async (contentType, bytes) => {
    const url = await twin();
    await fetch(`${url}/orders`, { method: 'POST', headers: { 'content-type': contentType }, body: bytes });
    expect(events[0]).toMatchObject({ body: bytes.toString('utf8'), isBase64Encoded: false });
  });
});

describe('proxy results: anything but the documented format is a 502, nothing is coerced', () => {
  const internal = () => deployedGatewayBody('DEFAULT_5XX', 'DEFAULT_5XX', 'Internal server error');

  it.each([
    ['a body that is not a string', { statusCode: 200, body: { orderId: '1' } }],
    ['a header value that is a number', { statusCode: 200, headers: { 'content-length': 2 }, body: '{}' }],
    ['a header value that is null', { statusCode: 200, headers: { 'x-a': null }, body: '{}' }],
    ['multi-value headers that are not arrays of strings', { statusCode: 200, multiValueHeaders: { a: 'b' } }],
    ['a statusCode given as a string', { statusCode: '200', body: '{}' }],
    ['no statusCode', { body: '{}' }],
    ['isBase64Encoded that is not a boolean', { statusCode: 200, body: '{}', isBase64Encoded: 'yes' }],
    ['an array', [200]],
    ['null', null],
  ])('%s', async (_, result) => {
    const url = await twin();
    answer = result;
    const res = await fetch(`${url}/orders/1`);
    expect(events).toHaveLength(1); // the function ran: it is its answer that is refused
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual(internal());
  });

  it('passes a well-formed result as it is, a base64 body included (not decoded without binary media types)', async () => {
    const url = await twin();
    answer = {
      statusCode: 201,
      headers: { 'x-a': '1' },
      multiValueHeaders: { 'x-b': ['2', '3'] },
      body: 'aGk=',
      isBase64Encoded: true,
    };
    const res = await fetch(`${url}/orders/1`);
    expect(res.status).toBe(201);
    expect(res.headers.get('x-a')).toBe('1');
    expect(res.headers.get('x-b')).toBe('2, 3');
    expect(await res.text()).toBe('aGk=');
  });
});

describe('API key and usage-plan throttling', () => {
  const plan = { apiKey: 'local-key', rateLimit: 1, burstLimit: 2 };
  const get = (url: string, key?: string) => fetch(`${url}/orders/1`, key ? { headers: { 'x-api-key': key } } : {});

  it('answers 403 without the key or with another, without invoking the function', async () => {
    const url = await twin(plan);
    for (const key of [undefined, 'other-key']) {
      const res = await get(url, key);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual(deployedGatewayBody('DEFAULT_4XX', 'INVALID_API_KEY', 'Forbidden'));
    }
    expect(events).toHaveLength(0);
    expect((await get(url, plan.apiKey)).status).toBe(200);
    expect(events).toHaveLength(1);
  });

  it('answers 429 past the burst, and lets requests through again as the bucket refills at the rate', async () => {
    const url = await twin(plan);
    expect((await get(url, plan.apiKey)).status).toBe(200);
    expect((await get(url, plan.apiKey)).status).toBe(200);
    const throttled = await get(url, plan.apiKey);
    expect(throttled.status).toBe(429);
    expect(await throttled.json()).toEqual(deployedGatewayBody('DEFAULT_4XX', 'THROTTLED', 'Too Many Requests'));
    expect(events).toHaveLength(2);
    clock += 1000; // one token at 1 request/s
    expect((await get(url, plan.apiKey)).status).toBe(200);
    expect((await get(url, plan.apiKey)).status).toBe(429);
  });

  it('checks the key before validating the body, as API Gateway does', async () => {
    const url = await twin(plan);
    const res = await fetch(`${url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(res.status).toBe(403);
  });

  it('is off by default: no key needed and no throttling', async () => {
    const url = await twin();
    const statuses = await Promise.all(Array.from({ length: 5 }, () => get(url).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
  });
});
