/**
 * The order commands against a tiny node:http server that answers like the API (shapes from
 * functions/order-api: the 202 of POST /orders, GET /orders/{id}, GET /orders?customerId=, and the error
 * body of docs/design.md). It records the requests, so the tests also check what the CLI sends.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '../../../test/support/capture-io';
import { runCli } from '../cli';
import { EXIT } from '../io';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}
type Route = (req: Seen) => { status: number; body?: unknown; headers?: Record<string, string> };

let server: Server;
let base: string;
let route: Route;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(request);
      const answer = route(request);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
});

/** A port nothing listens on: one the OS just handed out and that was closed again. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const cli = async (...argv: string[]) => {
  const c = captureIo({ ...process.env, ORDER_API_URL: base });
  const code = await runCli(argv, c.io);
  return { code, out: c.out, err: c.err };
};

const accepted = (orderId: string, headers: Record<string, string> = {}) => ({
  status: 202,
  body: { orderId, status: 'PENDING', links: { self: `/orders/${orderId}` } },
  headers: { Location: `/orders/${orderId}`, ...headers },
});

describe('order place', () => {
  it('sends the lines from the flags and prints the order id and Location', async () => {
    route = () => accepted('o-1');
    const r = await cli(
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
    const [req] = seen;
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
    route = () => accepted('o-1', { 'Idempotent-Replayed': 'true' });
    const r = await cli('order', 'place', '--customer', 'c-42', '--item', 'SKU-1:1:100');
    expect(JSON.parse(seen[0]?.body ?? '').currency).toBe('EUR');
    expect(r.out[0]).toBe('order o-1 accepted (status PENDING) - idempotent replay: the original order');
  });

  it('sends a --file body as written, and prints the raw 202 body with --json', async () => {
    route = () => accepted('o-2');
    const dir = mkdtempSync(join(tmpdir(), 'cli-order-'));
    const file = join(dir, 'order.json');
    const text = '{"customerId":"c-1","currency":"EUR","items":[{"sku":"SKU-1","quantity":1,"unitPrice":5}]}';
    writeFileSync(file, text);
    const r = await cli('order', 'place', '--file', file, '--json');
    expect(r.code).toBe(EXIT.ok);
    expect(seen[0]?.body).toBe(text);
    expect(JSON.parse(r.out[0] ?? '')).toEqual({ orderId: 'o-2', status: 'PENDING', links: { self: '/orders/o-2' } });
  });

  it('prints the API error with every field and exits 1', async () => {
    route = () => ({
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
    const r = await cli('order', 'place', '--customer', 'c-1', '--item', 'bad:5000:1');
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
    route = () => accepted('never');
    const r = await cli('order', 'place', ...args);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err[0]).toContain(message);
    expect(seen).toHaveLength(0);
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
    route = () => accepted('o-3');
    const c = captureIo({ ...process.env, ORDER_API_URL: 'http://127.0.0.1:1' });
    expect(await runCli(['order', 'place', '--api', `${base}/prod/`, '--customer', 'c', '--item', 'S:1:1'], c.io)).toBe(
      EXIT.ok,
    );
    expect(seen[0]?.url).toBe('/prod/orders');
  });
});

describe('API key (x-api-key)', () => {
  const run = async (env: Record<string, string | undefined>, ...argv: string[]) => {
    const c = captureIo({ ...process.env, ORDER_API_KEY: undefined, ORDER_API_URL: base, ...env });
    return { code: await runCli(argv, c.io), err: c.err };
  };

  it('sends ORDER_API_KEY as x-api-key on every call, and --api-key overrides it', async () => {
    route = () => accepted('o-4');
    expect((await run({ ORDER_API_KEY: 'env-key' }, 'order', 'place', '--customer', 'c', '--item', 'S:1:1')).code).toBe(
      EXIT.ok,
    );
    route = () => ({ status: 200, body: order('CONFIRMED', []) });
    expect((await run({ ORDER_API_KEY: 'env-key' }, 'order', 'get', 'o-1', '--api-key', 'flag-key')).code).toBe(
      EXIT.ok,
    );
    expect(seen.map((r) => r.headers['x-api-key'])).toEqual(['env-key', 'flag-key']);
  });

  it('sends no key when none is configured (the local default)', async () => {
    route = () => ({ status: 200, body: order('CONFIRMED', []) });
    expect((await run({}, 'order', 'get', 'o-1')).code).toBe(EXIT.ok);
    expect(seen[0]?.headers).not.toHaveProperty('x-api-key');
  });

  it('refuses an empty key', async () => {
    const r = await run({ ORDER_API_KEY: ' ' }, 'order', 'get', 'o-1');
    expect(r.code).toBe(EXIT.usage);
    expect(r.err.join('\n')).toContain('--api-key / ORDER_API_KEY is empty');
    expect(seen).toHaveLength(0);
  });
});

const order = (status: string, history: unknown[]) => ({
  orderId: 'o-1',
  customerId: 'c-1',
  status,
  currency: 'EUR',
  items: [{ sku: 'SKU-1', quantity: 1, unitPrice: { amount: 100, currency: 'EUR' } }],
  total: { amount: 100, currency: 'EUR' },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  history,
  links: { self: '/orders/o-1' },
});
const step = (eventType: string, s: number) => ({
  eventType,
  at: `2026-01-01T00:00:0${s}.000Z`,
  detail: `${eventType} detail`,
});
const notFound = { status: 404, body: { error: { code: 'NOT_FOUND', message: 'order nope does not exist' } } };

describe('order get / list', () => {
  it('get shows the order; an unknown id prints the 404 error', async () => {
    route = (req) =>
      req.url === '/orders/o-1' ? { status: 200, body: order('PENDING', [step('OrderCreated', 0)]) } : notFound;
    const ok = await cli('order', 'get', 'o-1');
    expect(ok.code).toBe(EXIT.ok);
    expect(ok.out[0]).toBe('order o-1  customer c-1  status PENDING  total 1.00 EUR');
    expect(ok.out).toContain('  2026-01-01T00:00:00.000Z  OrderCreated       OrderCreated detail');
    const missing = await cli('order', 'get', 'nope');
    expect(missing.code).toBe(EXIT.failed);
    expect(missing.err).toEqual(['API error 404 NOT_FOUND: order nope does not exist']);
  });

  it('get escapes the id in the path', async () => {
    route = () => notFound;
    await cli('order', 'get', 'a/b c');
    expect(seen[0]?.url).toBe('/orders/a%2Fb%20c');
  });

  it('list prints one row per order and how to get the next page', async () => {
    route = () => ({
      status: 200,
      body: {
        orders: [
          {
            orderId: 'o-2',
            status: 'CONFIRMED',
            total: { amount: 250, currency: 'EUR' },
            lineCount: 2,
            createdAt: 'T2',
          },
        ],
        nextCursor: 'CUR',
      },
    });
    const r = await cli('order', 'list', '--customer', 'c-1', '--limit', '1');
    expect(seen[0]?.url).toBe('/orders?customerId=c-1&limit=1');
    expect(r.out).toHaveLength(1);
    expect(r.out[0]).toMatch(/^o-2\s+CONFIRMED\s+2\.50 EUR 2 line\(s\)\s+T2$/);
    expect(r.err).toEqual(['more: npm run cli -- order list --customer c-1 --cursor CUR']);
  });

  it('list requires --customer', async () => {
    const r = await cli('order', 'list');
    expect(r.code).toBe(EXIT.usage);
    expect(r.err[0]).toBe('error: --customer is required');
  });
});

describe('order watch', () => {
  it('prints each history step once as it appears and every status change, then exits 0 on a final status', async () => {
    const states = [
      order('PENDING', [step('OrderCreated', 0)]),
      order('PENDING', [step('OrderCreated', 0)]),
      order('RESERVED', [step('OrderCreated', 0), step('InventoryReserved', 1)]),
      order('CONFIRMED', [step('OrderCreated', 0), step('InventoryReserved', 1), step('PaymentAuthorized', 2)]),
    ];
    let poll = 0;
    route = () => ({ status: 200, body: states[Math.min(poll++, states.length - 1)] });
    const r = await cli('order', 'watch', 'o-1', '--interval', '0.01');
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toEqual([
      '2026-01-01T00:00:00.000Z  OrderCreated       OrderCreated detail',
      'status PENDING',
      '2026-01-01T00:00:01.000Z  InventoryReserved  InventoryReserved detail',
      'status RESERVED',
      '2026-01-01T00:00:02.000Z  PaymentAuthorized  PaymentAuthorized detail',
      'status CONFIRMED',
    ]);
    expect(r.err[0]).toMatch(/^final status CONFIRMED after \d+\.\d s$/);
    expect(poll).toBe(4);
  });

  it('exits 1 on timeout, naming the last status', async () => {
    route = () => ({ status: 200, body: order('RESERVED', [step('OrderCreated', 0)]) });
    const r = await cli('order', 'watch', 'o-1', '--interval', '0.05', '--timeout', '0.3');
    expect(r.code).toBe(EXIT.failed);
    expect(r.out).toEqual(['2026-01-01T00:00:00.000Z  OrderCreated       OrderCreated detail', 'status RESERVED']);
    expect(r.err).toEqual([
      'timed out after 0.3 s; status RESERVED is not final (CONFIRMED, REJECTED, CANCELLED, EXPIRED)',
    ]);
  });

  it('shows each re-drive and the expiry, and stops on EXPIRED (final)', async () => {
    const states = [
      order('PENDING', [step('OrderCreated', 0), step('OrderRedriven', 1)]),
      order('EXPIRED', [step('OrderCreated', 0), step('OrderRedriven', 1), step('OrderExpired', 2)]),
    ];
    let poll = 0;
    route = () => ({ status: 200, body: states[Math.min(poll++, states.length - 1)] });
    const r = await cli('order', 'watch', 'o-1', '--interval', '0.01');
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toEqual([
      '2026-01-01T00:00:00.000Z  OrderCreated       OrderCreated detail',
      '2026-01-01T00:00:01.000Z  OrderRedriven      OrderRedriven detail',
      'status PENDING',
      '2026-01-01T00:00:02.000Z  OrderExpired       OrderExpired detail',
      'status EXPIRED',
    ]);
    expect(r.err[0]).toMatch(/^final status EXPIRED after \d+\.\d s$/);
  });

  it('keeps polling through a 5xx (reported once) and stops on a 404', async () => {
    let poll = 0;
    route = () => {
      poll += 1;
      if (poll <= 2) return { status: 503, body: { error: { code: 'INTERNAL_ERROR', message: 'busy' } } };
      if (poll === 3) return { status: 200, body: order('REJECTED', []) };
      return notFound;
    };
    const r = await cli('order', 'watch', 'o-1', '--interval', '0.01', '--json');
    expect(r.code).toBe(EXIT.ok);
    expect(r.err[0]).toBe('poll failed, retrying: API error 503 INTERNAL_ERROR: busy');
    expect(r.err.filter((l) => l.startsWith('poll failed'))).toHaveLength(1);
    expect(r.out).toEqual([JSON.stringify({ status: 'REJECTED' })]);

    route = () => notFound;
    const gone = await cli('order', 'watch', 'nope', '--interval', '0.01');
    expect(gone.code).toBe(EXIT.failed);
    expect(gone.err).toEqual(['API error 404 NOT_FOUND: order nope does not exist']);
  });

  it('stops cleanly on Ctrl-C', async () => {
    route = () => ({ status: 200, body: order('PENDING', []) });
    const c = captureIo({ ...process.env, ORDER_API_URL: base });
    const running = runCli(['order', 'watch', 'o-1', '--interval', '5'], c.io);
    setTimeout(c.interrupt, 200);
    expect(await running).toBe(EXIT.failed);
    expect(c.err).toEqual(['interrupted; status PENDING']);
  });
});
