import { App, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { loadDeploymentConfig } from '../../../lib/config';
import { KAFKA_IAM_PORT, NetworkStack } from '../../../lib/network/network-stack';
import { logicalIdOf, resourcesOf, synthPipeline } from '../support';

const pipeline = synthPipeline();
const network = pipeline.stacks.network;
const template = pipeline.template(network);
const sgId = logicalIdOf;
const groupRef = (sg: IConstruct) => ({ 'Fn::GetAtt': [sgId(sg), 'GroupId'] });

describe('Network stack', () => {
  it('spans two AZs with isolated subnets only: no internet gateway, no NAT', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    for (const subnet of Object.values(resourcesOf(template, 'AWS::EC2::Subnet'))) {
      expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
    }
  });

  it('has private-DNS interface endpoints for Lambda, STS and SQS (no MSK API), and a DynamoDB gateway endpoint', () => {
    const endpoints = Object.values(resourcesOf(template, 'AWS::EC2::VPCEndpoint'));
    const services = endpoints.map((e) => {
      const name = JSON.stringify(e.Properties.ServiceName);
      return `${e.Properties.VpcEndpointType}:${name.match(/\.(lambda|sts|sqs|kafka|dynamodb)"/)?.[1]}`;
    });
    expect(services.sort()).toEqual(['Gateway:dynamodb', 'Interface:lambda', 'Interface:sqs', 'Interface:sts']);
    for (const e of endpoints.filter((x) => x.Properties.VpcEndpointType === 'Interface')) {
      expect(e.Properties.PrivateDnsEnabled).toBe(true);
      expect(e.Properties.SecurityGroupIds).toEqual([groupRef(network.endpointSecurityGroup)]);
      expect(e.Properties.SubnetIds).toHaveLength(2);
    }
  });

  it('puts the subnets in AZs chosen by ID (the region default avoids use1-az3), with no AZ name', () => {
    const subnets = Object.values(resourcesOf(template, 'AWS::EC2::Subnet'));
    expect(subnets.map((s) => s.Properties.AvailabilityZoneId)).toEqual(['use1-az1', 'use1-az2']);
    for (const subnet of subnets) expect(subnet.Properties).not.toHaveProperty('AvailabilityZone');
    expect(network.azIds).toEqual(['use1-az1', 'use1-az2']);
  });

  it('pins every stack to the configured region, leaving the account to deploy time', () => {
    for (const stack of Object.values(pipeline.stacks)) {
      expect(stack.region).toBe('us-east-1');
      expect(Token.isUnresolved(stack.account)).toBe(true);
    }
  });

  describe('with context region and mskAzIds', () => {
    const networkFor = (context: Record<string, unknown>) => {
      const app = new App({ context });
      const config = loadDeploymentConfig(app.node, {});
      return new NetworkStack(app, 'Net', { config, env: { region: config.region } });
    };
    const azIdsOf = (stack: NetworkStack) =>
      Object.values(resourcesOf(Template.fromStack(stack), 'AWS::EC2::Subnet')).map(
        (s) => s.Properties.AvailabilityZoneId,
      );

    it('uses the configured IDs, in order', () => {
      expect(azIdsOf(networkFor({ region: 'eu-west-1', mskAzIds: 'euw1-az3,euw1-az1' }))).toEqual([
        'euw1-az3',
        'euw1-az1',
      ]);
    });

    it("uses the region's default when none are configured", () => {
      expect(azIdsOf(networkFor({ region: 'us-west-1' }))).toEqual(['usw1-az1', 'usw1-az3']);
    });

    it.each([
      [{ region: 'us-east-1', mskAzIds: 'use1-az3,use1-az1' }, /MSK does not allow client subnets in use1-az3/],
      [{ region: 'us-east-1', mskAzIds: 'euw1-az1,euw1-az2' }, /"euw1-az1" is not an AZ ID of us-east-1/],
      [{ region: 'us-east-1', mskAzIds: 'use1-az1' }, /must list exactly 2 AZ IDs/],
      [{ region: 'af-south-1' }, /no default Availability Zone IDs for region af-south-1; set 2 AZ IDs/],
    ])('fails the synth for %j', (context, message) => {
      expect(() => networkFor(context)).toThrow(message);
    });
  });

  it('logs rejected flows', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT', ResourceType: 'VPC' });
  });

  it('opens the brokers on the IAM port only, to themselves (ESM pollers) and to the relay', () => {
    const ingress = Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress')).filter(
      (r) => JSON.stringify(r.Properties.GroupId) === JSON.stringify(groupRef(network.kafkaClusterSecurityGroup)),
    );
    expect(ingress.map((r) => [r.Properties.FromPort, r.Properties.ToPort])).toEqual([
      [KAFKA_IAM_PORT, KAFKA_IAM_PORT],
      [KAFKA_IAM_PORT, KAFKA_IAM_PORT],
    ]);
    expect(
      ingress
        .map((r) => r.Properties.SourceSecurityGroupId)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual(
      [groupRef(network.kafkaClusterSecurityGroup), groupRef(network.relaySecurityGroup)].sort((a, b) =>
        JSON.stringify(a).localeCompare(JSON.stringify(b)),
      ),
    );
    for (const r of Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroup'))) {
      for (const rule of (r.Properties.SecurityGroupIngress ?? []) as { CidrIp?: string }[])
        expect(rule.CidrIp).not.toBe('0.0.0.0/0');
    }
  });

  it('lets the relay out only to the brokers and the endpoints', () => {
    const egress = Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupEgress')).filter(
      (r) => JSON.stringify(r.Properties.GroupId) === JSON.stringify(groupRef(network.relaySecurityGroup)),
    );
    const rules = egress
      .map((r) => `${r.Properties.FromPort}->${JSON.stringify(r.Properties.DestinationSecurityGroupId)}`)
      .sort();
    expect(rules).toEqual(
      [
        `${KAFKA_IAM_PORT}->${JSON.stringify(groupRef(network.kafkaClusterSecurityGroup))}`,
        `443->${JSON.stringify(groupRef(network.endpointSecurityGroup))}`,
      ].sort(),
    );
    const relaySg = template.toJSON().Resources[sgId(network.relaySecurityGroup)];
    // No allow-all egress rule inline either.
    expect(relaySg.Properties.SecurityGroupEgress ?? []).not.toContainEqual(
      expect.objectContaining({ CidrIp: '0.0.0.0/0' }),
    );
  });
});
