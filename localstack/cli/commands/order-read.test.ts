/** `order get`, `order list` and `order watch` against a fake order API (test/support/fake-order-api.ts). */
import { captureIo } from '../../../test/support/capture-io';
import { notFound, order, step, useFakeOrderApi } from '../../../test/support/fake-order-api';
import { runCli } from '../cli';
import { EXIT } from '../io';

const api = useFakeOrderApi();

describe('order get / list', () => {
  it('get shows the order; an unknown id prints the 404 error', async () => {
    api.route = (req) =>
      req.url === '/orders/o-1' ? { status: 200, body: order('PENDING', [step('OrderCreated', 0)]) } : notFound;
    const ok = await api.cli('order', 'get', 'o-1');
    expect(ok.code).toBe(EXIT.ok);
    expect(ok.out[0]).toBe('order o-1  customer c-1  status PENDING  total 1.00 EUR');
    expect(ok.out).toContain('  2026-01-01T00:00:00.000Z  OrderCreated       OrderCreated detail');
    const missing = await api.cli('order', 'get', 'nope');
    expect(missing.code).toBe(EXIT.failed);
    expect(missing.err).toEqual(['API error 404 NOT_FOUND: order nope does not exist']);
  });

  it('get escapes the id in the path', async () => {
    api.route = () => notFound;
    await api.cli('order', 'get', 'a/b c');
    expect(api.seen[0]?.url).toBe('/orders/a%2Fb%20c');
  });

  it('list prints one row per order and how to get the next page', async () => {
    api.route = () => ({
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
    const r = await api.cli('order', 'list', '--customer', 'c-1', '--limit', '1');
    expect(api.seen[0]?.url).toBe('/orders?customerId=c-1&limit=1');
    expect(r.out).toHaveLength(1);
    expect(r.out[0]).toMatch(/^o-2\s+CONFIRMED\s+2\.50 EUR 2 line\(s\)\s+T2$/);
    expect(r.err).toEqual(['more: npm run cli -- order list --customer c-1 --cursor CUR']);
  });

  it('list requires --customer', async () => {
    const r = await api.cli('order', 'list');
    expect(r.code).toBe(EXIT.usage);
    expect(r.err[0]).toBe('error: --customer is required');
  });
});

describe('order watch', () => {
  /** `order watch` against an API that answers each poll with the next of `states` (then the last again). */
  async function watchThrough(states: readonly unknown[]) {
    let poll = 0;
    api.route = () => ({ status: 200, body: states[Math.min(poll++, states.length - 1)] });
    const r = await api.cli('order', 'watch', 'o-1', '--interval', '0.01');
    return { r, polls: () => poll };
  }

  it('prints each history step once as it appears and every status change, then exits 0 on a final status', async () => {
    const states = [
      order('PENDING', [step('OrderCreated', 0)]),
      order('PENDING', [step('OrderCreated', 0)]),
      order('RESERVED', [step('OrderCreated', 0), step('InventoryReserved', 1)]),
      order('CONFIRMED', [step('OrderCreated', 0), step('InventoryReserved', 1), step('PaymentAuthorized', 2)]),
    ];
    const { r, polls } = await watchThrough(states);
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
    expect(polls()).toBe(4);
  });

  it('exits 1 on timeout, naming the last status', async () => {
    api.route = () => ({ status: 200, body: order('RESERVED', [step('OrderCreated', 0)]) });
    const r = await api.cli('order', 'watch', 'o-1', '--interval', '0.05', '--timeout', '0.3');
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
    const { r } = await watchThrough(states);
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
    api.route = () => {
      poll += 1;
      if (poll <= 2) return { status: 503, body: { error: { code: 'INTERNAL_ERROR', message: 'busy' } } };
      if (poll === 3) return { status: 200, body: order('REJECTED', []) };
      return notFound;
    };
    const r = await api.cli('order', 'watch', 'o-1', '--interval', '0.01', '--json');
    expect(r.code).toBe(EXIT.ok);
    expect(r.err[0]).toBe('poll failed, retrying: API error 503 INTERNAL_ERROR: busy');
    expect(r.err.filter((l) => l.startsWith('poll failed'))).toHaveLength(1);
    expect(r.out).toEqual([JSON.stringify({ status: 'REJECTED' })]);

    api.route = () => notFound;
    const gone = await api.cli('order', 'watch', 'nope', '--interval', '0.01');
    expect(gone.code).toBe(EXIT.failed);
    expect(gone.err).toEqual(['API error 404 NOT_FOUND: order nope does not exist']);
  });

  it('stops cleanly on Ctrl-C', async () => {
    api.route = () => ({ status: 200, body: order('PENDING', []) });
    const c = captureIo({ ...process.env, ORDER_API_URL: api.url });
    const running = runCli(['order', 'watch', 'o-1', '--interval', '5'], c.io);
    setTimeout(c.interrupt, 200);
    expect(await running).toBe(EXIT.failed);
    expect(c.err).toEqual(['interrupted; status PENDING']);
  });
});
