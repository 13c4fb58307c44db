/**
 * Benchmark: the whole local pipeline at a fixed rate of orders. Prints progress while it runs, then the
 * sustained completion rate, POST → final status latency (p50/p95/p99), DynamoDB item writes and reads
 * per completed order broken down by function and operation (each function talks to DynamoDB through its
 * own counting proxy), Lambda invocations and durations per order, Kafka bytes per order and the CPU split
 * (this process, DynamoDB Local, Kafka, ElasticMQ) over the load. Needs the local backends (npm run
 * backends:start). Writes reports/bench/e2e-<rate>-per-s.json.
 * Run: npm run bench -- e2e      (BENCH_RATE orders/s, default 5; BENCH_SECONDS, default 60; bench/sizes.ts)
 */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamoDb } from '../functions/shared/aws-clients';
import { type FunctionId, functions, OUTBOX_KEY_PREFIX } from '../lib/topology';
import { startPipeline } from '../localstack/runner/pipeline';
import { type FaultProxy, startFaultProxy } from '../test/support/dynamodb-fault-proxy';
import { useLocalBackends } from '../test/support/isolated-resources';
import { runLoad } from '../test/support/load';
import { uniqueName } from '../test/support/unique-name';
import { cpuSampler, invocationStats } from './pipeline-stats';
import { writeReport } from './report';
import { e2eRate, sizesOf } from './sizes';
import { watchUntilFinal } from './watch-final';

const RATE = e2eRate();
const SECONDS = Number(process.env.BENCH_SECONDS ?? sizesOf('e2e').seconds);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function main(): Promise<void> {
  useLocalBackends();
  const upstream = String(process.env.AWS_ENDPOINT_URL_DYNAMODB);
  const proxies = new Map<FunctionId, FaultProxy>();
  for (const fn of Object.keys(functions) as FunctionId[]) proxies.set(fn, await startFaultProxy(upstream));
  const invocations = invocationStats();
  const pipeline = await startPipeline({
    invocationLog: invocations.sink,
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
    const baseline = new Map([...proxies].map(([fn, p]) => [fn, { writes: p.writes(), reads: p.reads() }]));
    invocations.reset();
    const cpu = await cpuSampler();

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
    const cpuCores = cpu.stop();
    console.log(`\n  load done: ${accepted.length} accepted, ${refused} refused; waiting for the last final statuses…`);
    const finals = await watching;
    const elapsed = (Math.max(...finals.values()) - started) / 1000;
    // Writes are counted once the pipeline has settled: the last orders' NotificationSent still flows.
    await pipeline.idle(60_000);

    const latencies = [...finals].map(([id, at]) => at - (sentAt.get(id) ?? at)).sort((a, b) => a - b);
    const perOrder = (counts: (p: FaultProxy) => Record<string, number>, key: 'writes' | 'reads') =>
      countsPerOrder(proxies, counts, (fn) => baseline.get(fn)?.[key] ?? {}, finals.size);
    const writes = perOrder((p) => p.writes(), 'writes');
    const reads = perOrder((p) => p.reads(), 'reads');
    const idOf = new Map((Object.keys(functions) as FunctionId[]).map((fn) => [pipeline.names.functionName(fn), fn]));
    const byFunction = invocations.summary((name) => idOf.get(name) ?? name);
    const invocationsPerOrder = Object.fromEntries(
      Object.entries(byFunction).map(([fn, s]) => [
        fn,
        { ...s, perOrder: Number((s.invocations / Math.max(1, finals.size)).toFixed(2)) },
      ]),
    );
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
      dynamoDbItemWritesPerOrder: writes,
      dynamoDbReadsPerOrder: reads,
      lambdaInvocations: invocationsPerOrder,
      kafkaBytesPerOrder: await kafkaBytesPerOrder(pipeline.names.table('orders'), [...finals.keys()]),
      cpuCoresDuringLoad: cpuCores,
      batchingWindows: 'lib/topology.ts BATCHING_WINDOW (0 s on the saga path, 0.5 s off it)',
    };
    console.log(JSON.stringify(figures, null, 2));
    // A profiled run (bench/profile.bench.ts) is slower: it must not replace the e2e report.
    await writeReport(`e2e-${RATE}-per-s${process.env.BENCH_REPORT_SUFFIX ?? ''}`, figures);
  } finally {
    await pipeline.stop();
    for (const p of proxies.values()) await p.close();
  }
}

const total = (w: Record<string, number>) => Object.values(w).reduce((a, b) => a + b, 0);
const per = (n: number, orders: number) => Number((n / Math.max(1, orders)).toFixed(2));

/** Per function and operation, the count since the baseline divided by the orders completed. */
function countsPerOrder(
  proxies: ReadonlyMap<FunctionId, FaultProxy>,
  counts: (p: FaultProxy) => Record<string, number>,
  baseline: (fn: FunctionId) => Record<string, number>,
  orders: number,
) {
  const byFunction: Record<string, { total: number; byOperation: Record<string, number> }> = {};
  let all = 0;
  for (const [fn, proxy] of proxies) {
    const now = counts(proxy);
    const before = baseline(fn);
    const byOperation = Object.fromEntries(
      Object.entries(now).map(([op, n]) => [op, per(n - (before[op] ?? 0), orders)]),
    );
    const sum = total(now) - total(before);
    all += sum;
    byFunction[fn] = { total: per(sum, orders), byOperation };
  }
  return { total: per(all, orders), byFunction };
}

/** Bytes each completed order put on Kafka: key, value and headers of every event in its outbox. */
async function kafkaBytesPerOrder(table: string, orderIds: readonly string[]) {
  let bytes = 0;
  let events = 0;
  for (const orderId of orderIds) {
    const out = await dynamoDb().send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: marshall({ ':pk': `${OUTBOX_KEY_PREFIX}${orderId}` }),
      }),
    );
    for (const item of out.Items ?? []) {
      const { envelope, headers } = unmarshall(item) as { envelope: string; headers: Record<string, string> };
      events++;
      bytes += Buffer.byteLength(orderId) + Buffer.byteLength(envelope);
      for (const [k, v] of Object.entries(headers ?? {})) bytes += Buffer.byteLength(k) + Buffer.byteLength(v);
    }
  }
  return { events: per(events, orderIds.length), bytes: per(bytes, orderIds.length) };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
