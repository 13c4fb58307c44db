/**
 * The fault suite: the whole local pipeline under a steady load of orders while one fault at a time hits
 * it, each scenario bounded in time. Every scenario asserts, in this order, that the work happened
 * (a minimum of accepted orders, refusals within a stated bound), that the fault really fired (the
 * proxy failed calls, the broker's pid changed, the relay was refused, environments were killed), then
 * the books (test/support/books.ts: every accepted order final, every effect exactly once, stock moved by
 * exactly the confirmed quantities) and exactly what the DLQs hold. A summary table is printed at the end.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { Kafka, logLevel } from 'kafkajs';
import { type QueueId, queues, type TopicId, topics } from '../../lib/topology';
import { clientConfig } from '../../localstack/runner/endpoints';
import type { Pipeline } from '../../localstack/runner/pipeline';
import { type AcceptedOrder, type Books, checkBooks } from '../support/books';
import type { FaultProxy } from '../support/dynamodb-fault-proxy';
import {
  everyNth,
  functionOutage,
  killBroker,
  killEnvironments,
  startPipelineBehindFaultProxy,
  throttleDynamoDb,
} from '../support/faults';
import { useLocalBackends } from '../support/isolated-resources';
import { type LoadResult, runLoad } from '../support/load';
import { waitForFinal } from '../support/pipeline-client';
import { causalOrderViolations, countLetters, type DeadLetterBody, deadLetters } from '../support/pipeline-inspect';

jest.setTimeout(240_000);

const RATE = Number(process.env.FAULT_RATE ?? 5);
const LOAD_MS = Number(process.env.FAULT_LOAD_MS ?? 8000);
const SENT = Math.round((RATE * LOAD_MS) / 1000);

let pipeline: Pipeline;
let proxy: FaultProxy;
let sqs: SQSClient;
const relay = functionOutage('outbox-relay');
const summary: {
  scenario: string;
  orders: number;
  refused: number;
  fault: string;
  lost: number;
  duplicated: number;
  dlqd: number;
}[] = [];

beforeAll(async () => {
  useLocalBackends();
  ({ pipeline, proxy } = await startPipelineBehindFaultProxy('fault', { intercept: relay.intercept }));
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

interface Outcome {
  readonly load: LoadResult;
  readonly books: Books;
  readonly letters: Record<QueueId, DeadLetterBody[]>;
}

/**
 * Runs the load, injects the fault a quarter of the way in, waits for every order to settle, then reads
 * the books and the DLQs. `inject` returns the fault's evidence in words for the summary.
 */
async function scenario(name: string, inject: () => Promise<string>): Promise<Outcome> {
  const loading = runLoad(pipeline.apiUrl, {
    rate: RATE,
    durationMs: LOAD_MS,
    rejectedShare: 0.1,
    cancelledShare: 0.1,
  });
  await new Promise((r) => setTimeout(r, LOAD_MS / 4));
  const fault = await inject();
  const load = await loading;
  everyOrder.push(...load.accepted);
  await Promise.all(
    load.accepted.map((o) => waitForFinal(pipeline.apiUrl, o.orderId, 120_000, true).catch(() => undefined)),
  );
  await pipeline.idle(60_000);
  const books = await checkBooks(pipeline.names.table, everyOrder, initialStock());
  const letters = await deadLetters(sqs, pipeline);
  summary.push({
    scenario: name,
    orders: load.accepted.length,
    refused: load.refused,
    fault,
    lost: books.lost.length,
    duplicated: books.duplicated.length,
    dlqd: countLetters(letters),
  });
  return { load, books, letters };
}

/** The work happened: at least `1 - maxRefusedShare` of the orders sent were accepted. */
function expectLoad(load: LoadResult, maxRefusedShare: number): void {
  expect(load.accepted.length + load.refused).toBe(SENT);
  expect(load.refused).toBeLessThanOrEqual(Math.floor(SENT * maxRefusedShare));
  expect(load.accepted.length).toBeGreaterThanOrEqual(Math.ceil(SENT * (1 - maxRefusedShare)));
}

function expectBalanced(books: Books): void {
  expect(books.final).toBe(everyOrder.length);
  expect(books.lost).toEqual([]);
  expect(books.duplicated).toEqual([]);
  expect(books.incomplete).toEqual([]);
  expect(books.stockMismatches).toEqual([]);
}

const noLetters = (): Record<QueueId, DeadLetterBody[]> =>
  Object.fromEntries((Object.keys(queues) as QueueId[]).map((q) => [q, []])) as unknown as Record<
    QueueId,
    DeadLetterBody[]
  >;

describe('pipeline under faults', () => {
  it('survives kill -9 of the Kafka broker mid-load and its restart', async () => {
    let pids = { pidBefore: 0, pidAfter: 0 };
    const { load, books, letters } = await scenario('kill -9 Kafka broker', async () => {
      pids = await killBroker();
      return `pid ${pids.pidBefore} killed, ${pids.pidAfter} started`;
    });
    expectLoad(load, 0.05); // the API does not touch Kafka: only a slow machine refuses
    expect(pids.pidAfter).not.toBe(pids.pidBefore);
    expectBalanced(books);
    expect(letters).toEqual(noLetters());
  });

  it('redelivers after a consumer fails mid-batch with some effects done', async () => {
    let injected = 0;
    const { load, books, letters } = await scenario('consumer fails mid-batch', async () => {
      // inventory's and payment's transactions write their own tables (the orders table only for the outbox).
      const mine = [pipeline.names.table('inventory'), pipeline.names.table('payments')].map((t) => `"${t}"`);
      const rule = everyNth(3, (c) => c.operation === 'TransactWriteItems' && mine.some((t) => c.body.includes(t)));
      injected = await throttleDynamoDb(proxy, 4000, rule);
      return `${injected} inventory/payment transactions throttled in 4 s`;
    });
    expectLoad(load, 0.05); // order-api's calls are not throttled
    expect(injected).toBeGreaterThanOrEqual(3);
    expectBalanced(books);
    expect(letters).toEqual(noLetters());
  });

  it('redelivers after consumer execution environments are killed mid-batch', async () => {
    let killed = 0;
    const { load, books, letters } = await scenario('consumer killed mid-batch', async () => {
      // Polled every 10 ms: with batching windows of 0 an invocation lasts milliseconds, and a 400 ms poll
      // on an idle machine can miss every one. At most 6 kills, well inside the mappings' retries.
      killed = await killEnvironments(pipeline, ['inventory', 'payment', 'order-view'], 4000, 10, 6);
      return `${killed} busy inventory/payment/order-view environments killed in 4 s`;
    });
    expectLoad(load, 0.05);
    expect(killed).toBeGreaterThanOrEqual(2);
    expectBalanced(books);
    expect(letters).toEqual(noLetters());
  });

  it('drains the outbox backlog in order after the relay failed for a while', async () => {
    let refused = 0;
    const { load, books, letters } = await scenario('relay failing', async () => {
      refused = await relay.outage(3000);
      return `${refused} relay invocations failed in 3 s`;
    });
    expectLoad(load, 0.05);
    expect(refused).toBeGreaterThanOrEqual(3);
    expectBalanced(books);
    expect(letters).toEqual(noLetters());
    // Every order's events reached each topic in causal order (per key, as a partition's consumer sees them).
    const { violations, checked } = await causalOrderViolations(pipeline, new Set(load.accepted.map((o) => o.orderId)));
    expect(checked).toBeGreaterThanOrEqual(load.accepted.length * 3); // a REJECTED order has 3 events, others more
    expect(violations).toEqual([]);
  });

  it('retries through DynamoDB throttling without duplicates', async () => {
    let injected = 0;
    const { load, books, letters } = await scenario('DynamoDB throttled', async () => {
      injected = await throttleDynamoDb(
        proxy,
        5000,
        (() => {
          let n = 0;
          return () => ++n % 10 < 3; // 30 % of every call
        })(),
      );
      return `${injected} DynamoDB calls throttled in 5 s (30 %)`;
    });
    // The SDK retries a throttled call 3 times, so few POSTs fail; bound: a quarter of those sent in the window.
    expectLoad(load, 0.25);
    expect(injected).toBeGreaterThanOrEqual(20);
    expectBalanced(books);
    expect(letters).toEqual(noLetters());
  });

  it('dead-letters a poison record in every topic once while partitions keep flowing', async () => {
    const { load, books, letters } = await scenario('poison record per topic', async () => {
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
      return 'one non-JSON record on each of 4 topics';
    });
    expectLoad(load, 0.05);
    expectBalanced(books);
    // Each consumer of each topic dead-letters that topic's poison record exactly once, with its reason,
    // and nothing else is in any DLQ.
    const expected: Record<QueueId, string[]> = {
      'outbox-relay-dlq': [],
      'inventory-dlq': ['orders', 'payments'],
      'payment-dlq': ['inventory', 'orders'], // payment ← orders: OrderExpired (voids an authorisation)
      'notification-dlq': ['inventory', 'payments'],
      'order-view-dlq': ['inventory', 'notifications', 'orders', 'payments'],
    };
    for (const [q, fromTopics] of Object.entries(expected) as [QueueId, string[]][]) {
      const got = letters[q].map((l) => {
        expect(l.reason).toBe('MALFORMED_JSON');
        return String((l.source as { topic: string }).topic);
      });
      expect(got.sort()).toEqual(fromTopics.map((t) => pipeline.names.topic(t as TopicId)).sort());
    }
  });
});

function formatSummary(): string {
  const head = ['scenario', 'orders', 'refused', 'fault (evidence)', 'lost', 'duplicated', "DLQ'd"];
  const rows = summary.map((s) => [
    s.scenario,
    String(s.orders),
    String(s.refused),
    s.fault,
    String(s.lost),
    String(s.duplicated),
    String(s.dlqd),
  ]);
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
