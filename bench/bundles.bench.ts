/**
 * Benchmark: per function, the bundle size as CDK's NodejsFunction builds it (lib/bundling.ts: esbuild,
 * minified, node22, the AWS SDK bundled) and the module initialisation time (a cold-start proxy: a fresh
 * Node process requiring the bundle with the function's environment, median of several runs). Targets:
 * ≤ 250 KB and ≤ 60 ms. For comparison it also measures the alternative the stacks do not use: the SDK
 * left to the Lambda runtime's copy (here: this repository's node_modules), smaller but slower to load.
 * Prints a table and writes reports/bench/bundles.json.
 * Run: npm run bench -- bundles
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { SCHEMA_VERSION_IDS_ENV, SchemaVersionIds } from '../functions/shared/schema-ids';
import { BUNDLE_EXTERNALS, BUNDLE_MAIN_FIELDS, BUNDLE_TARGET } from '../lib/bundling';
import { type FunctionId, functionEnvironment, functions } from '../lib/topology';
import { localRegistryName, registerSchemas } from '../localstack/runner/schema-registry-twin';
import { writeReport } from './report';

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, '.local', 'bench-bundles');
const RUNS = Number(process.env.BENCH_INIT_RUNS ?? 7);
const SIZE_TARGET_KB = 250;
const INIT_TARGET_MS = 60;

type Variant = 'deployed' | 'runtime-sdk';

/** The esbuild options NodejsFunction uses for our stacks, or the same with the SDK left external. */
async function bundle(fn: FunctionId, variant: Variant): Promise<string> {
  const outfile = join(OUT, variant, fn, 'index.js');
  await build({
    entryPoints: [join(ROOT, functions[fn].entry)],
    outfile,
    bundle: true,
    minify: true,
    sourcemap: false, // the .map ships beside the bundle; the stacks do not enable it (no NODE_OPTIONS)
    platform: 'node',
    target: BUNDLE_TARGET,
    format: 'cjs',
    external: variant === 'deployed' ? [...BUNDLE_EXTERNALS] : [...BUNDLE_EXTERNALS, '@aws-sdk/*'],
    mainFields: [...BUNDLE_MAIN_FIELDS],
    logLevel: 'error',
  });
  return outfile;
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
  for (const fn of Object.keys(functions) as FunctionId[]) {
    const deployed = await bundle(fn, 'deployed');
    const runtimeSdk = await bundle(fn, 'runtime-sdk');
    const [init, runtimeInit] = initTimes(fn, [deployed, runtimeSdk]) as [InitTime, InitTime];
    const sizeKB = kb(deployed);
    const withinTargets = sizeKB <= SIZE_TARGET_KB && init.medianMs <= INIT_TARGET_MS;
    rows.push({
      function: fn,
      sizeKB,
      initMs: init.medianMs,
      initMinMs: init.minMs,
      withinTargets,
      runtimeSdk: { sizeKB: kb(runtimeSdk), initMs: runtimeInit.medianMs, initMinMs: runtimeInit.minMs },
    });
    const alt = `${kb(runtimeSdk).toFixed(1)} KB, ${ms(runtimeInit)}`;
    console.log(
      `${fn.padEnd(14)} ${sizeKB.toFixed(1).padStart(10)} ${ms(init).padStart(14)}   ${alt.padEnd(32)} ${withinTargets ? 'ok' : 'OVER TARGET'}`,
    );
  }
  await writeReport('bundles', {
    sizeTargetKB: SIZE_TARGET_KB,
    initTargetMs: INIT_TARGET_MS,
    runs: RUNS,
    bundling: 'lib/bundling.ts: AWS SDK bundled, ES module main fields, minified; source maps not enabled',
    functions: rows,
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
