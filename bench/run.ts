/**
 * `npm run bench [-- batch|bundles|e2e|capacity|profile|cost ...]`: runs the benchmarks (all by default), starting the local
 * backends they need (reusing running ones, stopping what it started). Each benchmark prints its figures
 * and writes reports/bench/<name>.json; the README's Performance section quotes them.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type BackendId, startBackends, stopBackends } from '../localstack/backends';

const BENCHES: Record<string, { file: string; needsBackends: boolean }> = {
  bundles: { file: 'bundles.bench.ts', needsBackends: false },
  batch: { file: 'batch-processor.bench.ts', needsBackends: true },
  e2e: { file: 'e2e.bench.ts', needsBackends: true },
  capacity: { file: 'capacity.bench.ts', needsBackends: true },
  profile: { file: 'profile.bench.ts', needsBackends: true },
  // Last: computed from the e2e report.
  cost: { file: 'cost.bench.ts', needsBackends: false },
};

async function main(): Promise<void> {
  const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = chosen.filter((c) => !BENCHES[c]);
  if (unknown.length > 0)
    throw new Error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  const names = chosen.length > 0 ? chosen : Object.keys(BENCHES);
  let started: readonly BackendId[] = [];
  let env: NodeJS.ProcessEnv = { ...process.env, NODE_NO_WARNINGS: '1' };
  if (names.some((n) => BENCHES[n]?.needsBackends)) {
    const result = await startBackends();
    started = result.started;
    env = { ...result.env, ...env };
  }
  let failed = false;
  try {
    for (const name of names) {
      console.log(`\n=== bench ${name}`);
      const bench = BENCHES[name] as { file: string };
      const r = spawnSync(join(__dirname, '..', 'node_modules', '.bin', 'tsx'), [join(__dirname, bench.file)], {
        stdio: 'inherit',
        env,
      });
      if (r.status !== 0) failed = true;
    }
  } finally {
    if (started.length > 0) await stopBackends({ only: started });
  }
  if (failed) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
