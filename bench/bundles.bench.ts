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
import { BUNDLE_EXTERNALS, BUNDLE_MAIN_FIELDS, BUNDLE_TARGET } from '../lib/bundling';
import { type FunctionId, functionEnvironment, functions } from '../lib/topology';
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

/** Time to require the bundle in a fresh process, measured inside that process (excludes Node's own boot). */
function initTimeMs(fn: FunctionId, file: string): number {
  const env = {
    ...process.env,
    ...functionEnvironment(fn, {
      table: (t) => `bench-${t}`,
      queueUrl: (q) => `http://127.0.0.1:9324/000000000000/${q}`,
    }),
    KAFKA_BROKERS: '127.0.0.1:9092',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_METRICS_DISABLED: 'true',
    NODE_NO_WARNINGS: '1',
  };
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const samples = Array.from({ length: RUNS }, () =>
    Number(execFileSync(process.execPath, ['-e', script], { env }).toString()),
  );
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

interface Row {
  readonly function: FunctionId;
  readonly sizeKB: number;
  readonly initMs: number;
  readonly withinTargets: boolean;
  /** The alternative not deployed: SDK from the runtime. */
  readonly runtimeSdk: { readonly sizeKB: number; readonly initMs: number };
}

const kb = (file: string) => Number((statSync(file).size / 1024).toFixed(1));

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const rows: Row[] = [];
  console.log(
    `${'function'.padEnd(14)} ${'bundle KB'.padStart(10)} ${'init ms'.padStart(8)}  ${'(SDK from runtime: KB, ms)'.padEnd(27)} targets ≤ ${SIZE_TARGET_KB} KB, ≤ ${INIT_TARGET_MS} ms (init: median of ${RUNS})`,
  );
  for (const fn of Object.keys(functions) as FunctionId[]) {
    const deployed = await bundle(fn, 'deployed');
    const runtimeSdk = await bundle(fn, 'runtime-sdk');
    const initMs = Number(initTimeMs(fn, deployed).toFixed(1));
    const runtimeInitMs = Number(initTimeMs(fn, runtimeSdk).toFixed(1));
    const sizeKB = kb(deployed);
    const withinTargets = sizeKB <= SIZE_TARGET_KB && initMs <= INIT_TARGET_MS;
    rows.push({
      function: fn,
      sizeKB,
      initMs,
      withinTargets,
      runtimeSdk: { sizeKB: kb(runtimeSdk), initMs: runtimeInitMs },
    });
    const alt = `(${kb(runtimeSdk).toFixed(1)} KB, ${runtimeInitMs.toFixed(1)} ms)`;
    console.log(
      `${fn.padEnd(14)} ${sizeKB.toFixed(1).padStart(10)} ${initMs.toFixed(1).padStart(8)}  ${alt.padEnd(27)} ${withinTargets ? 'ok' : 'OVER TARGET'}`,
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
