/**
 * The whole pipeline on the real local servers (an isolated, prefixed copy): HTTP → order-api → outbox →
 * stream twin → relay → Kafka → Kafka ESM twins → consumers → read model, through every saga branch,
 * idempotent POSTs, a poison record, a consumer that fails transiently, and the books at the end.
 */
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Kafka, logLevel } from 'kafkajs';
import { clientConfig } from '../../localstack/runner/endpoints';
import type { LambdaError } from '../../localstack/runner/lambda/protocol';
import { type Pipeline, startPipeline } from '../../localstack/runner/pipeline';
import { type AcceptedOrder, checkBooks } from '../support/books';
import { useLocalBackends } from '../support/isolated-resources';
import { placeOrder, postOrder, waitForFinal } from '../support/pipeline-client';
import { uniqueName } from '../support/unique-name';

jest.setTimeout(120_000);

let pipeline: Pipeline;
const accepted: AcceptedOrder[] = [];
/** Invocations of payment to fail (function error) before letting it run: a transient outage. */
let paymentFailures = 0;

beforeAll(async () => {
  useLocalBackends();
  pipeline = await startPipeline({
    prefix: `${uniqueName('e2e')}-`,
    apiPort: 0,
    retryBackoff: { baseMs: 20, capMs: 200 },
    intercept: (fn): LambdaError | undefined => {
      if (fn !== 'payment' || paymentFailures <= 0) return undefined;
      paymentFailures--;
      return { errorType: 'Error', errorMessage: 'injected: payment provider unavailable', trace: [] };
    },
  });
}, 180_000);

afterAll(async () => {
  await pipeline?.stop();
});

const line = (sku: string, quantity = 1, unitPrice = 1999) => ({ sku, quantity, unitPrice });

describe('order saga, end to end', () => {
  it('confirms an order and shows its history as it moved', async () => {
    const order = await placeOrder(pipeline.apiUrl, 'cust-e2e', [line('SKU-KEYBOARD', 2), line('SKU-MOUSE')]);
    accepted.push(order);
    const view = await waitForFinal(pipeline.apiUrl, order.orderId, 60_000, true);
    expect(view.status).toBe('CONFIRMED');
    const steps = view.history.map((h) => h.eventType);
    expect(steps.slice(0, 3)).toEqual(['OrderCreated', 'InventoryReserved', 'PaymentAuthorized']);
    expect(steps).toContain('NotificationSent');
  });

  it('rejects an order for a SKU out of stock', async () => {
    const order = await placeOrder(pipeline.apiUrl, 'cust-e2e', [line('SKU-SOLDOUT'), line('SKU-MOUSE')]);
    accepted.push(order);
    const view = await waitForFinal(pipeline.apiUrl, order.orderId, 60_000, true);
    expect(view.status).toBe('REJECTED');
    expect(view.history.find((h) => h.eventType === 'InventoryRejected')?.detail).toContain('SKU-SOLDOUT');
  });

  it('cancels an order whose payment is declined and puts its stock back', async () => {
    const order = await placeOrder(pipeline.apiUrl, 'blocked-e2e', [line('SKU-DOCK', 3)]);
    accepted.push(order);
    const view = await waitForFinal(pipeline.apiUrl, order.orderId, 60_000, true);
    expect(view.status).toBe('CANCELLED');
    expect(view.history.map((h) => h.eventType)).toEqual(
      expect.arrayContaining(['PaymentDeclined', 'InventoryReleased', 'NotificationSent']),
    );
  });

  it('creates one order for a repeated POST with the same Idempotency-Key', async () => {
    const body = { customerId: 'cust-idem', items: [line('SKU-CABLE')] };
    const key = `e2e-${Date.now()}`;
    const first = await postOrder(pipeline.apiUrl, body, { 'idempotency-key': key });
    const second = await postOrder(pipeline.apiUrl, body, { 'idempotency-key': key });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.orderId).toBe(first.body.orderId);
    const reused = await postOrder(
      pipeline.apiUrl,
      { ...body, items: [line('SKU-CABLE', 2)] },
      { 'idempotency-key': key },
    );
    expect(reused.status).toBe(422);
    accepted.push({ orderId: String(first.body.orderId), customerId: 'cust-idem', items: body.items });
    expect((await waitForFinal(pipeline.apiUrl, String(first.body.orderId))).status).toBe('CONFIRMED');
  });

  it('rejects an order of 50 unknown and sold-out SKUs instead of parking it (reason over 500 characters)', async () => {
    const items = Array.from({ length: 50 }, (_, i) =>
      line(i === 0 ? 'SKU-SOLDOUT' : `SKU-NOWHERE-${String(i).padStart(50, '0')}`),
    );
    const order = await placeOrder(pipeline.apiUrl, 'cust-e2e-many', items);
    const view = await waitForFinal(pipeline.apiUrl, order.orderId, 60_000, true);
    expect(view.status).toBe('REJECTED');
    expect(view.history.find((h) => h.eventType === 'InventoryRejected')?.detail).toContain('SKU-NOWHERE-');
    // Its own books (its SKUs are not in the catalog, so it stays out of the shared stock check); the
    // poison test below finds only the poison record in inventory's DLQ, so nothing was dead-lettered here.
    const books = await checkBooks(pipeline.names.table, [order], new Map());
    expect([books.lost, books.duplicated, books.incomplete]).toEqual([[], [], []]);
  });

  it('sends a poison record to the DLQ with its reason while later orders still complete', async () => {
    const kafka = new Kafka({
      clientId: 'e2e-poison',
      brokers: [...pipeline.endpoints.kafkaBrokers],
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: pipeline.names.topic('orders'),
      messages: [{ key: 'poison-order', value: 'this is not json' }],
    });
    await producer.disconnect();

    const order = await placeOrder(pipeline.apiUrl, 'cust-e2e', [line('SKU-LAMP')]);
    accepted.push(order);
    expect((await waitForFinal(pipeline.apiUrl, order.orderId)).status).toBe('CONFIRMED');

    const sqs = new SQSClient(clientConfig(pipeline.endpoints, pipeline.endpoints.sqs));
    const letters: Record<string, unknown>[] = [];
    for (let i = 0; i < 20 && letters.length < 2; i++) {
      for (const q of ['inventory-dlq', 'order-view-dlq'] as const) {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: pipeline.names.queueUrl(q),
            WaitTimeSeconds: 1,
            MaxNumberOfMessages: 10,
          }),
        );
        letters.push(...(out.Messages ?? []).map((m) => JSON.parse(String(m.Body)) as Record<string, unknown>));
      }
    }
    // Both consumers of the orders topic dead-letter it, each with the reason and the record's coordinates.
    expect(letters.map((l) => l.functionName).sort()).toEqual(['inventory', 'order-view']);
    for (const l of letters) {
      expect(l).toMatchObject({
        reason: 'MALFORMED_JSON',
        source: { kind: 'kafka', topic: pipeline.names.topic('orders') },
      });
    }
  });

  it('retries a consumer that fails transiently twice, with no duplicate effect', async () => {
    paymentFailures = 2;
    const order = await placeOrder(pipeline.apiUrl, 'cust-e2e', [line('SKU-HEADSET')]);
    accepted.push(order);
    expect((await waitForFinal(pipeline.apiUrl, order.orderId)).status).toBe('CONFIRMED');
    expect(paymentFailures).toBe(0);
  });

  it('balances the books: every order final, every effect exactly once', async () => {
    // Settled: final status and the last saga step (the notification) applied to the read model.
    await Promise.all(accepted.map((o) => waitForFinal(pipeline.apiUrl, o.orderId, 60_000, true)));
    await pipeline.idle(60_000);
    const stock = new Map(
      [...new Set(accepted.flatMap((o) => o.items.map((i) => i.sku)))].map((sku) => [sku, initialStock(sku)] as const),
    );
    const books = await checkBooks(pipeline.names.table, accepted, stock);
    expect(books.lost).toEqual([]);
    expect(books.duplicated).toEqual([]);
    expect(books.incomplete).toEqual([]);
    expect(books.stockMismatches).toEqual([]);
    expect(books.byStatus).toEqual({ CONFIRMED: 4, REJECTED: 1, CANCELLED: 1 });
  });
});

function initialStock(sku: string): number {
  const catalog = require('../../functions/inventory/catalog.json') as { items: { sku: string; available: number }[] };
  const item = catalog.items.find((i) => i.sku === sku);
  if (!item) throw new Error(`${sku} is not in the catalog`);
  return item.available;
}
