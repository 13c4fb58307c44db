/**
 * POST /orders against DynamoDB Local, with API Gateway REST (v1) proxy events: the order and its outbox
 * item really written in one transaction, every error code with nothing written, Idempotency-Key
 * replays, reuse and concurrency. (GET routes: read-orders.int.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import { OUTBOX_TTL_SECONDS } from '../../lib/topology';
import { malformedRequests } from '../../test/bad-input/malformed-requests';
import { newCustomer, sampleOrder as order, orderApiFixture } from '../../test/support/order-api-fixture';
import { useFixture } from '../../test/support/use-fixture';
import { validateEvent } from '../shared/validation';
import { orderIdFor } from './create-order';

const api = useFixture(() => orderApiFixture('order-api-create'));

describe('POST /orders', () => {
  it('writes the order (PENDING, first history step) and its OrderCreated outbox item, answers 202 + Location', async () => {
    const customerId = newCustomer();
    const started = Math.floor(Date.now() / 1000);
    const res = await api.post(order(customerId), { 'X-Correlation-Id': 'corr-create-1' });

    expect(res.status).toBe(202);
    const { orderId } = res.body;
    expect(orderId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.body).toEqual({ orderId, status: 'PENDING', links: { self: `/prod/orders/${orderId}` } });
    expect(res.headers.Location).toBe(`/prod/orders/${orderId}`);
    expect(res.headers['X-Correlation-Id']).toBe('corr-create-1');

    const [orderItem] = await api.itemsOf(`ORDER#${orderId}`);
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

    const outbox = await api.itemsOf(`OUTBOX#${orderId}`);
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
    expect(entry).toMatchObject({ topic: `${api.prefix}-orders`, eventId: event.eventId, sk: event.eventId });
    expect(Number(entry.expiresAt)).toBeGreaterThanOrEqual(started + OUTBOX_TTL_SECONDS);

    // The first history step is the OrderCreated event, so order-view sees it as applied (by its eventId).
    expect(orderItem?.history).toEqual([
      {
        eventId: event.eventId,
        eventType: 'OrderCreated',
        at: event.occurredAt,
        sequence: 1,
        detail: expect.any(String),
      },
    ]);
    // Only what is read is stored: no set of applied event ids beside the history, no Kafka headers on the
    // outbox item (the relay derives them from the envelope).
    expect(orderItem).not.toHaveProperty('appliedEventIds');
    expect(entry).not.toHaveProperty('headers');
  });

  it('uses the API Gateway request id as correlation and causation id when no X-Correlation-Id is sent', async () => {
    const requestId = randomUUID();
    const res = await api.call({
      method: 'POST',
      path: '/orders',
      headers: { 'Content-Type': 'application/json' },
      body: order(newCustomer()),
      requestId,
    });
    expect(res.status).toBe(202);
    expect(res.headers['X-Correlation-Id']).toBe(requestId);
    const [entry] = await api.itemsOf(`OUTBOX#${res.body.orderId}`);
    expect(JSON.parse(String(entry?.envelope))).toMatchObject({ correlationId: requestId, causationId: requestId });
  });

  it('names every failing field in one 400 VALIDATION_FAILED and writes nothing', async () => {
    const before = await api.itemCount();
    const res = await api.post({
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
    expect(await api.itemCount()).toBe(before);
  });

  it('answers every case of the bad-input corpus with its status, code and field, writing nothing', async () => {
    const before = await api.itemCount();
    const cases = malformedRequests();
    expect(cases.length).toBeGreaterThan(100);
    for (const c of cases) {
      const res = await api.call({
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
    expect(await api.itemCount()).toBe(before);
  }, 60_000);
});

describe('Idempotency-Key', () => {
  it('answers a retry with the same key and body with the original response, creating one order', async () => {
    const customerId = newCustomer();
    const key = randomUUID();
    const first = await api.post(order(customerId), { 'Idempotency-Key': key });
    // Same body with its keys in another order: the same request.
    const reordered = { items: order(customerId).items, currency: 'EUR', customerId };
    const second = await api.post(reordered, { 'Idempotency-Key': key });

    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    expect(second.headers.Location).toBe(first.headers.Location);
    expect(second.headers['Idempotent-Replayed']).toBe('true');
    expect(first.headers['Idempotent-Replayed']).toBeUndefined();
    expect(await api.ordersOf(customerId)).toHaveLength(1);
  });

  it('answers the same key with a different body with 422 IDEMPOTENCY_KEY_REUSED and writes nothing', async () => {
    const customerId = newCustomer();
    const key = randomUUID();
    expect((await api.post(order(customerId), { 'Idempotency-Key': key })).status).toBe(202);
    const before = await api.itemCount();
    const reuse = await api.post(order(customerId, 3), { 'Idempotency-Key': key });
    expect(reuse.status).toBe(422);
    expect(reuse.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await api.itemCount()).toBe(before);
  });

  it('lets concurrent requests with one key create one order (the others replay it or get 409)', async () => {
    const customerId = newCustomer();
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => api.post(order(customerId), { 'Idempotency-Key': key })),
    );
    const created = answers.filter((a) => a.status === 202);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((a) => a.body.orderId)).size).toBe(1);
    for (const a of answers.filter((x) => x.status !== 202)) {
      expect([a.status, a.body.error.code]).toEqual([409, 'IDEMPOTENCY_REQUEST_IN_PROGRESS']);
    }
    expect(await api.ordersOf(customerId)).toHaveLength(1);
  });

  it('derives the orderId of a keyed request from the customer and the key (UUIDv5) and GET finds it', async () => {
    const customerId = newCustomer();
    const key = randomUUID();
    const res = await api.post(order(customerId), { 'Idempotency-Key': key });
    expect(res.status).toBe(202);
    expect(res.body.orderId).toBe(orderIdFor(customerId, key));
    expect(res.body.orderId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const got = await api.call({ method: 'GET', path: `/orders/${res.body.orderId}` });
    expect([got.status, got.body.orderId, got.body.status]).toEqual([200, res.body.orderId, 'PENDING']);
  });

  it('answers a retry whose key was never marked COMPLETED (crash after the commit) with the first order', async () => {
    const customerId = newCustomer();
    const key = randomUUID();
    const first = await api.post(order(customerId), { 'Idempotency-Key': key });
    expect(first.status).toBe(202);
    // What a crash between the commit and Powertools' COMPLETED leaves, once its in-progress record has
    // expired: no usable idempotency record for the key.
    expect(await api.forgetIdempotencyKeys()).toBeGreaterThan(0);
    const retry = await api.post(order(customerId), { 'Idempotency-Key': key });
    expect(retry.status).toBe(202);
    expect(retry.body.orderId).toBe(first.body.orderId);
    expect(await api.ordersOf(customerId)).toHaveLength(1);
    expect(await api.itemsOf(`OUTBOX#${first.body.orderId}`)).toHaveLength(1);
    // and a different body under that key is still a reuse, even with the record gone
    await api.forgetIdempotencyKeys();
    const reuse = await api.post(order(customerId, 5), { 'Idempotency-Key': key });
    expect([reuse.status, reuse.body.error?.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await api.ordersOf(customerId)).toHaveLength(1);
  });

  it('keeps keys apart: another key creates another order; no key creates one each time', async () => {
    const customerId = newCustomer();
    await api.post(order(customerId), { 'Idempotency-Key': randomUUID() });
    await api.post(order(customerId), { 'Idempotency-Key': randomUUID() });
    await api.post(order(customerId));
    await api.post(order(customerId));
    expect(await api.ordersOf(customerId)).toHaveLength(4);
  });
});
