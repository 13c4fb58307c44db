/**
 * After `npm run bench -- --smoke`: each benchmark's smoke reports exist, were written by this run, are
 * marked "mode": "smoke" and have every figure of the right shape (bench/report-shape.ts). No figure is
 * compared with a target or a threshold: a smoke on a shared machine proves the benchmark ran and
 * computed its figures, not how fast anything was.
 */
import { readFile } from 'node:fs/promises';
import { functions } from '../lib/topology';
import { repoPath, reportFile } from './report';
import {
  check,
  entries,
  equals,
  finite,
  finiteOrNull,
  flag,
  list,
  positive,
  type Shape,
  text,
  timeNotBefore,
} from './report-shape';
import { e2eRate, sizesOf } from './sizes';

const cpuCores: Shape = { node: finite, kafka: finiteOrNull, dynamodb: finiteOrNull, sqs: finiteOrNull };
// Cores by thread name; DynamoDB Local's split is empty when its process could not be read (as for cpuCores).
const cpuByThread: Shape = { node: entries(finite), dynamodb: entries(finite, 0) };

const batchRegime: Shape = {
  sequentialRecordsPerSecond: positive,
  concurrentRecordsPerSecond: positive,
  ratio: positive,
  // Not a speed: both runs must leave the same per-key state, or the processor broke ordering.
  finalStateIdentical: equals(true),
  cpuMsPerRecord: {
    sequential: { client: finite, dynamoDbLocal: finite },
    concurrent: { client: finite, dynamoDbLocal: finite },
  },
};

const initTime: Shape = { sizeKB: positive, initMs: positive, initMinMs: positive };

const countsPerOrder: Shape = {
  total: positive,
  // byOperation may be empty: a function that read nothing (the reconciler, in a short run).
  byFunction: entries({ total: finite, byOperation: entries(finite, 0) }),
};

const e2e: Shape = {
  rateTarget: positive,
  seconds: positive,
  accepted: positive,
  refused: finite,
  completed: positive,
  sustainedOrdersPerSecond: positive,
  latencyMs: { p50: positive, p95: positive, p99: positive, max: positive },
  dynamoDbItemWritesPerOrder: countsPerOrder,
  dynamoDbReadsPerOrder: countsPerOrder,
  lambdaInvocations: entries({
    invocations: positive,
    records: positive,
    meanMs: finite,
    p50Ms: finite,
    perOrder: positive,
  }),
  kafkaBytesPerOrder: { events: positive, bytes: positive },
  cpuCoresDuringLoad: cpuCores,
};

/** Per benchmark (the names of `npm run bench -- <name>`), the reports it writes and their figures' shape. */
export function smokeReports(): Record<string, Record<string, Shape>> {
  const e2eReport = `e2e-${e2eRate(true)}-per-s`;
  return {
    bundles: {
      bundles: {
        sizeTargetKB: positive,
        initTargetMs: positive,
        initOverFloorTarget: positive,
        runs: positive,
        functions: list(
          {
            function: text,
            ...initTime,
            withinTargets: flag,
            runtimeSdk: initTime,
            floor: { ...initTime, packages: list(text) },
            initOverFloor: positive,
          },
          sizesOf('bundles', true).functions?.length ?? Object.keys(functions).length,
        ),
      },
    },
    batch: {
      // The smoke's two regimes (bench/sizes.ts, batch.smoke.latenciesMs '0,5').
      'batch-processor': {
        records: positive,
        keys: positive,
        concurrency: positive,
        dynamoDbLocal: batchRegime,
        withLatency5ms: batchRegime,
      },
    },
    e2e: { [e2eReport]: e2e },
    capacity: {
      capacity: {
        capacity: {
          offeredRate: positive,
          seconds: positive,
          accepted: positive,
          refused: finite,
          final: positive,
          everyOrderFinal: equals(true),
          sustainedOrdersPerSecond: positive,
          cpuCores,
          cpuByThread,
        },
        floor: {
          orders: positive,
          seconds: finite,
          ordersPerSecond: positive,
          callsPerOrder: positive,
          // A replayed call that fails (after the SDK's retries) means the recorded template is wrong.
          errors: equals(0),
          retries: finite,
          concurrency: positive,
          cpuCores,
          cpuByThread,
        },
        template: { calls: positive, byOperation: entries(positive) },
        dynamoDbLocal: text,
        ratio: positive,
        targetRatio: positive,
        met: flag,
      },
    },
    profile: {
      [`${e2eReport}-profiled`]: e2e,
      profile: { profiles: positive, busySelfMs: positive, top: list({ group: text, selfMs: finite, share: finite }) },
    },
    cost: {
      cost: {
        // Computed from this smoke's e2e report, not from the full run's in reports/bench/.
        source: { report: equals(repoPath(reportFile(e2eReport, true))), measuredAt: text },
        prices: entries(positive),
        lines: entries({ perOrder: text, usdPerMillionOrders: finite }),
        totalUsdPerMillionOrders: positive,
        notIncluded: text,
      },
    },
  };
}

/** The problems of the smoke reports of `benches` (none: all written since `since`, of the right shape). */
export async function checkSmokeReports(benches: readonly string[], since: number): Promise<string[]> {
  const all = smokeReports();
  const problems: string[] = [];
  for (const bench of benches) {
    for (const [name, figures] of Object.entries(all[bench] ?? {})) {
      const file = reportFile(name, true);
      let report: unknown;
      try {
        report = JSON.parse(await readFile(file, 'utf8'));
      } catch (e) {
        problems.push(`${repoPath(file)}: ${e instanceof Error ? e.message : e}`);
        continue;
      }
      const envelope: Shape = {
        benchmark: equals(name),
        mode: equals('smoke'),
        measuredAt: timeNotBefore(since),
        machine: { cpus: positive, memoryGiB: finite, node: text },
        figures,
      };
      problems.push(...check(envelope, report).map((p) => `${repoPath(file)}: ${p}`));
    }
  }
  return problems;
}
