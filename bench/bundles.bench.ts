/**
 * Benchmark: per function, the bundle size as CDK's NodejsFunction builds it (lib/bundling.ts: esbuild,
 * minified, node22, the AWS SDK bundled) and the module initialisation time (a cold-start proxy: a fresh
 * Node process requiring the bundle with the function's environment, median of several runs). Targets:
 * ≤ 250 KB and ≤ 60 ms. For comparison it also measures the alternative the stacks do not use: the SDK
 * left to the Lambda runtime's copy (here: this repository's node_modules), smaller but slower to load.
 * Cold-start floor (issue 13: init ≤ 1.15 × floor): per function, a bundle built the same way from an
 * entry that only imports the packages the function's bundle contains among the AWS SDK clients,
 * Powertools utilities and kafkajs (found in esbuild's metafile) and creates the clients; measured in
 * alternation with the others. Prints a table and writes reports/bench/bundles.json.
 * Run: npm run bench -- bundles
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { SCHEMA_VERSION_IDS_ENV, SchemaVersionIds } from '../functions/shared/schema-ids';
import { BUNDLE_EXTERNALS, BUNDLE_MAIN_FIELDS, BUNDLE_TARGET } from '../lib/bundling';
import { type FunctionId, functionEnvironment, functions } from '../lib/topology';
import { localRegistryName, registerSchemas } from '../localstack/runner/schema-registry-twin';
import { writeReport } from './report';
import { sizesOf } from './sizes';

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, '.local', 'bench-bundles');
const SIZES = sizesOf('bundles');
const RUNS = Number(process.env.BENCH_INIT_RUNS ?? SIZES.initRuns);
const FUNCTIONS = SIZES.functions ?? (Object.keys(functions) as FunctionId[]);
const SIZE_TARGET_KB = 250;
const INIT_TARGET_MS = 60;

type Variant = 'deployed' | 'runtime-sdk' | 'floor';
const INIT_FLOOR_RATIO = 1.15;

/** What the floor entry imports and creates for each package found in a function's bundle. */
const FLOOR_IMPORTS: Record<string, string> = {
  '@aws-sdk/client-dynamodb': "const { DynamoDBClient } = require('@aws-sdk/client-dynamodb'); new DynamoDBClient({});",
  '@aws-lambda-powertools/logger': "const { Logger } = require('@aws-lambda-powertools/logger'); new Logger();",
  '@aws-lambda-powertools/metrics': "const { Metrics } = require('@aws-lambda-powertools/metrics'); new Metrics();",
  '@aws-lambda-powertools/idempotency':
    "exports.i = require('@aws-lambda-powertools/idempotency').makeIdempotent; exports.p = require('@aws-lambda-powertools/idempotency/dynamodb').DynamoDBPersistenceLayer;",
  '@aws-lambda-powertools/kafka': "exports.k = require('@aws-lambda-powertools/kafka').kafkaConsumer;",
  // Every function traces (functions/shared/tracing.ts): the Tracer loads the X-Ray SDK at init in AWS.
  '@aws-lambda-powertools/tracer': "const { Tracer } = require('@aws-lambda-powertools/tracer'); new Tracer();",
  kafkajs: "const { Kafka } = require('kafkajs'); new Kafka({ brokers: ['127.0.0.1:9092'] });",
  'aws-msk-iam-sasl-signer-js': "exports.s = require('aws-msk-iam-sasl-signer-js').generateAuthToken;",
};

/** The floor entry for a function: the FLOOR_IMPORTS of the packages its deployed bundle contains. */
function floorEntry(fn: FunctionId, bundledInputs: readonly string[]): string {
  const lines = Object.entries(FLOOR_IMPORTS)
    .filter(([pkg]) => bundledInputs.some((i) => i.includes(`node_modules/${pkg}/`)))
    .map(([, line]) => line);
  const file = join(OUT, 'floor-entries', `${fn}.js`);
  mkdirSync(join(OUT, 'floor-entries'), { recursive: true });
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** The esbuild options NodejsFunction uses for our stacks, or the same with the SDK left external. */
async function bundle(fn: FunctionId, variant: Variant, entry = join(ROOT, functions[fn].entry)) {
  const outfile = join(OUT, variant, fn, 'index.js');
  const result = await build({
    metafile: true,
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    sourcemap: false, // the .map ships beside the bundle; the stacks do not enable it (no NODE_OPTIONS)
    platform: 'node',
    target: BUNDLE_TARGET,
    format: 'cjs',
    external: variant === 'runtime-sdk' ? [...BUNDLE_EXTERNALS, '@aws-sdk/*'] : [...BUNDLE_EXTERNALS],
    mainFields: [...BUNDLE_MAIN_FIELDS],
    logLevel: 'error',
  });
  return { outfile, inputs: Object.keys(result.metafile.inputs) };
}

interface InitTime {
  /** Median of the runs: what the target is checked against. */
  readonly medianMs: number;
  /** Fastest run: the cost with the least interference from other work on the machine. */
  readonly minMs: number;
}

/**
 * Time to require each bundle in a fresh process, measured inside that process (excludes Node's own
 * boot). The bundles are measured in alternation, so a burst of load on the machine hits both alike.
 */
function initTimes(fn: FunctionId, files: readonly string[]): InitTime[] {
  const env = {
    ...process.env,
    ...functionEnvironment(fn, {
      table: (t) => `bench-${t}`,
      queueUrl: (q) => `http://127.0.0.1:9324/000000000000/${q}`,
    }),
    KAFKA_BROKERS: '127.0.0.1:9092',
    // Parsed at init by the relay and the consumers, as in AWS.
    [SCHEMA_VERSION_IDS_ENV]: JSON.stringify(new SchemaVersionIds(registerSchemas(localRegistryName(''))).toMap()),
    AWS_REGION: 'us-east-1',
    POWERTOOLS_METRICS_DISABLED: 'true',
    NODE_NO_WARNINGS: '1',
  };
  const samples = files.map((): number[] => []);
  for (let run = 0; run < RUNS; run++) {
    files.forEach((file, i) => {
      const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
      samples[i]?.push(Number(execFileSync(process.execPath, ['-e', script], { env }).toString()));
    });
  }
  return samples.map((xs) => {
    xs.sort((a, b) => a - b);
    const round = (n: number | undefined) => Number((n ?? Number.NaN).toFixed(1));
    return { medianMs: round(xs[Math.floor(xs.length / 2)]), minMs: round(xs[0]) };
  });
}

interface Row {
  readonly function: FunctionId;
  readonly sizeKB: number;
  /** Median init time. */
  readonly initMs: number;
  readonly initMinMs: number;
  readonly withinTargets: boolean;
  /** The alternative not deployed: SDK from the runtime. */
  readonly runtimeSdk: { readonly sizeKB: number; readonly initMs: number; readonly initMinMs: number };
  /** The floor bundle (only the packages' set-up) and init / floor (target ≤ 1.15, medians). */
  readonly floor: {
    readonly sizeKB: number;
    readonly initMs: number;
    readonly initMinMs: number;
    readonly packages: string[];
  };
  readonly initOverFloor: number;
}

const kb = (file: string) => Number((statSync(file).size / 1024).toFixed(1));
const ms = (t: InitTime) => `${t.medianMs.toFixed(1)} (${t.minMs.toFixed(1)})`;

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const rows: Row[] = [];
  console.log(
    `targets ≤ ${SIZE_TARGET_KB} KB, ≤ ${INIT_TARGET_MS} ms; init = median (fastest) of ${RUNS} fresh processes`,
  );
  console.log(
    `${'function'.padEnd(14)} ${'bundle KB'.padStart(10)} ${'init ms'.padStart(14)}   ${'SDK from runtime: KB, init ms'.padEnd(32)}`,
  );
  for (const fn of FUNCTIONS) {
    const built = await bundle(fn, 'deployed');
    const deployed = built.outfile;
    const runtimeSdk = (await bundle(fn, 'runtime-sdk')).outfile;
    const floor = (await bundle(fn, 'floor', floorEntry(fn, built.inputs))).outfile;
    const packages = Object.keys(FLOOR_IMPORTS).filter((p) =>
      built.inputs.some((i) => i.includes(`node_modules/${p}/`)),
    );
    const [init, runtimeInit, floorInit] = initTimes(fn, [deployed, runtimeSdk, floor]) as [
      InitTime,
      InitTime,
      InitTime,
    ];
    const initOverFloor = Number((init.medianMs / floorInit.medianMs).toFixed(2));
    const sizeKB = kb(deployed);
    const withinTargets = sizeKB <= SIZE_TARGET_KB && init.medianMs <= INIT_TARGET_MS;
    rows.push({
      function: fn,
      sizeKB,
      initMs: init.medianMs,
      initMinMs: init.minMs,
      withinTargets,
      runtimeSdk: { sizeKB: kb(runtimeSdk), initMs: runtimeInit.medianMs, initMinMs: runtimeInit.minMs },
      floor: { sizeKB: kb(floor), initMs: floorInit.medianMs, initMinMs: floorInit.minMs, packages },
      initOverFloor,
    });
    const alt = `${kb(runtimeSdk).toFixed(1)} KB, ${ms(runtimeInit)}`;
    console.log(
      `${fn.padEnd(14)} ${sizeKB.toFixed(1).padStart(10)} ${ms(init).padStart(14)}   ${alt.padEnd(32)} ${withinTargets ? 'ok' : 'OVER TARGET'}  floor ${kb(floor)} KB ${ms(floorInit)} → ${initOverFloor}× (target ≤ ${INIT_FLOOR_RATIO})`,
    );
  }
  await writeReport('bundles', {
    sizeTargetKB: SIZE_TARGET_KB,
    initTargetMs: INIT_TARGET_MS,
    initOverFloorTarget: INIT_FLOOR_RATIO,
    runs: RUNS,
    bundling: 'lib/bundling.ts: AWS SDK bundled, ES module main fields, minified; source maps not enabled',
    functions: rows,
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
