/**
 * Faults that outlast every retry (docs/design.md "Deadlines and reconciliation"): no operator runs
 * anything; the reconciler (timer twin, short test deadlines) re-drives stalled orders and expires
 * those it cannot finish. Each scenario asserts that orders were accepted and that the fault really
 * outlasted the retries (failure records in the on-failure queue, the broker pid changed), then that
 * every order is final, stock is exact, nothing happened twice. The last scenario is issue 12's
 * done-when: the broker down for five minutes.
 */
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { FINAL_STATUSES, type OrderStatus } from '../../functions/order-view/status';
import type { QueueId } from '../../lib/topology';
import { backendStatus, startBackends } from '../../localstack/backends';
import { clientConfig } from '../../localstack/runner/endpoints';
import type { InvocationRecord } from '../../localstack/runner/lambda/invocation-log';
import type { LambdaError } from '../../localstack/runner/lambda/protocol';
import type { Pipeline } from '../../localstack/runner/pipeline';
import { type AcceptedOrder, checkBooks } from '../support/books';
import type { FaultProxy } from '../support/dynamodb-fault-proxy';
import { auditExpired } from '../support/expiry-audit';
import { startPipelineBehindFaultProxy } from '../support/faults';
import { useLocalBackends } from '../support/isolated-resources';
import { runLoad } from '../support/load';
import { getOrder } from '../support/pipeline-client';

jest.setTimeout(600_000);

/** Short deadlines: re-drive after 5 s without progress, expire after 60 s, reconcile every 2 s. */
const DEADLINES = { redriveAfterSeconds: 5, expireAfterSeconds: 60, reconcileEverySeconds: 2 };

let pipeline: Pipeline;
let proxy: FaultProxy;
let sqs: SQSClient;
let inventoryDownUntil = 0;
const invocations: InvocationRecord[] = [];
const everyOrder: AcceptedOrder[] = [];
/** Final status of every order of every scenario so far (the books are cumulative). */
const finalStatus = new Map<string, string>();

beforeAll(async () => {
  useLocalBackends();
  ({ pipeline, proxy } = await startPipelineBehindFaultProxy('outage', {
    sagaDeadlines: DEADLINES,
    retryBackoff: { baseMs: 50, capMs: 200 },
    invocationLog: (r) => invocations.push(r),
    intercept: (fn): LambdaError | undefined =>
      fn === 'inventory' && Date.now() < inventoryDownUntil
        ? { errorType: 'Error', errorMessage: 'injected: inventory down' }
        : undefined,
  }));
  sqs = new SQSClient(clientConfig(pipeline.endpoints, pipeline.endpoints.sqs));
}, 180_000);

afterAll(async () => {
  await pipeline?.stop();
  await proxy?.close();
});

const initialStock = (): Map<string, number> =>
  new Map(Array.from({ length: 100 }, (_, i) => [`SKU-BULK-${String(i).padStart(3, '0')}`, 1_000_000] as const));

async function placeLoad(seconds: number): Promise<AcceptedOrder[]> {
  const { accepted } = await runLoad(pipeline.apiUrl, { rate: 2, durationMs: seconds * 1000, cancelledShare: 0.2 });
  everyOrder.push(...accepted);
  return accepted;
}

/** Polls until every order is final and settled (an EXPIRED one: out of the open-orders index). */
async function waitSettled(orders: readonly AcceptedOrder[], timeoutMs: number): Promise<Map<string, string>> {
  const deadline = Date.now() + timeoutMs;
  const status = new Map<string, string>();
  for (const o of orders) {
    for (;;) {
      const view = await getOrder(pipeline.apiUrl, o.orderId);
      const s = view?.status ?? 'MISSING';
      const settled =
        FINAL_STATUSES.includes(s as OrderStatus) &&
        (s === 'EXPIRED'
          ? (await auditExpired(pipeline.names.table, o.orderId)).length === 0
          : view?.history.some((h) => h.eventType === 'NotificationSent'));
      if (settled || Date.now() > deadline) {
        status.set(o.orderId, s);
        finalStatus.set(o.orderId, s);
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  await pipeline.idle(60_000);
  return status;
}

/** Every order final, each effect once, stock exact over all orders so far (expired ones took nothing). */
async function expectBooksBalanced(): Promise<void> {
  const expired = everyOrder.filter((o) => finalStatus.get(o.orderId) === 'EXPIRED');
  const others = everyOrder.filter((o) => finalStatus.get(o.orderId) !== 'EXPIRED');
  const books = await checkBooks(pipeline.names.table, others, initialStock());
  expect(books.lost).toEqual([]);
  expect(books.duplicated).toEqual([]);
  expect(books.incomplete).toEqual([]);
  expect(books.stockMismatches).toEqual([]);
  const problems = await Promise.all(
    expired.map(async (o) => ({ orderId: o.orderId, problems: await auditExpired(pipeline.names.table, o.orderId) })),
  );
  expect(problems.filter((p) => p.problems.length > 0)).toEqual([]);
}

async function queueDepth(q: QueueId): Promise<number> {
  const seen = new Set<string>();
  for (let i = 0; i < 10; i++) {
    const res = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: pipeline.names.queueUrl(q),
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
      }),
    );
    const before = seen.size;
    for (const m of res.Messages ?? []) seen.add(String(m.MessageId));
    if (seen.size === before) break;
  }
  return seen.size;
}

const redriven = async (orders: readonly AcceptedOrder[]) => {
  const views = await Promise.all(orders.map((o) => getOrder(pipeline.apiUrl, o.orderId)));
  return views.filter((v) => v?.history.some((h) => h.eventType === 'OrderRedriven')).length;
};

describe('faults longer than every retry end without an operator', () => {
  it('payment writes failing longer than the mapping retries: the batch is given up, the reconciler re-drives it', async () => {
    const before = await queueDepth('payment-dlq');
    const mine = `"${pipeline.names.table('payments')}"`;
    proxy.setRule((call) => call.operation === 'TransactWriteItems' && call.body.includes(mine));
    const orders = await placeLoad(5);
    expect(orders.length).toBeGreaterThanOrEqual(8);
    // Until the mapping has given up on the payment batches (its failure records are in the queue).
    const until = Date.now() + 120_000;
    while ((await queueDepth('payment-dlq')) === before && Date.now() < until)
      await new Promise((r) => setTimeout(r, 1000));
    proxy.setRule(() => false);
    expect(proxy.injected()).toBeGreaterThan(0);
    expect(await queueDepth('payment-dlq')).toBeGreaterThan(before);
    const status = await waitSettled(orders, 120_000);
    // Orders whose payment was given up on are re-driven; one stalled past the expiry deadline ends EXPIRED.
    for (const o of orders) expect(FINAL_STATUSES).toContain(status.get(o.orderId));
    expect(await redriven(orders)).toBeGreaterThan(0);
    await expectBooksBalanced();
  });

  it('inventory down until after the expiry deadline: orders expire, nothing is reserved or authorised', async () => {
    const before = await queueDepth('inventory-dlq');
    inventoryDownUntil = Date.now() + (DEADLINES.expireAfterSeconds + 15) * 1000;
    const orders = await placeLoad(5);
    expect(orders.length).toBeGreaterThanOrEqual(8);
    while (Date.now() < inventoryDownUntil) await new Promise((r) => setTimeout(r, 1000));
    expect(invocations.filter((r) => r.function.endsWith('inventory') && r.injected).length).toBeGreaterThan(0);
    expect(await queueDepth('inventory-dlq')).toBeGreaterThan(before);
    const status = await waitSettled(orders, 120_000);
    expect([...status.values()]).toEqual(orders.map(() => 'EXPIRED'));
    await expectBooksBalanced();
  });

  it('broker down for five minutes: every order posted during the outage reaches a final status after it, stock exact', async () => {
    const kafka = (await backendStatus()).find((s) => s.id === 'kafka');
    if (!kafka?.pid) throw new Error('the Kafka broker is not one this checkout started: cannot stop it');
    const relayFailuresBefore = invocations.filter(
      (r) => r.function.endsWith('outbox-relay') && r.outcome !== 'ok',
    ).length;
    process.kill(kafka.pid, 'SIGKILL');
    const downAt = Date.now();
    const OUTAGE_MS = 5 * 60_000;
    // Early orders outlive the expiry deadline during the outage; late ones are re-driven after it.
    const early = await placeLoad(5);
    await new Promise((r) => setTimeout(r, Math.max(0, downAt + OUTAGE_MS - 25_000 - Date.now())));
    const late = await placeLoad(5);
    await new Promise((r) => setTimeout(r, Math.max(0, downAt + OUTAGE_MS - Date.now())));
    expect(early.length + late.length).toBeGreaterThanOrEqual(16);
    const relayFailures =
      invocations.filter((r) => r.function.endsWith('outbox-relay') && r.outcome !== 'ok').length - relayFailuresBefore;
    expect(relayFailures).toBeGreaterThan(0);
    await startBackends();
    const restarted = (await backendStatus()).find((s) => s.id === 'kafka');
    expect(restarted?.pid).toBeDefined();
    expect(restarted?.pid).not.toBe(kafka.pid);
    const status = await waitSettled([...early, ...late], 240_000);
    for (const o of [...early, ...late]) expect(FINAL_STATUSES).toContain(status.get(o.orderId));
    expect(early.every((o) => status.get(o.orderId) === 'EXPIRED')).toBe(true);
    expect(await redriven(late)).toBeGreaterThan(0);
    await expectBooksBalanced();
  });
});
