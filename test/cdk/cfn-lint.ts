/**
 * `tsx test/cdk/cfn-lint.ts`: the offline deployment check.
 *  1. `cdk synth` exactly as a user runs it, with every AWS credential variable removed (the stacks
 *     name their region but not their account, so nothing is looked up; with no region configured they
 *     are synthesized for us-east-1, lib/config.ts resolveRegion) — cdk-nag runs inside and fails the synth on
 *     any unacknowledged finding;
 *  2. cfn-lint (PyPI, pinned) over every synthesized template; any error fails the step, warnings are
 *     printed. cfn-lint lives in a git-ignored venv under .cache/, created once and reused.
 * Exit code 0 only when both pass.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const CFN_LINT_VERSION = '1.58.0';
const ROOT = join(__dirname, '..', '..');
const CACHE = join(ROOT, '.cache');
const VENV = join(CACHE, `cfn-lint-${CFN_LINT_VERSION}`);
/** Run through the venv's python: the venv is built elsewhere and moved, which breaks its script shebangs. */
const PYTHON = join(VENV, 'bin', 'python');
/** Regions the templates are checked against (synthesized for us-east-1 here; a copy for another region differs in its region and AZ IDs). */
const REGIONS = ['us-east-1', 'eu-west-1'];
/** What the `cfn-lint` console script runs (entry point cfnlint.runner:main). */
const CFN_LINT_MAIN = 'import sys; from cfnlint.runner import main; sys.argv[0] = "cfn-lint"; sys.exit(main())';

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const r = spawnSync(command, args, { cwd: ROOT, env, stdio: 'inherit' });
  if (r.error) throw new Error(`cannot run ${command}: ${r.error.message}`);
  return r.status ?? 1;
}

/** Installs cfn-lint into a fresh directory, then moves it into place, so concurrent runs never see half a venv. */
function ensureCfnLint(): void {
  if (existsSync(PYTHON)) return;
  mkdirSync(CACHE, { recursive: true });
  const staging = mkdtempSync(join(CACHE, 'cfn-lint-staging-'));
  try {
    console.log(`installing cfn-lint ${CFN_LINT_VERSION} into ${VENV}`);
    if (run('python3', ['-m', 'venv', staging]) !== 0) throw new Error('python3 -m venv failed');
    const pip = join(staging, 'bin', 'pip');
    if (run(pip, ['install', '--quiet', '--disable-pip-version-check', `cfn-lint==${CFN_LINT_VERSION}`]) !== 0) {
      throw new Error('pip install cfn-lint failed');
    }
    renameSync(staging, VENV);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    // Another run may have won the race and installed it meanwhile.
    if (!existsSync(PYTHON)) throw e;
  }
}

/** The environment of a machine with no AWS account: no credentials, no profile, no metadata service. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^AWS_/.test(key) || key.startsWith('CDK_DEFAULT_')) delete env[key];
  return {
    ...env,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}

function main(): number {
  mkdirSync(CACHE, { recursive: true });
  const outdir = mkdtempSync(join(CACHE, 'cdk.out-'));
  try {
    console.log('▶ cdk synth (offline, cdk-nag on)');
    const cdk = join(ROOT, 'node_modules', '.bin', 'cdk');
    if (run(cdk, ['synth', '--quiet', '--output', outdir], offlineEnv()) !== 0) {
      console.error('✖ cdk synth failed');
      return 1;
    }
    const templates = readdirSync(outdir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => join(outdir, f));
    if (templates.length === 0) {
      console.error('✖ cdk synth produced no templates');
      return 1;
    }
    ensureCfnLint();
    console.log(`▶ cfn-lint ${CFN_LINT_VERSION} over ${templates.length} templates`);
    const status = run(PYTHON, [
      '-c',
      CFN_LINT_MAIN,
      '--regions',
      ...REGIONS,
      '--format',
      'parseable',
      '--',
      ...templates,
    ]);
    // cfn-lint exit code is a bit field: 2 = error, 4 = warning, 8 = informational.
    if (status & 2 || status === 1 || status > 15) {
      console.error(`✖ cfn-lint reported errors (exit ${status})`);
      return 1;
    }
    console.log(status === 0 ? '✔ no cfn-lint findings' : `✔ no cfn-lint errors (exit ${status}: warnings/info above)`);
    return 0;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

process.exit(main());
