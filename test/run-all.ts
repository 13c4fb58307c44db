/**
 * `npm test`: every check of the project, in order, each printed with its duration.
 *
 *   npm test                          all steps
 *   npm test -- --suite unit          only the steps of one suite (repeatable: --suite unit --suite e2e)
 *   npm test -- --bail                stop at the first failing step
 *   npm test -- --no-backends         do not start local servers: use the endpoints already in the
 *                                     environment (e.g. LocalStack + Redpanda, see README)
 *
 * Steps that need the local backends get them started first (servers already running are reused);
 * whatever this run started is stopped at the end, also after a failure or Ctrl-C. Exit code is
 * non-zero when any step fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { warnIfLocalNodeDiffers } from '../lib/runtime';
import { type BackendId, isBackendError, startBackends, stopBackends } from '../localstack/backends';
import { freshBefore, freshDynamoDbLocal } from '../localstack/backends/fresh-dynamodb';
import { jestArgs } from './runner/jest-args';

interface Step {
  readonly name: string;
  /** `--suite <suite>` selects it. */
  readonly suite: string;
  /** Runs against the local Kafka / DynamoDB Local / ElasticMQ (started before the first such step). */
  readonly needsBackends?: boolean;
  /** Resolves with the exit code (0 = passed). */
  readonly run: (env: NodeJS.ProcessEnv, options: Options) => Promise<number>;
}

const ROOT = join(__dirname, '..');
const bin = (tool: string) => join(ROOT, 'node_modules', '.bin', tool);

let current: ChildProcess | undefined;

/** Runs a command with inherited output; resolves with its exit code. */
function exec(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolveExit) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: 'inherit' });
    current = child;
    child.once('error', (e) => {
      console.error(`cannot run ${command}: ${e.message}`);
      resolveExit(127);
    });
    child.once('exit', (code, signal) => {
      current = undefined;
      resolveExit(code ?? (signal ? 128 : 1));
    });
  });
}

const tool =
  (name: string, ...args: string[]) =>
  (env: NodeJS.ProcessEnv) =>
    exec(bin(name), args, env);

// Integration and e2e tests use real sockets; --forceExit keeps a leaked handle in one test from
// hanging the whole run (jest still reports the failures).
const jest = (project: string, ...extra: string[]) => tool('jest', ...jestArgs(project, ...extra));

/** The checks, in order. Add new ones here (name, suite, how to run). */
const steps: Step[] = [
  { name: 'biome check', suite: 'static', run: tool('biome', 'check', '.') },
  { name: 'tsc --noEmit', suite: 'static', run: tool('tsc', '--noEmit', '-p', 'tsconfig.json') },
  { name: 'jest unit', suite: 'unit', run: jest('unit') },
  // Offline `cdk synth` (cdk-nag on) and cfn-lint over every template: test/cdk/cfn-lint.ts.
  { name: 'cdk synth + cfn-lint', suite: 'cdk', run: tool('tsx', 'test/cdk/cfn-lint.ts') },
  { name: 'jest integration', suite: 'integration', needsBackends: true, run: jest('integration', '--forceExit') },
  { name: 'jest e2e', suite: 'e2e', needsBackends: true, run: jest('e2e', '--forceExit') },
  { name: 'jest fault', suite: 'fault', needsBackends: true, run: jest('fault', '--forceExit') },
  // Every benchmark at its smoke sizes, then its reports checked for every figure (bench/smoke-check.ts):
  // the benchmarks stay `npm run bench`, not timed tests, but cannot rot. No speed is asserted.
  {
    name: 'bench smoke',
    suite: 'bench-smoke',
    needsBackends: true,
    run: (env, { backends }) =>
      exec(bin('tsx'), ['bench/run.ts', '--smoke', ...(backends ? [] : ['--no-backends'])], env),
  },
];

interface Options {
  readonly suites: ReadonlySet<string>;
  readonly bail: boolean;
  readonly backends: boolean;
}

const suites = [...new Set(steps.map((s) => s.suite))];
const USAGE = `usage: npm test -- [--suite ${suites.join('|')}]... [--bail] [--no-backends]`;

function parseArgs(argv: readonly string[]): Options {
  const chosen = new Set<string>();
  let bail = false;
  let backends = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    if (flag === '--suite') {
      const value = inline ?? argv[++i];
      for (const suite of (value ?? '').split(',')) {
        if (!suites.includes(suite)) throw new Error(`unknown suite "${suite}"\n${USAGE}`);
        chosen.add(suite);
      }
    } else if (arg === '--bail') bail = true;
    else if (arg === '--no-backends') backends = false;
    else throw new Error(`unknown argument "${arg}"\n${USAGE}`);
  }
  return { suites: chosen.size > 0 ? chosen : new Set(suites), bail, backends };
}

type Outcome = 'passed' | 'failed' | 'skipped';
interface Result {
  readonly name: string;
  readonly outcome: Outcome;
  readonly seconds: number;
  readonly note?: string;
}

const seconds = (since: number) => (Date.now() - since) / 1000;

function announce(r: Result): void {
  const mark = { passed: '✔', failed: '✖', skipped: '–' }[r.outcome];
  console.log(`\n${mark} ${r.name}: ${r.outcome} in ${r.seconds.toFixed(1)} s${r.note ? ` (${r.note})` : ''}\n`);
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  warnIfLocalNodeDiffers();
  const selected = steps.filter((s) => options.suites.has(s.suite));
  const results: Result[] = [];
  let env: NodeJS.ProcessEnv = { ...process.env };
  let started: readonly BackendId[] = [];
  let backendsState: 'not-needed' | 'ready' | 'failed' = 'not-needed';
  let interrupted = false;

  const stopStarted = async () => {
    if (started.length === 0) return;
    const t0 = Date.now();
    const ids = started;
    started = [];
    console.log(`\n▶ stop backends this run started (${ids.join(', ')})`);
    await stopBackends({ only: ids });
    announce({ name: 'stop backends', outcome: 'passed', seconds: seconds(t0) });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      current?.kill(signal);
      console.error(`\n${signal}: stopping ...`);
      void stopStarted().finally(() => process.exit(130));
    });
  }

  // Each suite after the first gets a fresh DynamoDB Local (localstack/backends/fresh-dynamodb.ts: the
  // stream records of every earlier suite's tables make later writes and GetRecords dearer).
  const fresh = freshBefore(selected.map((s) => Boolean(s.needsBackends)));
  const t0 = Date.now();
  try {
    for (const [i, step] of selected.entries()) {
      if (interrupted) break;
      if (options.bail && results.some((r) => r.outcome === 'failed')) {
        results.push({ name: step.name, outcome: 'skipped', seconds: 0, note: 'an earlier step failed (--bail)' });
        continue;
      }
      if (step.needsBackends && options.backends && backendsState === 'not-needed') {
        const tb = Date.now();
        console.log('\n▶ ensure backends');
        try {
          const r = await startBackends();
          started = r.started;
          env = { ...env, ...r.env };
          backendsState = 'ready';
          const note = r.servers.map((s) => `${s.id} ${s.action}`).join(', ');
          results.push({ name: 'ensure backends', outcome: 'passed', seconds: seconds(tb), note });
        } catch (e) {
          backendsState = 'failed';
          console.error(isBackendError(e) ? `✖ ${e.message}` : e);
          results.push({ name: 'ensure backends', outcome: 'failed', seconds: seconds(tb) });
        }
        announce(results[results.length - 1] as Result);
      }
      if (step.needsBackends && backendsState === 'failed') {
        results.push({ name: step.name, outcome: 'skipped', seconds: 0, note: 'backends did not start' });
        continue;
      }
      if (fresh[i] && backendsState === 'ready') {
        const tf = Date.now();
        console.log('\n▶ fresh DynamoDB Local');
        try {
          const outcome = await freshDynamoDbLocal(started);
          results.push({
            name: `fresh DynamoDB Local for ${step.name}`,
            outcome: 'passed',
            seconds: seconds(tf),
            note: outcome,
          });
        } catch (e) {
          console.error(isBackendError(e) ? `✖ ${e.message}` : e);
          backendsState = 'failed';
          results.push({ name: `fresh DynamoDB Local for ${step.name}`, outcome: 'failed', seconds: seconds(tf) });
        }
        announce(results[results.length - 1] as Result);
        if (backendsState === 'failed') {
          results.push({ name: step.name, outcome: 'skipped', seconds: 0, note: 'DynamoDB Local did not restart' });
          continue;
        }
      }
      console.log(`\n▶ ${step.name}`);
      const ts = Date.now();
      const code = await step.run(env, options);
      const result: Result = {
        name: step.name,
        outcome: code === 0 ? 'passed' : 'failed',
        seconds: seconds(ts),
        ...(code === 0 ? {} : { note: `exit code ${code}` }),
      };
      results.push(result);
      announce(result);
    }
  } finally {
    await stopStarted();
  }

  console.log('summary:');
  for (const r of results) {
    console.log(
      `  ${r.outcome.padEnd(7)} ${r.seconds.toFixed(1).padStart(6)} s  ${r.name}${r.note ? `  (${r.note})` : ''}`,
    );
  }
  const failed = results.filter((r) => r.outcome !== 'passed');
  console.log(
    `total ${seconds(t0).toFixed(1)} s: ${failed.length === 0 ? 'all passed' : `${failed.length} not passed`}`,
  );
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
