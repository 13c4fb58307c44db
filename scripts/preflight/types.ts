/** The shape of a preflight check: read-only AWS calls against a deployment plan, one verdict. */
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { KafkaClient } from '@aws-sdk/client-kafka';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { DeploymentPlan } from './plan';

export type Status = 'pass' | 'warn' | 'fail';

/** `fail` blocks the deploy; `warn` is worth knowing but the deploy can start. */
export interface Verdict {
  readonly status: Status;
  /** One sentence; for `fail`, what to do. */
  readonly message: string;
}

export interface CheckResult extends Verdict {
  readonly check: string;
}

export interface PreflightClients {
  readonly ssm: SSMClient;
  readonly lambda: LambdaClient;
  readonly apigw: APIGatewayClient;
  readonly ec2: EC2Client;
  readonly kafka: KafkaClient;
  readonly quotas: ServiceQuotasClient;
}

export interface Check {
  readonly id: string;
  /** What it verifies, for --help. */
  readonly description: string;
  /** The AWS documentation the rule comes from. */
  readonly source: string;
  /** The read-only API calls it makes (so a restricted role can be granted exactly these). */
  readonly calls: readonly string[];
  readonly run: (plan: DeploymentPlan, clients: PreflightClients) => Promise<Verdict>;
}

export const pass = (message: string): Verdict => ({ status: 'pass', message });
export const warn = (message: string): Verdict => ({ status: 'warn', message });
export const fail = (message: string): Verdict => ({ status: 'fail', message });
