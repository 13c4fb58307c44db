import {
  decodeEnvelope,
  formatApiError,
  formatEnvelopeLine,
  formatMoney,
  formatOrder,
  formatPlaced,
  formatStep,
  formatSummaryRow,
} from './format';

describe('formatMoney', () => {
  it.each([
    [{ amount: 1999, currency: 'EUR' }, '19.99 EUR'],
    [{ amount: 5, currency: 'USD' }, '0.05 USD'],
    [{ amount: 500, currency: 'JPY' }, '500 JPY'],
    [{ amount: 1234, currency: 'BHD' }, '1.234 BHD'],
    [{ amount: -250, currency: 'EUR' }, '-2.50 EUR'],
    [{ amount: 1.5, currency: 'EUR' }, '?'],
    [undefined, '?'],
  ])('%j → %s', (money, expected) => {
    expect(formatMoney(money)).toBe(expected);
  });
});

describe('API answers', () => {
  it('prints the error code, message and every field', () => {
    expect(
      formatApiError(
        400,
        {
          code: 'VALIDATION_FAILED',
          message: 'request body is invalid (2 problems)',
          fields: [
            { path: '/items/0/quantity', message: 'must be >= 1' },
            { path: '', message: "must have required property 'currency'" },
          ],
        },
        '',
      ),
    ).toEqual([
      'API error 400 VALIDATION_FAILED: request body is invalid (2 problems)',
      '  /items/0/quantity: must be >= 1',
      "  (body): must have required property 'currency'",
    ]);
  });

  it('shows the raw text when the body is not the documented error', () => {
    expect(formatApiError(502, undefined, 'Bad Gateway')).toEqual([
      'API answered 502 without the documented error body: Bad Gateway',
    ]);
  });

  it('prints the 202 of POST /orders, marking an idempotent replay', () => {
    const body = { orderId: 'o-1', status: 'PENDING', links: { self: '/orders/o-1' } };
    expect(formatPlaced(body, '/orders/o-1', false)).toEqual([
      'order o-1 accepted (status PENDING)',
      'Location: /orders/o-1',
    ]);
    expect(formatPlaced(body, null, true)[0]).toBe(
      'order o-1 accepted (status PENDING) - idempotent replay: the original order',
    );
    expect(formatPlaced(body, null, true)[1]).toBe('Location: /orders/o-1');
  });
});

describe('orders', () => {
  const order = {
    orderId: 'o-1',
    customerId: 'c-1',
    status: 'CONFIRMED',
    currency: 'EUR',
    items: [{ sku: 'SKU-BULK-001', quantity: 2, unitPrice: { amount: 1999, currency: 'EUR' } }],
    total: { amount: 3998, currency: 'EUR' },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:02.000Z',
    history: [
      { eventType: 'OrderCreated', at: '2026-01-01T00:00:00.000Z', detail: 'order placed' },
      { eventType: 'PaymentAuthorized', at: '2026-01-01T00:00:02.000Z', detail: '' },
    ],
  };

  it('shows an order with lines, total and history', () => {
    expect(formatOrder(order)).toEqual([
      'order o-1  customer c-1  status CONFIRMED  total 39.98 EUR',
      'created 2026-01-01T00:00:00.000Z  updated 2026-01-01T00:00:02.000Z',
      'items:',
      '  SKU-BULK-001         x2  @ 19.99 EUR',
      'history:',
      '  2026-01-01T00:00:00.000Z  OrderCreated       order placed',
      '  2026-01-01T00:00:02.000Z  PaymentAuthorized',
    ]);
  });

  it('prints ? for missing fields instead of failing', () => {
    expect(formatStep({})).toBe('?  ?');
    expect(formatOrder(null)[0]).toBe('order ?  customer ?  status ?  total ?');
  });

  it('shows a list row', () => {
    expect(
      formatSummaryRow({ orderId: 'o-1', status: 'PENDING', total: order.total, lineCount: 1, createdAt: 'T' }),
    ).toBe(`${'o-1'.padEnd(28)} ${'PENDING'.padEnd(11)} ${'39.98 EUR'.padStart(16)} ${'1 line(s)'.padEnd(10)} T`);
  });
});

describe('envelopes', () => {
  const envelope = {
    eventId: '0190a1b2-0000-7000-8000-000000000001',
    type: 'OrderCreated',
    version: 1,
    occurredAt: '2026-01-01T00:00:00.000Z',
    source: 'order-api',
    correlationId: 'req-1',
    causationId: 'req-1',
    orderId: 'o-1',
    sequence: 1,
    payload: {},
  };
  const at = { topic: 'orders', partition: 3, offset: '42' };

  it('decodes an envelope and prints one line with its identity and position', () => {
    const decoded = decodeEnvelope(Buffer.from(JSON.stringify(envelope)));
    expect(decoded.ok).toBe(true);
    expect(formatEnvelopeLine(at, decoded, 'o-1')).toBe(
      `orders[3]@42  ${'OrderCreated v1'.padEnd(21)} order=o-1 seq=1 event=0190a1b2-0000-7000-8000-000000000001 corr=req-1`,
    );
  });

  it.each([
    [null, 'no value (tombstone)'],
    [Buffer.from('{oops'), 'value is not JSON'],
    [Buffer.from('[1]'), 'value is not a JSON object'],
    [Buffer.from('{"type":"X","orderId":"o"}'), 'not an envelope (no version, sequence, eventId, correlationId)'],
  ])('says why a value is not an envelope', (value, problem) => {
    const decoded = decodeEnvelope(value);
    expect(decoded).toEqual({ ok: false, problem });
    expect(formatEnvelopeLine(at, decoded, null)).toBe(`orders[3]@42  UNDECODABLE: ${problem} (key none)`);
  });
});
