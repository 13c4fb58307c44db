/** Test helpers for the preflight tests: mocked AWS clients and what a healthy sandbox account answers. */
import { APIGatewayClient, GetAccountCommand } from '@aws-sdk/client-api-gateway';
import {
  type AvailabilityZone,
  DescribeAvailabilityZonesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { KafkaClient, ListKafkaVersionsCommand } from '@aws-sdk/client-kafka';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULTS } from '../../lib/config';
import type { DeploymentPlan } from './plan';
import type { PreflightClients } from './types';

export const mocks = {
  ssm: mockClient(SSMClient),
  lambda: mockClient(LambdaClient),
  apigw: mockClient(APIGatewayClient),
  ec2: mockClient(EC2Client),
  kafka: mockClient(KafkaClient),
  quotas: mockClient(ServiceQuotasClient),
};
export const clients: PreflightClients = {
  ssm: new SSMClient({ region: 'us-east-1' }),
  lambda: new LambdaClient({ region: 'us-east-1' }),
  apigw: new APIGatewayClient({ region: 'us-east-1' }),
  ec2: new EC2Client({ region: 'us-east-1' }),
  kafka: new KafkaClient({ region: 'us-east-1' }),
  quotas: new ServiceQuotasClient({ region: 'us-east-1' }),
};

export const plan = (
  overrides: Partial<DeploymentPlan> = {},
  config: Partial<DeploymentPlan['config']> = {},
): DeploymentPlan => ({
  config: { ...DEFAULTS, alarmEmail: 'ops@example.com', ...config },
  azIds: ['use1-az1', 'use1-az2'],
  requiredBootstrapVersion: 6,
  bootstrapVersionParameter: '/cdk-bootstrap/hnb659fds/version',
  reservedConcurrency: 0,
  interfaceEndpointsPerVpc: 3,
  vpcs: 1,
  networkStackName: 'OrderSaga-Network',
  setsApiGatewayAccount: true,
  ...overrides,
});

export const named = (name: string, message = name) => Object.assign(new Error(message), { name });
const zone = (id: string, name: string): AvailabilityZone => ({
  ZoneId: id,
  ZoneName: name,
  State: 'available',
  ZoneType: 'availability-zone',
});

/** What a healthy sandbox account answers. */
export function mockHealthyAccount(): void {
  mocks.ssm.on(GetParameterCommand).resolves({ Parameter: { Name: 'x', Value: '30' } });
  mocks.lambda
    .on(GetAccountSettingsCommand)
    .resolves({ AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 } });
  mocks.apigw.on(GetAccountCommand).resolves({});
  mocks.ec2.on(DescribeAvailabilityZonesCommand).resolves({
    AvailabilityZones: [zone('use1-az1', 'us-east-1c'), zone('use1-az2', 'us-east-1d'), zone('use1-az3', 'us-east-1a')],
  });
  mocks.ec2.on(DescribeInstanceTypeOfferingsCommand).resolves({
    InstanceTypeOfferings: [
      { InstanceType: 't3.small', Location: 'use1-az1', LocationType: 'availability-zone-id' },
      { InstanceType: 't3.small', Location: 'use1-az2', LocationType: 'availability-zone-id' },
    ],
  });
  mocks.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-default' }] });
  mocks.kafka.on(ListKafkaVersionsCommand).resolves({ KafkaVersions: [{ Version: '3.9.x', Status: 'ACTIVE' }] });
  mocks.quotas.on(GetServiceQuotaCommand).resolves({ Quota: { Value: 5 } });
}
