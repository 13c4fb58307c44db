/**
 * Benchmark: the whole local pipeline at a fixed rate of orders. Prints progress while it runs, then the
 * sustained completion rate, POST → final status latency (p50/p95/p99), and DynamoDB item writes per
 * completed order broken down by function (each function talks to DynamoDB through its own counting
 * proxy). Needs the local backends (npm run backends:start). Writes reports/bench/e2e-<rate>-per-s.json.
 * Run: npm run bench -- e2e      (BENCH_RATE orders/s, default 25; BENCH_SECONDS, default 30)
 */
import { BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { FINAL_STATUSES } from '../functions/order-view/status';
import { dynamoDb } from '../functions/shared/aws-clients';
import { type FunctionId, functions } from '../lib/topology';
import { startPipeline } from '../localstack/runner/pipeline';
import { type FaultProxy, startFaultProxy } from '../test/support/dynamodb-fault-proxy';
import { useLocalBackends } from '../test/support/isolated-resources';
import { runLoad } from '../test/support/load';
import { uniqueName } from '../test/support/unique-name';
import { writeReport } from './report';

const RATE = Number(process.env.BENCH_RATE ?? 25);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function main(): Promise<void> {
  useLocalBackends();
  const upstream = String(process.env.AWS_ENDPOINT_URL_DYNAMODB);
  const proxies = new Map<FunctionId, FaultProxy>();
  for (const fn of Object.keys(functions) as FunctionId[]) proxies.set(fn, await startFaultProxy(upstream));
  const pipeline = await startPipeline({
    prefix: `${uniqueName('bench')}-`,
    apiPort: 0,
    functionEnv: (fn) => ({
      AWS_ENDPOINT_URL_DYNAMODB: String(proxies.get(fn)?.url),
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
    }),
  });
  try {
    // Warm up: one order through every function, so cold starts are not in the figures.
    const warm = await runLoad(pipeline.apiUrl, { rate: 5, durationMs: 1000 });
    await watchUntilFinal(pipeline.names.table('orders'), warm.sentAt, 60_000, () => true);
    // Settled, not just final: the warm-up's last events (NotificationSent) are not counted below.
    await pipeline.idle(60_000);
    const baseline = new Map([...proxies].map(([fn, p]) => [fn, total(p.writes())]));

    console.log(`e2e: ${RATE} orders/s for ${SECONDS} s against ${pipeline.apiUrl}`);
    const started = Date.now();
    // Final statuses are watched while the load runs: latency is first-seen-final minus time sent.
    const sentAt = new Map<string, number>();
    let loadFinished = false;
    const loadDone = runLoad(pipeline.apiUrl, { rate: RATE, durationMs: SECONDS * 1000, sentAt }).finally(() => {
      loadFinished = true;
    });
    const watching = watchUntilFinal(
      pipeline.names.table('orders'),
      sentAt,
      SECONDS * 1000 + 120_000,
      () => loadFinished,
    );
    const { accepted, refused } = await loadDone;
    console.log(`\n  load done: ${accepted.length} accepted, ${refused} refused; waiting for the last final statuses…`);
    const finals = await watching;
    const elapsed = (Math.max(...finals.values()) - started) / 1000;
    // Writes are counted once the pipeline has settled: the last orders' NotificationSent still flows.
    await pipeline.idle(60_000);

    const latencies = [...finals].map(([id, at]) => at - (sentAt.get(id) ?? at)).sort((a, b) => a - b);
    const writes = Object.fromEntries(
      [...proxies].map(([fn, p]) => [
        fn,
        Number(((total(p.writes()) - (baseline.get(fn) ?? 0)) / Math.max(1, finals.size)).toFixed(2)),
      ]),
    );
    const perOrder = Object.values(writes).reduce((a, b) => a + b, 0);
    const figures = {
      rateTarget: RATE,
      seconds: SECONDS,
      accepted: accepted.length,
      refused,
      completed: finals.size,
      sustainedOrdersPerSecond: Number((finals.size / elapsed).toFixed(1)),
      latencyMs: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        max: latencies.at(-1),
      },
      dynamoDbItemWritesPerOrder: { total: Number(perOrder.toFixed(2)), byFunction: writes },
    };
    console.log(JSON.stringify(figures, null, 2));
    await writeReport(`e2e-${RATE}-per-s`, figures);
  } finally {
    await pipeline.stop();
    for (const p of proxies.values()) await p.close();
  }
}

const total = (w: Record<string, number>) => Object.values(w).reduce((a, b) => a + b, 0);

/** Polls the orders (100 per BatchGetItem) every 100 ms, during and after the load; when each was first seen final. */
async function watchUntilFinal(
  table: string,
  sentAt: ReadonlyMap<string, number>,
  timeoutMs: number,
  loadFinished: () => boolean,
): Promise<Map<string, number>> {
  const finalAt = new Map<string, number>();
  const deadline = Date.now() + timeoutMs;
  while ((!loadFinished() || finalAt.size < sentAt.size) && Date.now() < deadline) {
    const pending = [...sentAt.keys()].filter((id) => !finalAt.has(id));
    for (let i = 0; i < pending.length; i += 100) {
      const keys = pending.slice(i, i + 100).map((id) => marshall({ pk: `ORDER#${id}`, sk: 'ORDER' }));
      const out = await dynamoDb().send(
        new BatchGetItemCommand({
          RequestItems: {
            [table]: { Keys: keys, ProjectionExpression: 'orderId, #s', ExpressionAttributeNames: { '#s': 'status' } },
          },
        }),
      );
      const now = Date.now();
      for (const item of out.Responses?.[table] ?? []) {
        const { orderId, status } = unmarshall(item);
        if ((FINAL_STATUSES as readonly string[]).includes(status)) finalAt.set(orderId, now);
      }
    }
    process.stdout.write(`\r  accepted ${sentAt.size}, final ${finalAt.size}   `);
    await new Promise((r) => setTimeout(r, 100));
  }
  process.stdout.write('\n');
  return finalAt;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
