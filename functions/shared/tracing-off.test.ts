/**
 * With tracing off (POWERTOOLS_TRACE_ENABLED=false, as the local runner runs every function) the X-Ray SDK
 * is not loaded at all: its automatic mode installs async hooks on every promise, tracing on or off
 * (tracing.ts has the measured cost). Each case loads tracing.ts in a fresh Node process, so the module
 * cache it reports is that process's own.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const TRACING = join(__dirname, 'tracing.ts');

/** Loads tracing.ts with `env`, runs a traced handler, and reports which X-Ray modules were loaded. */
function loadWith(env: Record<string, string | undefined>): { result: string; xrayModules: number } {
  const script = `
    const tracing = require(${JSON.stringify(TRACING)});
    tracing.tracedHandler(async () => 'ran')({}, {}).then((result) => {
      const xrayModules = Object.keys(require.cache).filter((k) => /aws-xray-sdk-core|cls-hooked/.test(k)).length;
      process.stdout.write(JSON.stringify({ result, xrayModules }));
    });`;
  const base = { ...process.env };
  delete base.POWERTOOLS_TRACE_ENABLED;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    encoding: 'utf8',
    env: { ...base, AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR', ...env },
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as { result: string; xrayModules: number };
}

describe('loading the Tracer', () => {
  test.each(['false', 'FALSE'])('POWERTOOLS_TRACE_ENABLED=%s: handlers run, the X-Ray SDK is never loaded', (value) => {
    expect(loadWith({ POWERTOOLS_TRACE_ENABLED: value })).toEqual({ result: 'ran', xrayModules: 0 });
  });

  test('tracing not switched off (as in AWS): the Tracer and the X-Ray SDK are loaded', () => {
    const loaded = loadWith({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', LAMBDA_TASK_ROOT: '/var/task' });
    expect(loaded.result).toBe('ran');
    expect(loaded.xrayModules).toBeGreaterThan(0);
  });
});
