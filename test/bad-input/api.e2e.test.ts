/**
 * The bad-input suite over HTTP, through the API as deployed (the API Gateway twin's routing and model
 * validation in front of order-api): every one of the generated malformed requests gets a 4xx with a
 * stable error code, names the field at fault where there is one, and nothing is written.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDb } from '../../functions/shared/aws-clients';
import { type Pipeline, startPipeline } from '../../localstack/runner/pipeline';
import { useLocalBackends } from '../support/isolated-resources';
import { uniqueName } from '../support/unique-name';
import { expectedViaGateway, malformedRequests } from './malformed-requests';
import type { BadRequestCase } from './request-case';

jest.setTimeout(180_000);

const STABLE_CODES = new Set([
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'IDEMPOTENCY_KEY_REUSED',
]);

let pipeline: Pipeline;
beforeAll(async () => {
  useLocalBackends();
  pipeline = await startPipeline({ prefix: `${uniqueName('bad')}-`, apiPort: 0 });
}, 180_000);
afterAll(() => pipeline?.stop());

async function send(c: BadRequestCase) {
  const res = await fetch(`${pipeline.apiUrl}${c.path}`, {
    method: c.method,
    headers: c.headers,
    ...(c.body !== undefined && c.method !== 'GET' ? { body: c.body } : {}),
  });
  const text = await res.text();
  let body: { error?: { code?: string; message?: string; fields?: { path: string }[] } } = {};
  try {
    body = JSON.parse(text);
  } catch {
    // asserted below: every answer must be JSON
  }
  return { status: res.status, body, text };
}

async function itemCount(): Promise<number> {
  const out = await dynamoDb().send(new ScanCommand({ TableName: pipeline.names.table('orders'), Select: 'COUNT' }));
  return out.Count ?? 0;
}

describe('malformed API requests', () => {
  it('answers every case with its 4xx, a stable code and the field named; writes nothing', async () => {
    const cases = malformedRequests();
    expect(cases.length).toBeGreaterThanOrEqual(500);
    const before = await itemCount();
    const problems: string[] = [];
    for (let i = 0; i < cases.length; i += 16) {
      await Promise.all(
        cases.slice(i, i + 16).map(async (c, j) => {
          const expected = expectedViaGateway(c);
          const got = await send(c);
          const where = `#${i + j} ${c.description}`;
          if (got.status !== expected.expectStatus)
            problems.push(`${where}: status ${got.status}, expected ${expected.expectStatus}`);
          const code = got.body.error?.code ?? '';
          if (code !== expected.expectCode || !STABLE_CODES.has(code))
            problems.push(`${where}: code ${code || got.text.slice(0, 80)}, expected ${expected.expectCode}`);
          // The field is named in the function's `fields`, or in the gateway validator's message.
          for (const field of [c.expectField, c.alsoField]) {
            if (!field) continue;
            const named =
              got.body.error?.fields?.some((f) => f.path === field) ||
              (got.body.error?.message ?? '').includes(`${field}:`);
            if (!named) problems.push(`${where}: field ${field} not named in ${got.text.slice(0, 200)}`);
          }
        }),
      );
    }
    expect(problems).toEqual([]);
    expect(await itemCount()).toBe(before);
  });
});
