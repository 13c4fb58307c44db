/**
 * The CLI against the whole local pipeline (an isolated, prefixed copy on the shared servers): the
 * operator's story from placing an order to redriving it. While the payment function is down past its
 * mapping's retries, the ESM twin sends its failure record to payment-dlq; `dlq list` shows it, and once
 * payment is back `dlq redrive` reads the records back from Kafka and the order completes.
 */

import { runCliCaptured } from '../../test/support/capture-io';
import { uniqueName } from '../../test/support/unique-name';
import type { LambdaError } from '../runner/lambda/protocol';
import { type Pipeline, startPipeline } from '../runner/pipeline';
import { EXIT } from './io';

jest.setTimeout(180_000);

const prefix = `${uniqueName('clie2e')}-`;
const customer = `cust-${prefix.slice(0, -1)}`;
let pipeline: Pipeline;
let paymentDown = false;

beforeAll(async () => {
  pipeline = await startPipeline({
    prefix,
    apiPort: 0,
    retryBackoff: { baseMs: 20, capMs: 100 },
    functionEnv: () => ({ POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true' }),
    intercept: (fn): LambdaError | undefined =>
      fn === 'payment' && paymentDown
        ? { errorType: 'Error', errorMessage: 'injected: payment provider down', trace: [] }
        : undefined,
  });
}, 180_000);

afterAll(async () => {
  await pipeline?.stop();
});

const cli = (...argv: string[]) =>
  runCliCaptured(argv, { ...process.env, ORDER_API_URL: pipeline.apiUrl, PIPELINE_PREFIX: prefix });

const place = async (...items: string[]) => {
  const r = await cli('order', 'place', '--customer', customer, ...items.flatMap((i) => ['--item', i]));
  expect(r.code).toBe(EXIT.ok);
  const id = /^order (\S+) accepted \(status PENDING\)$/.exec(r.out[0] ?? '')?.[1];
  if (!id) throw new Error(`no order id in ${JSON.stringify(r.out)}`);
  // The twin answers like API Gateway, whose Location carries the stage (/v1/orders/…).
  expect(r.out[1]).toMatch(new RegExp(`^Location: (/[^/]+)?/orders/${id}$`));
  return id;
};

describe('CLI on the running pipeline', () => {
  it('places an order and watches it to CONFIRMED, history growing', async () => {
    const id = await place('SKU-BULK-001:2:1999');
    const w = await cli('order', 'watch', id, '--timeout', '60');
    expect(w.code).toBe(EXIT.ok);
    const steps = w.out.filter((l) => !l.startsWith('status '));
    expect(steps.map((l) => l.split(/\s+/)[1]).slice(0, 3)).toEqual([
      'OrderCreated',
      'InventoryReserved',
      'PaymentAuthorized',
    ]);
    expect(w.out[w.out.length - 1]).toBe('status CONFIRMED');
    const get = await cli('order', 'get', id);
    expect(get.out[0]).toBe(`order ${id}  customer ${customer}  status CONFIRMED  total 39.98 EUR`);
  });

  it('watches an order for a sold-out SKU to REJECTED', async () => {
    const id = await place('SKU-SOLDOUT:1:100');
    const w = await cli('order', 'watch', id, '--timeout', '60');
    expect(w.code).toBe(EXIT.ok);
    expect(w.out).toContain('status REJECTED');
  });

  it('prints the API error with its fields for a bad order', async () => {
    const r = await cli('order', 'place', '--customer', customer, '--item', 'SKU-BULK-001:0:100');
    expect(r.code).toBe(EXIT.failed);
    expect(r.err[0]).toMatch(/^API error 400 VALIDATION_FAILED: /);
    // API Gateway's own model validation answers first, naming the field in its message.
    expect(r.err.join('\n')).toContain('/items/0/quantity: must be >= 1');
  });

  it('lists the customer orders and tails the orders topic', async () => {
    const list = await cli('order', 'list', '--customer', customer);
    expect(list.code).toBe(EXIT.ok);
    expect(list.out).toHaveLength(2);
    const tail = await cli('topic', 'tail', 'orders', '--from-beginning', '--limit', '2');
    expect(tail.code).toBe(EXIT.ok);
    expect(tail.out.every((l) => /OrderCreated v\d+ +order=\S+ seq=1 /.test(l))).toBe(true);
  });

  it('shows the failure record of a payment outage and redrives it so the order completes', async () => {
    paymentDown = true;
    const id = await place('SKU-BULK-002:1:500');
    // Retries exhausted → the Kafka ESM twin's failure record lands in payment-dlq.
    let failure: Record<string, unknown> | undefined;
    for (let i = 0; i < 60 && !failure; i += 1) {
      const listed = await cli('dlq', 'list', 'payment-dlq', '--json');
      failure = listed.out.map((l) => JSON.parse(l)).find((m) => m.kind === 'kafka-failure');
      if (!failure) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(failure).toMatchObject({ condition: 'RetryAttemptsExhausted', functionError: 'Unhandled' });
    const text = await cli('dlq', 'list', 'payment-dlq');
    expect(text.out.join('\n')).toMatch(new RegExp(`records ${prefix}inventory\\[\\d+\\] offsets \\d+\\.\\.\\d+`));
    // Still visible after listing, so the redrive below finds it.
    const still = await cli('dlq', 'list', 'payment-dlq', '--json');
    expect(still.out.some((l) => JSON.parse(l).kind === 'kafka-failure')).toBe(true);

    paymentDown = false;
    const r = await cli('dlq', 'redrive', 'payment-dlq');
    expect(r.code).toBe(EXIT.ok);
    expect(r.out.join('\n')).toMatch(new RegExp(`re-published \\d+ record\\(s\\) to ${prefix}inventory`));
    const w = await cli('order', 'watch', id, '--timeout', '60');
    expect(w.code).toBe(EXIT.ok);
    expect(w.out).toContain('status CONFIRMED');
    const again = await cli('dlq', 'redrive', 'payment-dlq');
    expect(again.out).toEqual([`payment-dlq: no messages to redrive`]);
  });

  it('dlq list --all covers every DLQ of the copy', async () => {
    const r = await cli('dlq', 'list', '--all');
    expect(r.code).toBe(EXIT.ok);
    for (const q of ['outbox-relay-dlq', 'inventory-dlq', 'payment-dlq', 'notification-dlq', 'order-view-dlq']) {
      expect(r.out.some((l) => l.startsWith(`${q}: `))).toBe(true);
    }
  });
});
