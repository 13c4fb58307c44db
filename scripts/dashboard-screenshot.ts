/**
 * `npm run dashboard:screenshot`: refreshes reports/local-dashboard.png (shown in the README) by running
 * the local dashboard's browser test with DASHBOARD_SCREENSHOT set, against the local backends (started
 * if needed, and stopped again if this run started them).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { isBackendError, startBackends, stopBackends } from '../localstack/backends';

export const SCREENSHOT = 'reports/local-dashboard.png';
const ROOT = join(__dirname, '..');

async function main(): Promise<number> {
  const backends = await startBackends();
  try {
    const run = spawnSync(
      join(ROOT, 'node_modules', '.bin', 'jest'),
      ['localstack/dashboard/dashboard.e2e.test.ts', '--forceExit', '--selectProjects', 'e2e'],
      { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...backends.env, DASHBOARD_SCREENSHOT: SCREENSHOT } },
    );
    if (run.status === 0) console.log(`screenshot: ${SCREENSHOT}`);
    return run.status ?? 1;
  } finally {
    if (backends.started.length > 0) await stopBackends({ only: backends.started });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(isBackendError(e) ? `✖ ${e.message}` : e);
    process.exit(1);
  },
);
