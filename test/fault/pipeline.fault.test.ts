/**
 * The fault suite: the whole local pipeline under a steady load of orders while one fault at a time hits
 * it, each scenario bounded in time and ending by checking the books (test/support/books.ts): every
 * accepted order final, every effect exactly once, stock moved by exactly the confirmed quantities, DLQs
 * holding only what was meant to be there. A summary table is printed at the end; any lost or duplicated
 * order fails the suite.
 */
import { PurgeQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Kafka, logLevel } from 'kafkajs';
import { type QueueId, queues, type TopicId, topics } from '../../lib/topology';
import { backendStatus, startBackends } from '../../localstack/backends';
import { clientConfig } from '../../localstack/runner/endpoints';
import type { LambdaError } from '../../localstack/runner/lambda/protocol';
import { randomPrefix } from '../../localstack/runner/names';
import { type Pipeline, startPipeline } from '../../localstack/runner/pipeline';
import { type AcceptedOrder, type Books, checkBooks } from '../support/books';
import { type FaultProxy, startFaultProxy } from '../support/dynamodb-fault-proxy';
import { useLocalBackends } from '../support/isolated-resources';
import { runLoad } from '../support/load';
import { waitForFinal } from '../support/pipeline-client';

jest.setTimeout(240_000);

const RATE = Number(process.env.FAULT_RATE ?? 5);
const LOAD_MS = Number(process.env.FAULT_LOAD_MS ?? 8000);

let pipeline: Pipeline;
let proxy: FaultProxy;
let sqs: SQSClient;
let relayDownUntil = 0;
const summary: { scenario: string; orders: number; faults: string; lost: number; duplicated: number; dlqd: number }[] =
  [];

beforeAll(async () => {
  useLocalBackends();
  proxy = await startFaultProxy(String(process.env.AWS_ENDPOINT_URL_DYNAMODB));
  pipeline = await startPipeline({
    prefix: randomPrefix('fault'),
    apiPort: 0,
    functionEnv: () => ({
      AWS_ENDPOINT_URL_DYNAMODB: proxy.url,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
    }),
    intercept: (fn): LambdaError | undefined =>
      fn === 'outbox-relay' && Date.now() < relayDownUntil
        ? { errorType: 'Error', errorMessage: 'injected: relay failing' }
        : undefined,
  });
  sqs = new SQSClient(clientConfig(pipeline.endpoints, pipeline.endpoints.sqs));
}, 180_000);

afterAll(async () => {
  await pipeline?.stop();
  await proxy?.close();
  console.log(formatSummary());
});

const initialStock = (): Map<string, number> =>
  new Map(Array.from({ length: 100 }, (_, i) => [`SKU-BULK-${String(i).padStart(3, '0')}`, 1_000_000] as const));

/** All orders of every scenario so far: the stock check is cumulative. */
const everyOrder: AcceptedOrder[] = [];

async function scenario(name: string, faults: string, inject: () => Promise<void>): Promise<Books> {
  const load = runLoad(pipeline.apiUrl, { rate: RATE, durationMs: LOAD_MS, rejectedShare: 0.1, cancelledShare: 0.1 });
  await new Promise((r) => setTimeout(r, LOAD_MS / 4));
  await inject();
  const { accepted } = await load;
  everyOrder.push(...accepted);
  await Promise.all(
    accepted.map((o) => waitForFinal(pipeline.apiUrl, o.orderId, 120_000, true).catch(() => undefined)),
  );
  await pipeline.idle(60_000);
  const books = await checkBooks(pipeline.names.table, everyOrder, initialStock());
  const dlqd = await dlqDepth();
  summary.push({
    scenario: name,
    orders: accepted.length,
    faults,
    lost: books.lost.length,
    duplicated: books.duplicated.length,
    dlqd,
  });
  return books;
}

function expectBalanced(books: Books): void {
  expect(books.lost).toEqual([]);
  expect(books.duplicated).toEqual([]);
  expect(books.incomplete).toEqual([]);
  expect(books.stockMismatches).toEqual([]);
}

async function dlqDepth(): Promise<number> {
  let n = 0;
  for (const q of Object.keys(queues) as QueueId[]) n += (await peek(q)).length;
  return n;
}

/** DLQ messages without consuming them (visibility timeout 0). */
async function peek(q: QueueId): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const res = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: pipeline.names.queueUrl(q),
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
      }),
    );
    for (const m of res.Messages ?? []) {
      if (seen.has(String(m.MessageId))) continue;
      seen.add(String(m.MessageId));
      out.push(JSON.parse(String(m.Body)) as Record<string, unknown>);
    }
    if ((res.Messages ?? []).length === 0) break;
  }
  return out;
}

describe('pipeline under faults', () => {
  it('survives kill -9 of the Kafka broker mid-load and its restart', async () => {
    const books = await scenario('kill -9 Kafka broker', 'broker killed, restarted', async () => {
      const kafka = (await backendStatus()).find((s) => s.id === 'kafka');
      if (!kafka?.pid) throw new Error('the Kafka broker is not one this checkout started: cannot kill it');
      process.kill(kafka.pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 2000));
      await startBackends();
    });
    expectBalanced(books);
  });

  it('redelivers after a consumer fails mid-batch with some effects done', async () => {
    const books = await scenario(
      'consumer fails mid-batch',
      'every 3rd inventory/payment write throttled for 4 s',
      async () => {
        let n = 0;
        // inventory's and payment's transactions write their own tables (the orders table only for the outbox).
        const mine = [pipeline.names.table('inventory'), pipeline.names.table('payments')].map((t) => `"${t}"`);
        proxy.setRule(
          (call) => call.operation === 'TransactWriteItems' && mine.some((t) => call.body.includes(t)) && ++n % 3 === 0,
        );
        await new Promise((r) => setTimeout(r, 4000));
        proxy.setRule(() => false);
      },
    );
    expectBalanced(books);
  });

  it('redelivers after consumer execution environments are killed mid-batch', async () => {
    let killed = 0;
    const books = await scenario(
      'consumer killed mid-batch',
      'busy inventory/payment/order-view environments killed every 400 ms for 4 s',
      async () => {
        const victims = (['inventory', 'payment', 'order-view'] as const).map((f) => pipeline.functions.get(f));
        const until = Date.now() + 4000;
        while (Date.now() < until) {
          for (const fn of victims) killed += fn?.killBusyEnvironments() ?? 0;
          await new Promise((r) => setTimeout(r, 400));
        }
      },
    );
    expect(killed).toBeGreaterThan(0);
    expectBalanced(books);
  });

  it('drains the outbox backlog in order after the relay failed for a while', async () => {
    const books = await scenario('relay failing', 'outbox-relay failing for 3 s', async () => {
      relayDownUntil = Date.now() + 3000;
      await new Promise((r) => setTimeout(r, 3000));
    });
    expectBalanced(books);
  });

  it('retries through DynamoDB throttling without duplicates', async () => {
    const books = await scenario('DynamoDB throttled', '30% of all DynamoDB calls throttled for 5 s', async () => {
      let n = 0;
      proxy.setRule(() => ++n % 10 < 3);
      await new Promise((r) => setTimeout(r, 5000));
      proxy.setRule(() => false);
    });
    expectBalanced(books);
  });

  it('dead-letters a poison record in every topic while partitions keep flowing', async () => {
    for (const q of Object.keys(queues) as QueueId[])
      await sqs.send(new PurgeQueueCommand({ QueueUrl: pipeline.names.queueUrl(q) }));
    const books = await scenario('poison record per topic', 'one non-JSON record on each of 4 topics', async () => {
      const kafka = new Kafka({
        clientId: 'fault-poison',
        brokers: [...pipeline.endpoints.kafkaBrokers],
        logLevel: logLevel.NOTHING,
      });
      const producer = kafka.producer();
      await producer.connect();
      for (const t of Object.keys(topics) as TopicId[]) {
        await producer.send({
          topic: pipeline.names.topic(t),
          messages: [{ key: `poison-${t}`, value: `not json on ${t}` }],
        });
      }
      await producer.disconnect();
    });
    expectBalanced(books);
    // Each consumer of each topic dead-letters that topic's poison record once, with its reason.
    const expected = new Map<string, number>([
      ['inventory-dlq', 2], // orders, payments
      ['payment-dlq', 1], // inventory
      ['notification-dlq', 2], // inventory, payments
      ['order-view-dlq', 4], // all four topics
    ]);
    for (const [q, count] of expected) {
      const letters = await peek(q as QueueId);
      expect(letters.filter((l) => l.reason === 'MALFORMED_JSON')).toHaveLength(count);
      expect(letters).toHaveLength(count);
    }
    expect(await peek('outbox-relay-dlq')).toEqual([]);
  });
});

function formatSummary(): string {
  const rows = summary.map((s) => [
    s.scenario,
    String(s.orders),
    s.faults,
    String(s.lost),
    String(s.duplicated),
    String(s.dlqd),
  ]);
  const head = ['scenario', 'orders', 'faults', 'lost', 'duplicated', "DLQ'd"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ');
  return [
    '',
    'fault suite summary',
    fmt(head),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.map(fmt),
    '',
  ].join('\n');
}
