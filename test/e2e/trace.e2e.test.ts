/**
 * Trace context end to end, on the real local servers: an order posted with an X-Ray trace header goes
 * order-api → outbox item → stream twin → relay → Kafka → consumers → their outbox items → relay → Kafka,
 * and every record of the order on every topic carries the client's trace id in both `traceparent` and
 * `X-Amzn-Trace-Id`, each hop with a parent id of its own (the consumers continued the trace they
 * received). Then `order trace` lists the order's hops from the journal the runner wrote meanwhile.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { newTraceContext, parseTraceparent, parseXRayHeader, toXRayHeader } from '../../functions/shared/trace-context';
import { type TopicId, topics } from '../../lib/topology';
import { runCli } from '../../localstack/cli/cli';
import { EXIT } from '../../localstack/cli/io';
import { journalSink } from '../../localstack/runner/lambda/invocation-journal';
import { type Pipeline, startPipeline } from '../../localstack/runner/pipeline';
import { captureIo } from '../support/capture-io';
import { useLocalBackends } from '../support/isolated-resources';
import { waitForFinal } from '../support/pipeline-client';
import { uniqueName } from '../support/unique-name';

jest.setTimeout(120_000);

let pipeline: Pipeline;
const journal = join(mkdtempSync(join(tmpdir(), 'trace-e2e-')), 'invocations.jsonl');

beforeAll(async () => {
  useLocalBackends();
  pipeline = await startPipeline({ prefix: `${uniqueName('trc')}-`, apiPort: 0, invocationLog: journalSink(journal) });
}, 180_000);

afterAll(async () => {
  await pipeline?.stop();
});

interface SeenRecord {
  readonly topic: string;
  readonly type: string;
  readonly headers: Record<string, string>;
}

/** Every record of the order on every topic, read from the beginning with a throwaway group. */
async function recordsOf(orderId: string, expected: number): Promise<SeenRecord[]> {
  const kafka = new Kafka({
    clientId: 'trace-e2e',
    brokers: [...pipeline.endpoints.kafkaBrokers],
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `${`${uniqueName('trc-read')}-`}group` });
  const seen: SeenRecord[] = [];
  await consumer.connect();
  try {
    for (const t of Object.keys(topics) as TopicId[])
      await consumer.subscribe({ topic: pipeline.names.topic(t), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        if (message.key?.toString() !== orderId) return;
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        seen.push({ topic, type: headers['event-type'] ?? '?', headers });
      },
    });
    const deadline = Date.now() + 30_000;
    while (seen.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe('trace context across every hop', () => {
  it("carries the client's trace id on every record of the order, in both headers, and order trace lists each hop", async () => {
    const client = newTraceContext();
    const res = await fetch(`${pipeline.apiUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Amzn-Trace-Id': toXRayHeader(client) },
      body: JSON.stringify({
        customerId: 'cust-trace',
        currency: 'EUR',
        items: [{ sku: 'SKU-KEYBOARD', quantity: 1, unitPrice: 4999 }],
      }),
    });
    expect(res.status).toBe(202);
    const { orderId } = (await res.json()) as { orderId: string };
    const view = await waitForFinal(pipeline.apiUrl, orderId, 60_000, true);
    expect(view.status).toBe('CONFIRMED');

    // OrderCreated, InventoryReserved, PaymentAuthorized, NotificationSent: one record each.
    const records = await recordsOf(orderId, 4);
    expect(records.map((r) => r.type).sort()).toEqual([
      'InventoryReserved',
      'NotificationSent',
      'OrderCreated',
      'PaymentAuthorized',
    ]);
    const parents = new Set<string>();
    for (const r of records) {
      const w3c = parseTraceparent(r.headers.traceparent);
      const xray = parseXRayHeader(r.headers['X-Amzn-Trace-Id']);
      expect({ type: r.type, traceId: w3c?.traceId }).toEqual({ type: r.type, traceId: client.traceId });
      expect(xray).toEqual(w3c);
      parents.add(w3c?.parentId ?? '');
    }
    // order-api's invocation is the first hop's parent; each consumer's record hop is a new span.
    expect(parents.size).toBe(records.length);

    const c = captureIo({});
    expect(await runCli(['order', 'trace', orderId, '--journal', journal], c.io)).toBe(EXIT.ok);
    const json = captureIo({});
    expect(await runCli(['order', 'trace', orderId, '--journal', journal, '--json'], json.io)).toBe(EXIT.ok);
    const rows = json.out.map(
      (l) =>
        JSON.parse(l) as {
          at: string;
          function: string;
          eventType?: string;
          position?: string;
          outcome: string;
          traceId?: string;
        },
    );
    const functionOf = (name: string) =>
      name.replace(pipeline.names.functionName('order-api').replace('order-api', ''), '');
    const hops = rows.map((r) => `${functionOf(r.function)} ${r.eventType ?? ''}`.trim());
    for (const hop of [
      'order-api OrderCreated',
      'outbox-relay OrderCreated',
      'inventory OrderCreated',
      'payment InventoryReserved',
      'notification PaymentAuthorized',
      'order-view PaymentAuthorized',
    ]) {
      expect(hops).toContain(hop);
    }
    expect(rows.map((r) => r.at)).toEqual([...rows.map((r) => r.at)].sort());
    expect(rows.every((r) => r.outcome === 'ok')).toBe(true);
    const inventory = rows.find((r) => functionOf(r.function) === 'inventory');
    expect(inventory?.position).toMatch(new RegExp(`^${pipeline.names.topic('orders')}/\\d+@\\d+$`));
    // Every hop ran in the client's trace: the API invocation as Lambda behind API Gateway does, the relay
    // from the outbox items' traceHeader, the consumers from their records' headers.
    expect(new Set(rows.map((r) => r.traceId))).toEqual(new Set([client.traceId]));
    expect(c.err).toEqual([`${rows.length} hops, 1 trace id`]);
  });
});
