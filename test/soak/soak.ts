/**
 * `npm run soak -- --orders N [--rate R] [--faults ...]`: the whole local pipeline (an isolated, prefixed
 * copy on the local servers) takes N orders at a steady rate while a fault is injected about every
 * minute (broker kill -9, busy environments killed, DynamoDB throttled through the fault proxy, relay
 * outage), then waits for every accepted order to settle and checks the books. Writes the figures to
 * reports/soak.json and exits 1 on any lost or duplicated order. Not part of `npm test` (long, and it
 * kills the broker); test/soak/soak.e2e.test.ts runs it with a handful of orders.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type BackendId, startBackends, stopBackends } from '../../localstack/backends';
import { clientConfig } from '../../localstack/runner/endpoints';
import { applyBackendEnv } from '../support/backends';
import { checkBooks } from '../support/books';
import { functionOutage, startPipelineBehindFaultProxy } from '../support/faults';
import { runLoad } from '../support/load';
import { countLetters, deadLetters } from '../support/pipeline-inspect';
import { parseSoakArgs, type SoakOptions, USAGE, UsageError } from './args';
import { runFaultSchedule } from './fault-schedule';
import { waitUntilSettled } from './settle';

export interface SoakReport {
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly options: SoakOptions;
  readonly orders: {
    readonly sent: number;
    readonly accepted: number;
    readonly refused: number;
    /** Orders posted more than once (same Idempotency-Key) before a definite answer. */
    readonly retried: number;
    /** In the table but never acknowledged to the client (test/support/books.ts). */
    readonly unacknowledged: number;
  };
  readonly faults: { readonly count: number; readonly failedToInject: number; readonly list: unknown[] };
  readonly lost: number;
  readonly duplicated: number;
  readonly incomplete: number;
  readonly stockMismatches: number;
  /** Orders ended by the saga's expiry deadline (status EXPIRED), once that exists. */
  readonly expired: number;
  readonly dlqd: number;
  readonly byStatus: Readonly<Record<string, number>>;
  /** The first few order ids of each problem, to start an investigation from. */
  readonly samples: Readonly<Record<string, readonly string[]>>;
}

const initialStock = (): Map<string, number> =>
  new Map(Array.from({ length: 100 }, (_, i) => [`SKU-BULK-${String(i).padStart(3, '0')}`, 1_000_000] as const));

export async function soak(options: SoakOptions, log: (line: string) => void = console.log): Promise<SoakReport> {
  const t0 = Date.now();
  applyBackendEnv();
  const backends = await startBackends({ log: (l) => log(`backends: ${l}`) });
  const started: readonly BackendId[] = backends.started;
  Object.assign(process.env, backends.env);
  const relay = functionOutage('outbox-relay');
  const { pipeline, proxy } = await startPipelineBehindFaultProxy('soak', {
    intercept: relay.intercept,
    log: () => undefined,
  });
  try {
    log(
      `soak: ${options.orders} orders at ${options.rate}/s, faults ${options.faults.join(', ')} every ${options.faultEverySeconds} s`,
    );
    let loadDone = false;
    const faulting = runFaultSchedule(
      options.faults,
      options.faultEverySeconds * 1000,
      { pipeline, proxy, relay },
      () => loadDone,
      log,
    );
    const load = await runLoad(pipeline.apiUrl, {
      rate: options.rate,
      durationMs: (options.orders / options.rate) * 1000,
      rejectedShare: 0.1,
      cancelledShare: 0.1,
      onProgress: (sent, accepted) => {
        if (sent % Math.max(1, Math.round(options.rate * 30)) === 0) log(`load: ${sent} sent, ${accepted} accepted`);
      },
    }).finally(() => {
      loadDone = true;
    });
    const faults = await faulting;
    log(`load done: ${load.accepted.length} accepted, ${load.refused} refused; waiting for every order to settle`);
    const unsettled = await waitUntilSettled(
      pipeline.apiUrl,
      load.accepted.map((o) => o.orderId),
      options.settleSeconds * 1000,
    );
    await pipeline.idle(60_000).catch(() => undefined);
    log(`settled (${unsettled.length} not); checking the books`);
    const books = await checkBooks(pipeline.names.table, load.accepted, initialStock());
    const sqs = new SQSClient(clientConfig(pipeline.endpoints, pipeline.endpoints.sqs));
    const letters = await deadLetters(sqs, pipeline);
    return {
      startedAt: new Date(t0).toISOString(),
      durationSeconds: Math.round((Date.now() - t0) / 1000),
      options,
      orders: {
        sent: load.accepted.length + load.refused,
        accepted: load.accepted.length,
        refused: load.refused,
        retried: load.retried,
        unacknowledged: books.unacknowledged.length,
      },
      faults: { count: faults.length, failedToInject: faults.filter((f) => f.error).length, list: faults },
      lost: books.lost.length,
      duplicated: books.duplicated.length,
      incomplete: books.incomplete.length,
      stockMismatches: books.stockMismatches.length,
      expired: books.byStatus.EXPIRED ?? 0,
      dlqd: countLetters(letters),
      byStatus: books.byStatus,
      samples: {
        lost: books.lost.slice(0, 5),
        duplicated: books.duplicated.slice(0, 5),
        incomplete: books.incomplete.slice(0, 5),
        stockMismatches: books.stockMismatches.slice(0, 5),
        unacknowledged: books.unacknowledged.slice(0, 5),
      },
    };
  } finally {
    await pipeline.stop();
    await proxy.close();
    if (started.length > 0) await stopBackends({ only: started });
  }
}

export function writeReport(report: SoakReport, file: string): string {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

async function main(): Promise<number> {
  let options: SoakOptions;
  try {
    options = parseSoakArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n${USAGE}`);
    return 2;
  }
  const report = await soak(options);
  const path = writeReport(report, options.out);
  const { orders, faults, lost, duplicated, expired, dlqd, durationSeconds } = report;
  console.log(
    `soak: ${orders.accepted}/${orders.sent} orders accepted, ${faults.count} faults, ${lost} lost, ${duplicated} duplicated, ` +
      `${expired} expired, ${dlqd} DLQ'd, ${durationSeconds} s → ${path}`,
  );
  const clean =
    lost === 0 &&
    duplicated === 0 &&
    report.incomplete === 0 &&
    report.stockMismatches === 0 &&
    orders.unacknowledged === 0;
  return clean ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(2);
    },
  );
}
