/**
 * `order place` and the API key against a fake order API (test/support/fake-order-api.ts); the reading
 * commands are in order-read.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '../../../test/support/capture-io';
import { accepted, freePort, order, useFakeOrderApi } from '../../../test/support/fake-order-api';
import { runCli } from '../cli';
import { EXIT } from '../io';

const api = useFakeOrderApi();

describe('order place', () => {
  it('sends the lines from the flags and prints the order id and Location', async () => {
    api.route = () => accepted('o-1');
    const r = await api.cli(
      'order',
      'place',
      '--customer',
      'c-42',
      '--item',
      'SKU-BULK-001:2:1999',
      '--item',
      'SKU-BULK-002:1:500',
      '--currency',
      'USD',
      '--idempotency-key',
      'k-1',
      '--correlation-id',
      'corr-1',
    );
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toEqual(['order o-1 accepted (status PENDING)', 'Location: /orders/o-1']);
    expect(r.err).toEqual(['follow it: npm run cli -- order watch o-1']);
    const [req] = api.seen;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/orders');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers['idempotency-key']).toBe('k-1');
    expect(req?.headers['x-correlation-id']).toBe('corr-1');
    expect(JSON.parse(req?.body ?? '')).toEqual({
      customerId: 'c-42',
      currency: 'USD',
      items: [
        { sku: 'SKU-BULK-001', quantity: 2, unitPrice: 1999 },
        { sku: 'SKU-BULK-002', quantity: 1, unitPrice: 500 },
      ],
    });
  });

  it('defaults the currency to EUR and marks an idempotent replay', async () => {
    api.route = () => accepted('o-1', { 'Idempotent-Replayed': 'true' });
    const r = await api.cli('order', 'place', '--customer', 'c-42', '--item', 'SKU-1:1:100');
    expect(JSON.parse(api.seen[0]?.body ?? '').currency).toBe('EUR');
    expect(r.out[0]).toBe('order o-1 accepted (status PENDING) - idempotent replay: the original order');
  });

  it('sends a --file body as written, and prints the raw 202 body with --json', async () => {
    api.route = () => accepted('o-2');
    const dir = mkdtempSync(join(tmpdir(), 'cli-order-'));
    const file = join(dir, 'order.json');
    const text = '{"customerId":"c-1","currency":"EUR","items":[{"sku":"SKU-1","quantity":1,"unitPrice":5}]}';
    writeFileSync(file, text);
    const r = await api.cli('order', 'place', '--file', file, '--json');
    expect(r.code).toBe(EXIT.ok);
    expect(api.seen[0]?.body).toBe(text);
    expect(JSON.parse(r.out[0] ?? '')).toEqual({ orderId: 'o-2', status: 'PENDING', links: { self: '/orders/o-2' } });
  });

  it('prints the API error with every field and exits 1', async () => {
    api.route = () => ({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'request body is invalid (2 problems)',
          fields: [
            { path: '/items/0/quantity', message: 'must be <= 1000' },
            { path: '/items/0/sku', message: 'must match pattern "^[A-Z0-9][A-Z0-9-]{0,63}$"' },
          ],
        },
      },
    });
    const r = await api.cli('order', 'place', '--customer', 'c-1', '--item', 'bad:5000:1');
    expect(r.code).toBe(EXIT.failed);
    expect(r.err).toEqual([
      'API error 400 VALIDATION_FAILED: request body is invalid (2 problems)',
      '  /items/0/quantity: must be <= 1000',
      '  /items/0/sku: must match pattern "^[A-Z0-9][A-Z0-9-]{0,63}$"',
    ]);
    expect(r.out).toEqual([]);
  });

  it.each([
    [['--item', 'SKU-1:1:1'], '--customer is required (or give --file)'],
    [['--customer', 'c'], 'at least one --item SKU:QTY:PRICE is required (or give --file)'],
    [['--file', 'x.json', '--customer', 'c'], '--file cannot be combined with --customer'],
    [['--file', '/nonexistent/order.json'], 'cannot read --file /nonexistent/order.json'],
  ])('refuses %j before calling the API', async (args, message) => {
    api.route = () => accepted('never');
    const r = await api.cli('order', 'place', ...args);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err[0]).toContain(message);
    expect(api.seen).toHaveLength(0);
  });

  it('says so when the API cannot be reached (exit 3)', async () => {
    const closed = await freePort();
    const c = captureIo({ ...process.env, ORDER_API_URL: `http://127.0.0.1:${closed}` });
    expect(await runCli(['order', 'get', 'o-1'], c.io)).toBe(EXIT.unavailable);
    expect(c.err[0]).toBe(
      `error: cannot reach the order API at http://127.0.0.1:${closed} (ECONNREFUSED): is \`npm start\` running? Use --api or ORDER_API_URL for another URL.`,
    );
  });

  it('--api overrides ORDER_API_URL and keeps a stage path', async () => {
    api.route = () => accepted('o-3');
    const c = captureIo({ ...process.env, ORDER_API_URL: 'http://127.0.0.1:1' });
    expect(
      await runCli(['order', 'place', '--api', `${api.url}/prod/`, '--customer', 'c', '--item', 'S:1:1'], c.io),
    ).toBe(EXIT.ok);
    expect(api.seen[0]?.url).toBe('/prod/orders');
  });
});

describe('API key (x-api-key)', () => {
  const run = async (env: Record<string, string | undefined>, ...argv: string[]) => {
    const c = captureIo({ ...process.env, ORDER_API_KEY: undefined, ORDER_API_URL: api.url, ...env });
    return { code: await runCli(argv, c.io), err: c.err };
  };

  it('sends ORDER_API_KEY as x-api-key on every call, and --api-key overrides it', async () => {
    api.route = () => accepted('o-4');
    expect((await run({ ORDER_API_KEY: 'env-key' }, 'order', 'place', '--customer', 'c', '--item', 'S:1:1')).code).toBe(
      EXIT.ok,
    );
    api.route = () => ({ status: 200, body: order('CONFIRMED', []) });
    expect((await run({ ORDER_API_KEY: 'env-key' }, 'order', 'get', 'o-1', '--api-key', 'flag-key')).code).toBe(
      EXIT.ok,
    );
    expect(api.seen.map((r) => r.headers['x-api-key'])).toEqual(['env-key', 'flag-key']);
  });

  it('sends no key when none is configured (the local default)', async () => {
    api.route = () => ({ status: 200, body: order('CONFIRMED', []) });
    expect((await run({}, 'order', 'get', 'o-1')).code).toBe(EXIT.ok);
    expect(api.seen[0]?.headers).not.toHaveProperty('x-api-key');
  });

  it('refuses an empty key', async () => {
    const r = await run({ ORDER_API_KEY: ' ' }, 'order', 'get', 'o-1');
    expect(r.code).toBe(EXIT.usage);
    expect(r.err.join('\n')).toContain('--api-key / ORDER_API_KEY is empty');
    expect(api.seen).toHaveLength(0);
  });
});
