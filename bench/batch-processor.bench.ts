/**
 * Benchmark: sequential per-record processing vs per-key ordered concurrency, on 1,000 records over
 * 100 keys, each record going through Powertools idempotency and one DynamoDB update
 * against DynamoDB Local (the real round trips a consumer makes). Prints records/s for both, the ratio
 * and whether the final state is identical. Needs DynamoDB Local (npm run backends:start).
 * Run: npm run bench -- batch   (or: npx tsx bench/batch-processor.bench.ts); sizes: bench/sizes.ts
 */

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  ScanCommand,
  UpdateItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamoDb } from '../functions/shared/aws-clients';
import { idempotentEventProcessor } from '../functions/shared/idempotency';
import { type KafkaRecordRef, processKafkaRecords } from '../functions/shared/kafka-batch-processor';
import { lambdaContext } from '../test/support/aws-events';
import { useLocalBackends } from '../test/support/isolated-resources';
import { cpuSampler } from './pipeline-stats';
import { writeReport } from './report';
import { sizesOf } from './sizes';
import { warmUpUntilSettled } from './warm-up';

const SIZES = sizesOf('batch');
const RECORDS = Number(process.env.BENCH_RECORDS ?? SIZES.records);
const KEYS = Number(process.env.BENCH_KEYS ?? SIZES.keys);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? SIZES.concurrency);
/** Modelled network round trips per DynamoDB call; 0 = DynamoDB Local as is. */
const LATENCIES_MS = (process.env.BENCH_LATENCIES_MS ?? SIZES.latenciesMs).split(',').map(Number);

interface CpuMsPerRecord {
  readonly client: number;
  readonly dynamoDbLocal: number;
}

interface BenchRecord extends KafkaRecordRef {
  readonly key: string;
  readonly eventId: string;
}

/** Records as Kafka would hold them: a key always on the same partition, offsets increasing per partition. */
function records(): BenchRecord[] {
  const out: BenchRecord[] = [];
  const nextOffset = new Map<number, number>();
  for (let i = 0; i < RECORDS; i++) {
    const keyIndex = i % KEYS;
    const partition = keyIndex % 6;
    const offset = nextOffset.get(partition) ?? 0;
    nextOffset.set(partition, offset + 1);
    out.push({ topic: 'orders', partition, offset, key: `order-${keyIndex}`, eventId: randomUUID() });
  }
  return out;
}

async function createTable(name: string, key: string): Promise<void> {
  await dynamoDb().send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
    }),
  );
  await waitUntilTableExists({ client: dynamoDb(), maxWaitTime: 30 }, { TableName: name });
}

/** One run: fresh tables, the processor with the given concurrency, the final per-key state. */
async function run(label: string, concurrency: number, input: BenchRecord[]) {
  const suffix = randomUUID().slice(0, 8);
  const idem = `bench-idem-${suffix}`;
  const state = `bench-state-${suffix}`;
  await Promise.all([createTable(idem, 'id'), createTable(state, 'pk')]);
  try {
    // The effect appends the record's offset to its key's list: the final lists prove per-key order.
    const processor = idempotentEventProcessor<BenchRecord>(
      async (r) => {
        await dynamoDb().send(
          new UpdateItemCommand({
            TableName: state,
            Key: marshall({ pk: r.key }),
            UpdateExpression: 'SET offsets = list_append(if_not_exists(offsets, :empty), :o)',
            ExpressionAttributeValues: marshall({ ':empty': [], ':o': [`${r.partition}:${r.offset}`] }),
          }),
        );
        return 'processed';
      },
      { tableName: idem, keyPrefix: 'bench' },
    );
    // As the consumer does per invocation: in-progress records expire with the invocation's time left.
    processor.registerLambdaContext(lambdaContext('bench', 15 * 60_000));
    const cpu = await cpuSampler();
    const started = process.hrtime.bigint();
    const { response, summary } = await processKafkaRecords(input, {
      keyOf: (r) => r.key,
      handle: (r) => processor.run(r),
      onPermanentFailure: async () => {},
      concurrency,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cores = cpu.stop();
    // CPU per record: cores used × seconds / records, for this process (processor, Powertools, SDK) and
    // for DynamoDB Local (its side of the same calls).
    const cpuMsPerRecord: CpuMsPerRecord = {
      client: Number((((cores.node ?? 0) * seconds * 1000) / input.length).toFixed(2)),
      dynamoDbLocal: Number((((cores.dynamodb ?? 0) * seconds * 1000) / input.length).toFixed(2)),
    };
    if (response.batchItemFailures.length > 0)
      throw new Error(`${label}: ${response.batchItemFailures.length} failures`);
    const items = (await dynamoDb().send(new ScanCommand({ TableName: state }))).Items ?? [];
    const finalState = Object.fromEntries(items.map((i) => unmarshall(i)).map((i) => [i.pk, i.offsets]));
    const rate = input.length / seconds;
    console.log(
      `${label.padEnd(28)} ${rate.toFixed(0).padStart(7)} records/s  (${seconds.toFixed(2)} s, processed ${summary.processed}; CPU per record ${cpuMsPerRecord.client} ms client, ${cpuMsPerRecord.dynamoDbLocal} ms DynamoDB Local)`,
    );
    return { rate, seconds, finalState, cpuMsPerRecord };
  } finally {
    await Promise.all([idem, state].map((t) => dynamoDb().send(new DeleteTableCommand({ TableName: t }))));
  }
}

/**
 * Several regimes: DynamoDB Local as is (every call costs CPU on this machine, where DynamoDB Local itself
 * runs, so both runs are CPU-bound and concurrency can only use the second core), and with a modelled
 * network round trip of N ms per call, as a Lambda in a region sees DynamoDB: latency-bound, which is
 * what per-key concurrency is for. The round trip is a wait inside the SDK client's middleware stack, so
 * modelling it costs no CPU (a proxy process would take CPU from the run it measures). Each regime runs in
 * its own process, so one regime's client setup never leaks into the next.
 */
async function main(): Promise<void> {
  useLocalBackends();
  if (process.env.BENCH_REGIME) return regime(process.env.BENCH_REGIME);
  const figures: Record<string, unknown> = { records: RECORDS, keys: KEYS, concurrency: CONCURRENCY };
  let identicalAll = true;
  for (const latencyMs of LATENCIES_MS) {
    const label = latencyMs > 0 ? `+${latencyMs} ms per call` : 'DynamoDB Local as is';
    console.log(`\nbatch processor: ${RECORDS} records over ${KEYS} keys, idempotency + 1 write each, ${label}`);
    const child = spawn(process.execPath, [...process.execArgv, __filename], {
      env: { ...process.env, BENCH_REGIME: label, BENCH_REGIME_LATENCY_MS: String(latencyMs) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    });
    await new Promise((r) => child.on('exit', r));
    const result = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { finalStateIdentical?: boolean };
    identicalAll &&= result.finalStateIdentical === true;
    figures[latencyMs > 0 ? `withLatency${latencyMs}ms` : 'dynamoDbLocal'] = result;
  }
  await writeReport('batch-processor', figures);
  if (!identicalAll) process.exitCode = 1;
}

/** One regime, in a child process: prints its lines and, last, its figures as one JSON line. */
async function regime(label: string): Promise<void> {
  const latencyMs = Number(process.env.BENCH_REGIME_LATENCY_MS ?? 0);
  if (latencyMs > 0) {
    dynamoDb().middlewareStack.add(
      (next) => async (args) => {
        await new Promise((r) => setTimeout(r, latencyMs));
        return next(args);
      },
      { step: 'finalizeRequest', name: 'modelledRoundTrip' },
    );
  }
  const warmUpRounds = await warmUp();
  const input = records();
  const sequential = await run('sequential (concurrency 1)', 1, input);
  const concurrent = await run(`per-key ordered (${CONCURRENCY})`, CONCURRENCY, input);
  const identical = JSON.stringify(sortKeys(sequential.finalState)) === JSON.stringify(sortKeys(concurrent.finalState));
  const ratio = concurrent.rate / sequential.rate;
  console.log(`${label}: ratio ${ratio.toFixed(1)}x (target >= 10x); final state identical: ${identical}`);
  console.log(
    JSON.stringify({
      sequentialRecordsPerSecond: Math.round(sequential.rate),
      concurrentRecordsPerSecond: Math.round(concurrent.rate),
      ratio: Number(ratio.toFixed(2)),
      finalStateIdentical: identical,
      warmUp: warmUpRounds,
      cpuMsPerRecord: { sequential: sequential.cpuMsPerRecord, concurrent: concurrent.cpuMsPerRecord },
    }),
  );
}

/**
 * Warm-up on throwaway tables until DynamoDB Local's CPU per record settles, so that both measured runs
 * see a warm JVM. A fixed short warm-up left DynamoDB Local's JIT compiling through the sequential run
 * and into the concurrent one (its CPU per record went 12.5 → 8.6 → 2.7 ms across warm-up, sequential and
 * concurrent runs, and 1.7 ms in a later regime's process), which measured the JIT, not the processor.
 * Rounds of `warmUpRecords` at the measured concurrency; settled when a round's CPU per record, the
 * client's and DynamoDB Local's, are each within 15 % of the round before's; at most `warmUpRounds`.
 */
async function warmUp(): Promise<{ rounds: number; cpuMsPerRecord: CpuMsPerRecord[] }> {
  const perRound = await warmUpUntilSettled(
    SIZES.warmUpRounds,
    async (round) =>
      (await run(`warm-up ${round} (not counted)`, CONCURRENCY, records().slice(0, SIZES.warmUpRecords)))
        .cpuMsPerRecord,
    (cpu) => [cpu.client, cpu.dynamoDbLocal],
  );
  return { rounds: perRound.length, cpuMsPerRecord: perRound };
}

const sortKeys = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
