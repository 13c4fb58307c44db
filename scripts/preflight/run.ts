/**
 * `npm run preflight`: read-only checks of the target account and region before `cdk deploy`, each with
 * a one-sentence verdict. Exit 0 only when a deploy can start (warnings allowed), 1 when a check fails
 * (or could not run), 2 on a bad command line.
 */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { EC2Client } from '@aws-sdk/client-ec2';
import { KafkaClient } from '@aws-sdk/client-kafka';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { SSMClient } from '@aws-sdk/client-ssm';
import {
  alarmEmailCheck,
  apiGatewayRoleCheck,
  bootstrapCheck,
  concurrencyCheck,
  vpcQuotaCheck,
} from './checks-account';
import { azCheck, brokerTypeCheck, kafkaVersionCheck } from './checks-msk';
import { cdkContext, type DeploymentPlan, planDeployment } from './plan';
import type { Check, CheckResult, PreflightClients } from './types';

export const CHECKS: readonly Check[] = [
  bootstrapCheck,
  concurrencyCheck,
  apiGatewayRoleCheck,
  azCheck,
  kafkaVersionCheck,
  brokerTypeCheck,
  vpcQuotaCheck,
  alarmEmailCheck,
];

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function preflightClients(region: string): PreflightClients {
  const config = { region };
  return {
    ssm: new SSMClient(config),
    lambda: new LambdaClient(config),
    apigw: new APIGatewayClient(config),
    ec2: new EC2Client(config),
    kafka: new KafkaClient(config),
    quotas: new ServiceQuotasClient(config),
  };
}

/** Runs every check; one that throws (no credentials, access denied, throttled) fails with the reason. */
export async function runChecks(plan: DeploymentPlan, clients: PreflightClients): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of CHECKS) {
    try {
      results.push({ check: check.id, ...(await check.run(plan, clients)) });
    } catch (err) {
      const e = err as Error;
      results.push({
        check: check.id,
        status: 'fail',
        message: `could not check (${e.name}: ${e.message}): make sure the credentials of this shell (AWS_PROFILE) work in ${plan.config.region} and may call ${check.calls.join(', ')}.`,
      });
    }
  }
  return results;
}

export function helpText(): string {
  return [
    'Usage: npm run preflight -- [-c key=value ...]',
    '',
    'Read-only checks of the AWS account and region a `npx cdk deploy --all` would go to (the region and',
    'settings come from the same CDK context: cdk.json, -c key=value, CDK_DEFAULT_REGION / AWS_REGION).',
    'Credentials: the AWS SDK default chain (AWS_PROFILE, ...). Nothing is created or changed.',
    'Exit code 0 when a deploy can start (warnings allowed), 1 when a check fails, 2 on a bad command line.',
    '',
    'Checks:',
    ...CHECKS.flatMap((c) => [
      `  ${c.id}`,
      `      ${c.description}`,
      `      calls: ${c.calls.join(', ') || 'none'}; rule: ${c.source}`,
    ]),
  ].join('\n');
}

export interface PreflightIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly root: string;
}

/** Parses `-c key=value` / `--context key=value` pairs; anything else is a usage error. */
export function parseArgs(argv: readonly string[]): { help: boolean; context: Record<string, string> } {
  const context: Record<string, string> = {};
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h' || arg === '--help') help = true;
    else if (arg === '-c' || arg === '--context') {
      const pair = argv[++i];
      const match = pair === undefined ? null : /^([^=]+)=(.*)$/.exec(pair);
      if (!match)
        throw new UsageError(`${arg} needs key=value, got ${pair === undefined ? 'nothing' : JSON.stringify(pair)}`);
      context[match[1] as string] = match[2] as string;
    } else throw new UsageError(`unknown argument ${JSON.stringify(arg)}; see --help`);
  }
  return { help, context };
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const MARK = { pass: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

export async function preflight(
  argv: readonly string[],
  io: PreflightIo,
  clientsFor: (region: string) => PreflightClients = preflightClients,
): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (err) {
    io.err(`error: ${(err as Error).message}`);
    return EXIT.usage;
  }
  if (args.help) {
    io.out(helpText());
    return EXIT.ok;
  }
  let plan: DeploymentPlan;
  try {
    plan = planDeployment(cdkContext(io.root, args.context), io.env);
  } catch (err) {
    io.err(`FAIL configuration: ${(err as Error).message}`);
    return EXIT.failed;
  }
  io.out(`preflight for ${plan.config.prefix} in ${plan.config.region} (AZ IDs ${plan.azIds.join(', ')}):`);
  const results = await runChecks(plan, clientsFor(plan.config.region));
  for (const r of results) io.out(`${MARK[r.status]} ${r.check}: ${r.message}`);
  const failed = results.filter((r) => r.status === 'fail').length;
  io.out(
    failed === 0 ? 'A deploy can start: npx cdk deploy --all' : `${failed} check(s) failed: fix them before deploying.`,
  );
  return failed === 0 ? EXIT.ok : EXIT.failed;
}
