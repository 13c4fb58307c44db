/**
 * Every preflight check against mocked AWS clients (aws-sdk-client-mock): each failure it exists for,
 * with the sentence that says what to do, and its passing answer. The plan is built by hand here;
 * preflight.test.ts reads a real one from the synthesized app and runs the whole command.
 */
import { GetAccountCommand } from '@aws-sdk/client-api-gateway';
import { DescribeInstanceTypeOfferingsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { ListKafkaVersionsCommand } from '@aws-sdk/client-kafka';
import { GetAccountSettingsCommand } from '@aws-sdk/client-lambda';
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand } from '@aws-sdk/client-service-quotas';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { DEFAULTS } from '../../lib/config';
import {
  alarmEmailCheck,
  apiGatewayRoleCheck,
  bootstrapCheck,
  concurrencyCheck,
  VPC_QUOTA,
  vpcQuotaCheck,
} from './checks-account';
import { azCheck, brokerTypeCheck, kafkaVersionCheck } from './checks-msk';
import { runChecks } from './run';
import { clients, mockHealthyAccount, mocks, named, plan } from './test-support';

beforeEach(() => {
  for (const m of Object.values(mocks)) m.reset();
  mockHealthyAccount();
});

describe('cdk-bootstrap', () => {
  it('fails when the bootstrap stack is missing, naming the command', async () => {
    mocks.ssm.on(GetParameterCommand).rejects(named('ParameterNotFound'));
    expect(await bootstrapCheck.run(plan(), clients)).toEqual({
      status: 'fail',
      message:
        'The CDK bootstrap stack is missing in us-east-1 (no /cdk-bootstrap/hnb659fds/version): run `npx cdk bootstrap` with this profile and region first.',
    });
  });

  it('fails when it is older than the stacks need; passes at or above', async () => {
    mocks.ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '5' } });
    expect((await bootstrapCheck.run(plan(), clients)).message).toMatch(
      /is version 5, these stacks need 6 or later: run `npx cdk bootstrap` again/,
    );
    mocks.ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '6' } });
    expect((await bootstrapCheck.run(plan(), clients)).status).toBe('pass');
    expect(mocks.ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input.Name)).toContain(
      '/cdk-bootstrap/hnb659fds/version',
    );
  });
});

describe('lambda-concurrency', () => {
  it('fails when a reservation would leave fewer than 100 unreserved', async () => {
    mocks.lambda
      .on(GetAccountSettingsCommand)
      .resolves({ AccountLimit: { ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 } });
    const verdict = await concurrencyCheck.run(plan({ reservedConcurrency: 5 }), clients);
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toContain('reserve 5 concurrent executions but the account has only 10 unreserved');
    expect(verdict.message).toContain('drop -c relayReservedConcurrency or raise the "Concurrent executions" quota');
  });

  it('a small quota without reservations deploys (warning); a normal one passes', async () => {
    mocks.lambda
      .on(GetAccountSettingsCommand)
      .resolves({ AccountLimit: { ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 } });
    expect((await concurrencyCheck.run(plan(), clients)).status).toBe('warn');
    mockHealthyAccount();
    expect(await concurrencyCheck.run(plan({ reservedConcurrency: 10 }), clients)).toEqual({
      status: 'pass',
      message: 'account limit 1000, unreserved 1000, the stacks reserve 10.',
    });
  });
});

describe('apigateway-cloudwatch-role', () => {
  it('fails without a role when the stacks do not set one', async () => {
    const verdict = await apiGatewayRoleCheck.run(plan({ setsApiGatewayAccount: false }), clients);
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toContain('has no CloudWatch Logs role and the stacks do not set one');
  });

  it('passes when the stacks create it, or when the account has one', async () => {
    expect((await apiGatewayRoleCheck.run(plan(), clients)).status).toBe('pass');
    mocks.apigw.on(GetAccountCommand).resolves({ cloudwatchRoleArn: 'arn:aws:iam::1:role/apigw-logs' });
    expect((await apiGatewayRoleCheck.run(plan({ setsApiGatewayAccount: false }), clients)).status).toBe('pass');
    expect((await apiGatewayRoleCheck.run(plan(), clients)).status).toBe('warn');
  });
});

describe('availability-zones', () => {
  it('fails on an AZ ID MSK refuses, before asking EC2', async () => {
    const verdict = await azCheck.run(plan({ azIds: ['use1-az1', 'use1-az3'] }), clients);
    expect(verdict).toEqual({
      status: 'fail',
      message: 'mskAzIds: MSK does not allow client subnets in use1-az3; choose another AZ ID.',
    });
    expect(mocks.ec2.calls()).toHaveLength(0);
  });

  it('fails on an AZ ID this account does not have, listing the ones it has', async () => {
    const verdict = await azCheck.run(plan({ azIds: ['use1-az1', 'use1-az6'] }), clients);
    expect(verdict.message).toBe(
      'AZ ID use1-az6 is not available to this account in us-east-1 (it has use1-az1, use1-az2, use1-az3): pass two of those with -c mskAzIds=<id>,<id>.',
    );
  });

  it('passes with the names they have in this account', async () => {
    expect(await azCheck.run(plan(), clients)).toEqual({
      status: 'pass',
      message: 'use1-az1 (us-east-1c), use1-az2 (us-east-1d).',
    });
  });
});

describe('msk-kafka-version', () => {
  it('fails when the version is not offered or not ACTIVE, listing the active ones', async () => {
    mocks.kafka.on(ListKafkaVersionsCommand).resolves({
      KafkaVersions: [
        { Version: '3.9.x', Status: 'DEPRECATED' },
        { Version: '3.8.x', Status: 'ACTIVE' },
      ],
    });
    expect((await kafkaVersionCheck.run(plan(), clients)).message).toBe(
      'MSK Kafka version 3.9.x is DEPRECATED in us-east-1: pass an ACTIVE one (3.8.x) with -c mskKafkaVersion=<version>.',
    );
    expect(
      (await kafkaVersionCheck.run(plan({}, { msk: { ...DEFAULTS.msk, kafkaVersion: '9.9' } }), clients)).message,
    ).toContain('is not offered');
  });

  it('reads every page', async () => {
    mocks.kafka
      .on(ListKafkaVersionsCommand)
      .resolvesOnce({ KafkaVersions: [{ Version: '2.8.1', Status: 'ACTIVE' }], NextToken: 'p2' })
      .resolvesOnce({ KafkaVersions: [{ Version: '3.9.x', Status: 'ACTIVE' }] });
    expect((await kafkaVersionCheck.run(plan(), clients)).status).toBe('pass');
    expect(mocks.kafka.commandCalls(ListKafkaVersionsCommand)).toHaveLength(2);
  });
});

describe('msk-broker-type', () => {
  it('fails on a type MSK does not document', async () => {
    const verdict = await brokerTypeCheck.run(
      plan({}, { msk: { ...DEFAULTS.msk, instanceType: 't3.small' } }),
      clients,
    );
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toContain('is not an MSK Standard broker type');
  });

  it('fails when the EC2 type is not offered in a chosen AZ ID; asks by availability-zone-id', async () => {
    mocks.ec2.on(DescribeInstanceTypeOfferingsCommand).resolves({
      InstanceTypeOfferings: [{ InstanceType: 't3.small', Location: 'use1-az1' }],
    });
    expect((await brokerTypeCheck.run(plan(), clients)).message).toBe(
      't3.small (the EC2 type behind kafka.t3.small) is not offered in use1-az2: choose other AZ IDs with -c mskAzIds or another type with -c mskInstanceType.',
    );
    expect(mocks.ec2.commandCalls(DescribeInstanceTypeOfferingsCommand)[0]?.args[0].input).toMatchObject({
      LocationType: 'availability-zone-id',
      Filters: [
        { Name: 'instance-type', Values: ['t3.small'] },
        { Name: 'location', Values: ['use1-az1', 'use1-az2'] },
      ],
    });
  });

  it('passes when offered in both', async () => {
    expect((await brokerTypeCheck.run(plan(), clients)).status).toBe('pass');
  });
});

describe('vpc-quotas', () => {
  it('fails when the region has no room for another VPC', async () => {
    mocks.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [1, 2, 3, 4, 5].map((i) => ({ VpcId: `vpc-${i}` })) });
    expect((await vpcQuotaCheck.run(plan(), clients)).message).toBe(
      'the region has 5 of 5 VPCs and the stacks add 1: delete an unused VPC or raise "VPCs per Region".',
    );
  });

  it('does not count its own VPC twice (a redeploy)', async () => {
    const own = { VpcId: 'vpc-own', Tags: [{ Key: 'aws:cloudformation:stack-name', Value: 'OrderSaga-Network' }] };
    mocks.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [own, ...[1, 2, 3, 4].map((i) => ({ VpcId: `vpc-${i}` }))] });
    expect((await vpcQuotaCheck.run(plan(), clients)).status).toBe('pass');
  });

  it('fails when the endpoints exceed the per-VPC quota; falls back to the default quota', async () => {
    mocks.quotas
      .on(GetServiceQuotaCommand, { QuotaCode: VPC_QUOTA.interfaceEndpointsPerVpc })
      .rejects(named('NoSuchResourceException'));
    mocks.quotas
      .on(GetAWSDefaultServiceQuotaCommand, { QuotaCode: VPC_QUOTA.interfaceEndpointsPerVpc })
      .resolves({ Quota: { Value: 2 } });
    expect((await vpcQuotaCheck.run(plan(), clients)).message).toBe(
      'the stacks create 3 interface endpoints in their VPC but the quota is 2: raise "Interface VPC endpoints per VPC".',
    );
    expect(mocks.quotas.commandCalls(GetServiceQuotaCommand).map((c) => c.args[0].input)).toEqual([
      { ServiceCode: 'vpc', QuotaCode: 'L-F678F1CE' },
      { ServiceCode: 'vpc', QuotaCode: 'L-29B6F2EB' },
    ]);
  });
});

describe('alarm-email', () => {
  it('fails on something that is not an address, warns without one, passes with one', async () => {
    expect((await alarmEmailCheck.run(plan({}, { alarmEmail: 'ops@example..com' }), clients)).status).toBe('fail');
    expect((await alarmEmailCheck.run(plan({}, { alarmEmail: undefined }), clients)).status).toBe('warn');
    expect((await alarmEmailCheck.run(plan(), clients)).status).toBe('pass');
  });
});

describe('runChecks', () => {
  it('all good: every check passes against a healthy account', async () => {
    const results = await runChecks(plan(), clients);
    expect(results.map((r) => [r.check, r.status])).toEqual([
      ['cdk-bootstrap', 'pass'],
      ['lambda-concurrency', 'pass'],
      ['apigateway-cloudwatch-role', 'pass'],
      ['availability-zones', 'pass'],
      ['msk-kafka-version', 'pass'],
      ['msk-broker-type', 'pass'],
      ['vpc-quotas', 'pass'],
      ['alarm-email', 'pass'],
    ]);
  });

  it('a check that cannot call AWS fails, naming the calls it needs', async () => {
    mocks.lambda.on(GetAccountSettingsCommand).rejects(named('AccessDeniedException', 'not authorized'));
    const results = await runChecks(plan(), clients);
    expect(results.find((r) => r.check === 'lambda-concurrency')).toEqual({
      check: 'lambda-concurrency',
      status: 'fail',
      message:
        'could not check (AccessDeniedException: not authorized): make sure the credentials of this shell (AWS_PROFILE) work in us-east-1 and may call lambda:GetAccountSettings.',
    });
    expect(results.filter((r) => r.status === 'fail')).toHaveLength(1);
  });
});
