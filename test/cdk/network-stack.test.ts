import { KAFKA_IAM_PORT } from '../../lib/network/network-stack';
import { resourcesOf, synthPipeline } from './support';

const pipeline = synthPipeline();
const network = pipeline.stacks.network;
const template = pipeline.template(network);
const sgId = (sg: { node: { defaultChild?: unknown } }) => network.getLogicalId(sg.node.defaultChild as never);
const groupRef = (sg: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [sgId(sg), 'GroupId'] });

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
