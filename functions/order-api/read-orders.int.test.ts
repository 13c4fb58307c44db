/**
 * GET /orders/{id} and GET /orders?customerId= against DynamoDB Local: the order with its status and
 * history, 404 for unknown ids, and a customer's orders newest first across pages of an opaque cursor.
 */
import { randomUUID } from 'node:crypto';
import { newCustomer, sampleOrder as order, orderApiFixture } from '../../test/support/order-api-fixture';
import { useFixture } from '../../test/support/use-fixture';

const api = useFixture(() => orderApiFixture('order-api-read'));

describe('GET /orders/{id}', () => {
  it('returns the order with its status and history (event type, time, detail)', async () => {
    const created = await api.post(order(newCustomer()));
    const { orderId } = created.body;
    const res = await api.call({ method: 'GET', path: `/orders/${orderId}` });
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
      const res = await api.call({ method: 'GET', path: `/orders/${id}` });
      expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
    }
  });
});

describe('GET /orders?customerId=', () => {
  it("lists a customer's orders newest first, paged with an opaque cursor", async () => {
    const customerId = newCustomer();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await api.post(order(customerId, i + 1))).body.orderId);
      await new Promise((r) => setTimeout(r, 3)); // distinct createdAt (millisecond resolution)
    }
    await api.post(order(newCustomer())); // another customer's order never shows up

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await api.call({
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
      const res = await api.call({ method: 'GET', path: '/orders', query });
      expect([res.status, res.body.error.code, res.body.error.fields.map((f: { path: string }) => f.path)]).toEqual([
        400,
        'VALIDATION_FAILED',
        [field],
      ]);
    }
  });
});
