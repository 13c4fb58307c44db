/**
 * Benchmark: per function, the bundle size as CDK's NodejsFunction builds it (esbuild, minified, node22,
 * AWS SDK v3 left external because the Lambda runtime provides it) and the module initialisation time
 * (a cold-start proxy: a fresh Node process requiring the bundle with the function's environment, median
 * of several runs). Targets: ≤ 250 KB and ≤ 60 ms. Prints a table and writes reports/bench/bundles.json.
 * Run: npm run bench -- bundles
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_EXTERNALS, BUNDLE_TARGET } from '../lib/bundling';
import { type FunctionId, functionEnvironment, functions } from '../lib/topology';
import { writeReport } from './report';

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, '.local', 'bench-bundles');
const RUNS = Number(process.env.BENCH_INIT_RUNS ?? 7);
const SIZE_TARGET_KB = 250;
const INIT_TARGET_MS = 60;

/** The esbuild options NodejsFunction uses for our stacks (lib/: minify, sourcemap, node22, SDK external). */
async function bundle(fn: FunctionId): Promise<string> {
  const outfile = join(OUT, fn, 'index.js');
  await build({
    entryPoints: [join(ROOT, functions[fn].entry)],
    outfile,
    bundle: true,
    minify: true,
    sourcemap: false, // the .map ships beside the bundle; it is not loaded at init unless --enable-source-maps
    platform: 'node',
    target: BUNDLE_TARGET,
    format: 'cjs',
    external: [...BUNDLE_EXTERNALS],
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

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const rows: { function: FunctionId; sizeKB: number; initMs: number; withinTargets: boolean }[] = [];
  console.log(
    `${'function'.padEnd(14)} ${'bundle KB'.padStart(10)} ${'init ms (median)'.padStart(17)}  targets ≤ ${SIZE_TARGET_KB} KB, ≤ ${INIT_TARGET_MS} ms`,
  );
  for (const fn of Object.keys(functions) as FunctionId[]) {
    const file = await bundle(fn);
    const sizeKB = statSync(file).size / 1024;
    const initMs = initTimeMs(fn, file);
    const withinTargets = sizeKB <= SIZE_TARGET_KB && initMs <= INIT_TARGET_MS;
    rows.push({ function: fn, sizeKB: Number(sizeKB.toFixed(1)), initMs: Number(initMs.toFixed(1)), withinTargets });
    console.log(
      `${fn.padEnd(14)} ${sizeKB.toFixed(1).padStart(10)} ${initMs.toFixed(1).padStart(17)}  ${withinTargets ? 'ok' : 'OVER TARGET'}`,
    );
  }
  await writeReport('bundles', {
    sizeTargetKB: SIZE_TARGET_KB,
    initTargetMs: INIT_TARGET_MS,
    runs: RUNS,
    functions: rows,
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
