/**
 * An Idempotency-Key retry after the order-api's execution environment died right after its order
 * transaction committed (before Powertools could mark the key COMPLETED): the whole local pipeline, with
 * order-api's DynamoDB calls going through the fault proxy, whose after-forward hook kills the busy
 * environment the moment DynamoDB has answered the commit. The retry must find the first order.
 */
import { randomUUID } from 'node:crypto';
import { orderIdFor } from '../../functions/order-api/create-order';
import type { Pipeline } from '../../localstack/runner/pipeline';
import { checkBooks } from '../support/books';
import type { FaultProxy } from '../support/dynamodb-fault-proxy';
import { startPipelineBehindFaultProxy } from '../support/faults';
import { useLocalBackends } from '../support/isolated-resources';
import { postOrder, waitForFinal } from '../support/pipeline-client';

jest.setTimeout(180_000);

let pipeline: Pipeline;
let proxy: FaultProxy;

beforeAll(async () => {
  useLocalBackends();
  ({ pipeline, proxy } = await startPipelineBehindFaultProxy('crash', {
    retryBackoff: { baseMs: 20, capMs: 200 },
    throughProxy: (fn) => fn === 'order-api',
  }));
}, 180_000);

afterAll(async () => {
  await pipeline?.stop();
  await proxy?.close();
});

describe('Idempotency-Key retry after a crash right after the commit', () => {
  it('creates exactly one order and answers the retry with its orderId', async () => {
    const customerId = `cust-crash-${randomUUID().slice(0, 8)}`;
    const key = `checkout-${randomUUID()}`;
    const body = { customerId, items: [{ sku: 'SKU-KEYBOARD', quantity: 1, unitPrice: 4999 }] };
    const orderApi = pipeline.functions.get('order-api');
    if (!orderApi) throw new Error('pipeline has no order-api');

    let killed = 0;
    proxy.setAfterForward((call, status) => {
      // The order transaction (order item + outbox) committed: kill before the function hears about it.
      if (killed === 0 && status === 200 && call.operation === 'TransactWriteItems' && call.body.includes('"ORDER#')) {
        killed = orderApi.killBusyEnvironments();
      }
    });
    const crashed = await postOrder(pipeline.apiUrl, body, { 'idempotency-key': key });
    expect(killed).toBe(1);
    expect(crashed.status).toBe(502); // API Gateway's answer to a function that died

    // The client retries with the same key: 409 while the dead attempt's in-progress record lives
    // (up to the function's timeout), then the answer.
    const answers: number[] = [];
    let retry = await postOrder(pipeline.apiUrl, body, { 'idempotency-key': key });
    const deadline = Date.now() + 60_000;
    while (retry.status !== 202 && Date.now() < deadline) {
      answers.push(retry.status);
      await new Promise((r) => setTimeout(r, 500));
      retry = await postOrder(pipeline.apiUrl, body, { 'idempotency-key': key });
    }
    expect(retry.status).toBe(202);
    expect(new Set(answers)).toEqual(new Set(answers.length > 0 ? [409] : []));
    const orderId = String(retry.body.orderId);
    expect(orderId).toBe(orderIdFor(customerId, key));

    const view = await waitForFinal(pipeline.apiUrl, orderId, 60_000, true);
    expect(view.status).toBe('CONFIRMED');
    const list = await fetch(`${pipeline.apiUrl}/orders?customerId=${customerId}`);
    const { orders } = (await list.json()) as { orders: { orderId: string }[] };
    expect(orders.map((o) => o.orderId)).toEqual([orderId]);
    await pipeline.idle(30_000);
    const books = await checkBooks(pipeline.names.table, [{ orderId, customerId, items: body.items }], new Map());
    expect([books.lost, books.duplicated, books.incomplete]).toEqual([[], [], []]);
  });
});
