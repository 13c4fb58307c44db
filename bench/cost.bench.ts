/**
 * Cost per million orders in AWS, computed from what the e2e benchmark measured (reports/bench/
 * e2e-<rate>-per-s.json: writes and reads by operation, invocations and their durations, Kafka bytes)
 * with the list prices below. Prints the table and writes reports/bench/cost.json.
 * Run: npm run bench -- cost   (BENCH_RATE picks the e2e report, default the e2e benchmark's rate in
 * bench/sizes.ts; run the e2e benchmark first)
 */
import { readFile } from 'node:fs/promises';
import { functions } from '../lib/topology';
import { repoPath, reportFile, writeReport } from './report';
import { e2eRate } from './sizes';

/** Assumed us-east-1 list prices (mid-2025, as the README's idle-cost table; verify before relying on them). */
const PRICE = {
  /** DynamoDB on demand, per million write / read request units. */
  writeRequestUnits: 0.625,
  readRequestUnits: 0.125,
  /** Lambda arm64 (lib/services/pipeline-function.ts): per million requests, per GB-second. */
  lambdaRequests: 0.2,
  lambdaGbSecond: 0.0000133334,
  /** API Gateway REST API, per million requests (first 333 M). */
  apiRequests: 3.5,
  /** MSK storage per GB-month; each byte kept 3 times (replication) for the topics' 7-day retention. */
  mskStorageGbMonth: 0.1,
} as const;

/** Request units per item: transactional writes cost 2 WRUs per item, a standard write 1 (items ≤ 1 KB);
 * a strongly consistent read 1 RRU (items ≤ 4 KB). A failed conditional write still costs its units.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html (capacity for
 * transactions), https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html */
const WRU_PER_ITEM: Record<string, number> = { TransactWriteItems: 2, PutItem: 1, UpdateItem: 1, DeleteItem: 1 };
const RRU_PER_READ: Record<string, number> = { GetItem: 1, Query: 1, BatchGetItem: 1, TransactGetItems: 2 };
const REPLICAS = 3;
const RETENTION_MONTHS = 7 / 30;

interface CountsByFunction {
  readonly byFunction: Record<string, { byOperation: Record<string, number> }>;
}
interface E2eFigures {
  readonly dynamoDbItemWritesPerOrder: CountsByFunction & { total: number };
  readonly dynamoDbReadsPerOrder: CountsByFunction & { total: number };
  readonly lambdaInvocations: Record<string, { perOrder: number; meanMs: number }>;
  readonly kafkaBytesPerOrder: { bytes: number };
}

const units = (counts: CountsByFunction, per: Record<string, number>) =>
  Object.values(counts.byFunction).reduce(
    (sum, f) => sum + Object.entries(f.byOperation).reduce((s, [op, n]) => s + n * (per[op] ?? 1), 0),
    0,
  );

async function main(): Promise<void> {
  const rate = e2eRate();
  // The e2e report of the same mode: a smoke's cost comes from the smoke's e2e run.
  const file = reportFile(`e2e-${rate}-per-s`);
  const e2e = JSON.parse(await readFile(file, 'utf8')) as { measuredAt: string; figures: E2eFigures };
  const f = e2e.figures;
  const million = 1e6;
  const wru = units(f.dynamoDbItemWritesPerOrder, WRU_PER_ITEM);
  const rru = units(f.dynamoDbReadsPerOrder, RRU_PER_READ);
  let invocations = 0;
  let gbSeconds = 0;
  for (const [fn, s] of Object.entries(f.lambdaInvocations)) {
    if (fn === 'reconciler') continue; // on a timer, not per order (in the idle cost)
    const memoryGb = (functions[fn as keyof typeof functions]?.memoryMb ?? 512) / 1024;
    invocations += s.perOrder;
    gbSeconds += s.perOrder * (s.meanMs / 1000) * memoryGb;
  }
  const gb = (f.kafkaBytesPerOrder.bytes * million) / 1e9;
  const lines = {
    dynamoDbWrites: { perOrder: `${wru.toFixed(1)} WRU`, usdPerMillionOrders: wru * PRICE.writeRequestUnits },
    dynamoDbReads: { perOrder: `${rru.toFixed(1)} RRU`, usdPerMillionOrders: rru * PRICE.readRequestUnits },
    dynamoDbStreamReads: { perOrder: 'free for Lambda triggers', usdPerMillionOrders: 0 },
    lambdaRequests: {
      perOrder: `${invocations.toFixed(2)} invocations`,
      usdPerMillionOrders: invocations * PRICE.lambdaRequests,
    },
    lambdaDuration: {
      perOrder: `${gbSeconds.toFixed(3)} GB-s (local wall time: an upper bound)`,
      usdPerMillionOrders: gbSeconds * million * PRICE.lambdaGbSecond,
    },
    apiGateway: { perOrder: '1 request', usdPerMillionOrders: PRICE.apiRequests },
    kafkaStorage: {
      perOrder: `${f.kafkaBytesPerOrder.bytes.toFixed(0)} B × ${REPLICAS} replicas, 7 days`,
      usdPerMillionOrders: gb * REPLICAS * RETENTION_MONTHS * PRICE.mskStorageGbMonth,
    },
  };
  const total = Object.values(lines).reduce((s, l) => s + l.usdPerMillionOrders, 0);
  const figures = {
    source: { report: repoPath(file), measuredAt: e2e.measuredAt },
    prices: PRICE,
    lines: Object.fromEntries(
      Object.entries(lines).map(([k, l]) => [
        k,
        { ...l, usdPerMillionOrders: Number(l.usdPerMillionOrders.toFixed(2)) },
      ]),
    ),
    totalUsdPerMillionOrders: Number(total.toFixed(2)),
    notIncluded: 'broker hours, endpoints, pollers (fixed: the idle cost), CloudWatch Logs, data transfer',
  };
  console.log(JSON.stringify(figures, null, 2));
  await writeReport('cost', figures);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
