/**
 * `npm run bench [-- [--smoke] batch|bundles|e2e|capacity|profile|cost ...]`: runs the benchmarks (all by
 * default), starting the local backends they need (reusing running ones, stopping what it started). Each
 * benchmark prints its figures and writes reports/bench/<name>.json; the README's Performance section
 * quotes them. With --smoke (what `npm test` runs) each runs at its smoke sizes (bench/sizes.ts), writes
 * to .local/bench-smoke/ instead, and the reports are then checked for every figure (bench/smoke-check.ts).
 * --no-backends: use the endpoints already in the environment (as `npm test -- --no-backends` does).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type BackendId, startBackends, stopBackends } from '../localstack/backends';
import { freshBefore, freshDynamoDbLocal } from '../localstack/backends/fresh-dynamodb';
import { checkSmokeReports } from './smoke-check';

const BENCHES: Record<string, { file: string; needsBackends: boolean }> = {
  bundles: { file: 'bundles.bench.ts', needsBackends: false },
  batch: { file: 'batch-processor.bench.ts', needsBackends: true },
  e2e: { file: 'e2e.bench.ts', needsBackends: true },
  capacity: { file: 'capacity.bench.ts', needsBackends: true },
  profile: { file: 'profile.bench.ts', needsBackends: true },
  // Last: computed from the e2e report.
  cost: { file: 'cost.bench.ts', needsBackends: false },
};

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const backends = !args.includes('--no-backends');
  const unknownFlags = args.filter((a) => a.startsWith('-') && a !== '--smoke' && a !== '--no-backends');
  if (unknownFlags.length > 0)
    throw new Error(`unknown option ${unknownFlags.join(', ')}; the options are --smoke and --no-backends`);
  const chosen = args.filter((a) => !a.startsWith('-'));
  const unknown = chosen.filter((c) => !BENCHES[c]);
  if (unknown.length > 0)
    throw new Error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  const names = chosen.length > 0 ? chosen : Object.keys(BENCHES);
  const startedAt = Date.now();
  let started: readonly BackendId[] = [];
  let env: NodeJS.ProcessEnv = { ...process.env, NODE_NO_WARNINGS: '1', ...(smoke ? { BENCH_SMOKE: '1' } : {}) };
  if (backends && names.some((n) => BENCHES[n]?.needsBackends)) {
    const result = await startBackends();
    started = result.started;
    env = { ...result.env, ...env };
  }
  const failed: string[] = [];
  // Each benchmark after the first gets a fresh DynamoDB Local when this run started it: the earlier
  // benchmarks' stream records would slow it down (localstack/backends/fresh-dynamodb.ts). The state is
  // passed on, and the capacity report records it.
  const fresh = freshBefore(names.map((n) => Boolean(BENCHES[n]?.needsBackends)));
  let dynamoDbLocal = started.includes('dynamodb') ? 'fresh' : 'reused: as found';
  try {
    for (const [i, name] of names.entries()) {
      if (fresh[i]) {
        const outcome = await freshDynamoDbLocal(started);
        if (outcome !== 'restarted') dynamoDbLocal = 'reused: shared with the earlier benchmarks';
        console.log(`\n=== DynamoDB Local for ${name}: ${outcome}`);
      }
      console.log(`\n=== bench ${name}${smoke ? ' (smoke)' : ''}`);
      const bench = BENCHES[name] as { file: string };
      const benchStartedAt = Date.now();
      const r = spawnSync(join(__dirname, '..', 'node_modules', '.bin', 'tsx'), [join(__dirname, bench.file)], {
        stdio: 'inherit',
        env: { ...env, BENCH_DYNAMODB_LOCAL: dynamoDbLocal },
      });
      if (r.status !== 0) failed.push(name);
      console.log(`=== bench ${name}: ${r.status === 0 ? 'done' : 'FAILED'} in ${seconds(benchStartedAt)}`);
    }
  } finally {
    if (started.length > 0) await stopBackends({ only: started });
  }
  if (smoke) {
    const problems = await checkSmokeReports(names, startedAt);
    for (const p of problems) console.error(`✖ ${p}`);
    if (problems.length > 0) failed.push(`${problems.length} problems in the reports`);
    else console.log(`\nsmoke reports of ${names.join(', ')}: every figure present and finite`);
  }
  console.log(
    `\nbench${smoke ? ' smoke' : ''}: ${failed.length === 0 ? 'passed' : `FAILED (${failed.join(', ')})`} in ${seconds(startedAt)}`,
  );
  if (failed.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
