/** Account-level preconditions: CDK bootstrap, Lambda concurrency, API Gateway logging role, VPC quotas, alarm email. */
import { GetAccountCommand } from '@aws-sdk/client-api-gateway';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { GetAccountSettingsCommand } from '@aws-sdk/client-lambda';
import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  type ServiceQuotasClient,
} from '@aws-sdk/client-service-quotas';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { CONTEXT_KEYS } from '../../lib/config';
import { type Check, fail, pass, warn } from './types';

/** Lambda keeps this many executions unreserved for functions without a reservation. */
const MIN_UNRESERVED_CONCURRENCY = 100;
/** Service Quotas codes (service `vpc`): VPCs per Region, interface VPC endpoints per VPC. */
export const VPC_QUOTA = {
  service: 'vpc',
  vpcsPerRegion: 'L-F678F1CE',
  interfaceEndpointsPerVpc: 'L-29B6F2EB',
} as const;

const errorName = (err: unknown) => (err as { name?: string })?.name ?? '';

export const bootstrapCheck: Check = {
  id: 'cdk-bootstrap',
  description:
    'CDK bootstrap stack present in the account/region and recent enough: the SSM parameter it publishes (/cdk-bootstrap/<qualifier>/version) is at least the version the synthesized stacks and assets require.',
  source: 'https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping.html',
  calls: ['ssm:GetParameter'],
  run: async (plan, { ssm }) => {
    const name = plan.bootstrapVersionParameter;
    const region = plan.config.region;
    let value: string | undefined;
    try {
      value = (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
    } catch (err) {
      if (errorName(err) !== 'ParameterNotFound') throw err;
    }
    if (value === undefined) {
      return fail(
        `The CDK bootstrap stack is missing in ${region} (no ${name}): run \`npx cdk bootstrap\` with this profile and region first.`,
      );
    }
    const version = Number(value);
    if (!Number.isInteger(version) || version < plan.requiredBootstrapVersion) {
      return fail(
        `The CDK bootstrap stack in ${region} is version ${value}, these stacks need ${plan.requiredBootstrapVersion} or later: run \`npx cdk bootstrap\` again to upgrade it.`,
      );
    }
    return pass(`bootstrap version ${version} (needs ≥ ${plan.requiredBootstrapVersion}).`);
  },
};

export const concurrencyCheck: Check = {
  id: 'lambda-concurrency',
  description: `Lambda concurrency: what the stacks reserve (ReservedConcurrentExecutions, e.g. -c ${CONTEXT_KEYS.relayReservedConcurrency}) leaves at least ${MIN_UNRESERVED_CONCURRENCY} of the account's unreserved concurrency (GetAccountSettings).`,
  source: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html',
  calls: ['lambda:GetAccountSettings'],
  run: async (plan, { lambda }) => {
    const limits = (await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit;
    const total = limits?.ConcurrentExecutions ?? 0;
    const unreserved = limits?.UnreservedConcurrentExecutions ?? total;
    const reserved = plan.reservedConcurrency;
    if (reserved > 0 && unreserved - reserved < MIN_UNRESERVED_CONCURRENCY) {
      return fail(
        `The stacks reserve ${reserved} concurrent executions but the account has only ${unreserved} unreserved (of ${total}) and Lambda keeps ${MIN_UNRESERVED_CONCURRENCY} unreserved: drop -c ${CONTEXT_KEYS.relayReservedConcurrency} or raise the "Concurrent executions" quota in Service Quotas.`,
      );
    }
    const summary = `account limit ${total}, unreserved ${unreserved}, the stacks reserve ${reserved}`;
    if (total < MIN_UNRESERVED_CONCURRENCY) {
      return warn(
        `${summary}: deploys, but ${total} concurrent executions will throttle the consumers under load (raise the quota for real traffic).`,
      );
    }
    return pass(`${summary}.`);
  },
};

export const apiGatewayRoleCheck: Check = {
  id: 'apigateway-cloudwatch-role',
  description:
    'API Gateway account setting: a CloudWatch Logs role ARN is needed before a stage can log (GetAccount); passes when the stacks set it themselves (AWS::ApiGateway::Account).',
  source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
  calls: ['apigateway:GET /account'],
  run: async (plan, { apigw }) => {
    const current = (await apigw.send(new GetAccountCommand({}))).cloudwatchRoleArn;
    if (plan.setsApiGatewayAccount) {
      return current
        ? warn(
            `the account already uses ${current}; the stacks will set their own role for API Gateway logging in this region (kept on destroy).`,
          )
        : pass('no role set yet; the stacks create it (AWS::ApiGateway::Account).');
    }
    if (!current) {
      return fail(
        'API Gateway in this region has no CloudWatch Logs role and the stacks do not set one, so the stage would fail to enable logging: set a role in API Gateway > Settings (or `aws apigateway update-account`).',
      );
    }
    return pass(`role ${current}.`);
  },
};

/** A quota's applied value, or AWS's default when the account never changed it. */
async function quotaValue(quotas: ServiceQuotasClient, code: string): Promise<number | undefined> {
  const input = { ServiceCode: VPC_QUOTA.service, QuotaCode: code };
  try {
    return (await quotas.send(new GetServiceQuotaCommand(input))).Quota?.Value;
  } catch (err) {
    if (errorName(err) !== 'NoSuchResourceException') throw err;
    return (await quotas.send(new GetAWSDefaultServiceQuotaCommand(input))).Quota?.Value;
  }
}

export const vpcQuotaCheck: Check = {
  id: 'vpc-quotas',
  description:
    'VPC quotas (Service Quotas, service vpc): room for the stacks\' VPC under "VPCs per Region" (existing VPCs from DescribeVpcs) and their interface endpoints under "Interface VPC endpoints per VPC".',
  source: 'https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html',
  calls: ['servicequotas:GetServiceQuota', 'servicequotas:GetAWSDefaultServiceQuota', 'ec2:DescribeVpcs'],
  run: async (plan, { quotas, ec2 }) => {
    const vpcLimit = await quotaValue(quotas, VPC_QUOTA.vpcsPerRegion);
    const endpointLimit = await quotaValue(quotas, VPC_QUOTA.interfaceEndpointsPerVpc);
    const vpcs = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? [];
    const ours = vpcs.some((v) =>
      (v.Tags ?? []).some((t) => t.Key === 'aws:cloudformation:stack-name' && t.Value === plan.networkStackName),
    );
    const needed = ours ? 0 : plan.vpcs;
    const problems: string[] = [];
    if (vpcLimit !== undefined && vpcs.length + needed > vpcLimit) {
      problems.push(
        `the region has ${vpcs.length} of ${vpcLimit} VPCs and the stacks add ${needed}: delete an unused VPC or raise "VPCs per Region"`,
      );
    }
    if (endpointLimit !== undefined && plan.interfaceEndpointsPerVpc > endpointLimit) {
      problems.push(
        `the stacks create ${plan.interfaceEndpointsPerVpc} interface endpoints in their VPC but the quota is ${endpointLimit}: raise "Interface VPC endpoints per VPC"`,
      );
    }
    if (problems.length > 0) return fail(`${problems.join('; ')}.`);
    return pass(
      `VPCs ${vpcs.length} + ${needed} ≤ ${vpcLimit ?? '?'}; interface endpoints ${plan.interfaceEndpointsPerVpc} ≤ ${endpointLimit ?? '?'} per VPC.`,
    );
  },
};

/** Deliberately simple: one @, no spaces, a dot in the domain; SNS sends the confirmation there. */
const EMAIL = /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$/;

export const alarmEmailCheck: Check = {
  id: 'alarm-email',
  description: `The alarm email (-c ${CONTEXT_KEYS.alarmEmail}) looks like an address; without one the alarms notify nobody (a warning, not a failure).`,
  source: 'https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html',
  calls: [],
  run: async (plan) => {
    const email = plan.config.alarmEmail;
    if (email === undefined) {
      return warn(`no alarm email: alarms will notify nobody; pass -c ${CONTEXT_KEYS.alarmEmail}=you@example.com.`);
    }
    if (!EMAIL.test(email)) {
      return fail(
        `-c ${CONTEXT_KEYS.alarmEmail}=${email} does not look like an email address: give one you can read (SNS sends a confirmation link).`,
      );
    }
    return pass(`${email} (confirm the SNS subscription from that inbox after the deploy).`);
  },
};
