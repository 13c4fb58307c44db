/**
 * The network the MSK brokers, the Kafka ESM pollers and the outbox relay share: a VPC over two AZs,
 * chosen by AZ ID (context mskAzIds or the region's default: msk-availability-zones.ts), with isolated subnets only (no internet gateway, no NAT), a DynamoDB gateway endpoint, and PrivateLink
 * endpoints for the AWS APIs called from inside. Why endpoints rather than NAT, and what each costs:
 * README "Network choice".
 */
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { AZ_COUNT, type DeploymentConfig } from '../config';
import { ENDPOINT_POLICY_STATEMENTS } from './endpoint-policies';
import { resolveMskAzIds } from './msk-availability-zones';
import { pinSubnetsToAzIds } from './subnets-by-az-id';

/** MSK broker port for SASL/IAM over TLS inside the VPC. */
export const KAFKA_IAM_PORT = 9098;

/**
 * Interface endpoints, and who needs each:
 * - Lambda, STS: for the Kafka ESM pollers, which run in the cluster's subnets. The mappings use
 *   provisioned mode, whose pollers need no PrivateLink endpoints; these two are kept only so the
 *   mappings would also work in on-demand mode (README "Network choice").
 * - SQS: ESM on-failure destinations are sent from the cluster's VPC; the relay sends dead letters.
 * No MSK control-plane endpoint: the relay's brokers are resolved at deploy time
 * (lib/streaming/bootstrap-brokers.ts) and nothing in the VPC calls the MSK API.
 */
export const INTERFACE_ENDPOINTS = {
  Lambda: ec2.InterfaceVpcEndpointAwsService.LAMBDA,
  Sts: ec2.InterfaceVpcEndpointAwsService.STS,
  Sqs: ec2.InterfaceVpcEndpointAwsService.SQS,
} as const;

export interface NetworkStackProps extends StackProps {
  readonly config: DeploymentConfig;
}

export class NetworkStack extends Stack {
  readonly vpc: ec2.Vpc;
  /** On the brokers and (as MSK ESMs use the cluster's groups) on the Lambda-managed pollers. */
  readonly kafkaClusterSecurityGroup: ec2.SecurityGroup;
  /** On the outbox relay's ENIs. */
  readonly relaySecurityGroup: ec2.SecurityGroup;
  readonly endpointSecurityGroup: ec2.SecurityGroup;
  /** The AZ IDs the subnets (and so the brokers) are in, validated for MSK at synth. */
  readonly azIds: readonly string[];

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { config } = props;
    // Synth fails here, listing every problem, for IDs of another region, repeats or an MSK-refused zone.
    this.azIds = resolveMskAzIds(config.region, config.msk.azIds);
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', { retention: config.logRetentionDays, removalPolicy });
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: AZ_COUNT,
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      gatewayEndpoints: { DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } },
      // Rejected flows only: enough to debug a security-group mistake, without paying for every packet.
      flowLogs: {
        Rejected: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
          trafficType: ec2.FlowLogTrafficType.REJECT,
        },
      },
    });
    pinSubnetsToAzIds(this.vpc, this.azIds);

    this.kafkaClusterSecurityGroup = new ec2.SecurityGroup(this, 'KafkaClusterSg', {
      vpc: this.vpc,
      description: 'MSK brokers and the Lambda Kafka ESM pollers (which use the cluster security groups)',
      allowAllOutbound: true,
    });
    // Pollers reach the brokers through this same group: MSK ESMs require the self-reference.
    this.kafkaClusterSecurityGroup.addIngressRule(
      this.kafkaClusterSecurityGroup,
      ec2.Port.tcp(KAFKA_IAM_PORT),
      'Kafka (IAM/TLS) from ESM pollers',
    );

    this.relaySecurityGroup = new ec2.SecurityGroup(this, 'RelaySg', {
      vpc: this.vpc,
      description: 'Outbox relay Lambda: Kafka brokers and the AWS API endpoints only',
      allowAllOutbound: false,
    });
    this.kafkaClusterSecurityGroup.addIngressRule(
      this.relaySecurityGroup,
      ec2.Port.tcp(KAFKA_IAM_PORT),
      'Kafka (IAM/TLS) from the outbox relay',
    );
    this.relaySecurityGroup.addEgressRule(
      this.kafkaClusterSecurityGroup,
      ec2.Port.tcp(KAFKA_IAM_PORT),
      'Kafka (IAM/TLS) to the brokers',
    );

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSg', {
      vpc: this.vpc,
      description: 'Interface endpoints: HTTPS from the relay and the ESM pollers',
      allowAllOutbound: false,
    });
    for (const [name, sg] of [
      ['ESM pollers', this.kafkaClusterSecurityGroup],
      ['outbox relay', this.relaySecurityGroup],
    ] as const) {
      this.endpointSecurityGroup.addIngressRule(sg, ec2.Port.tcp(443), `HTTPS from the ${name}`);
    }
    this.relaySecurityGroup.addEgressRule(
      this.endpointSecurityGroup,
      ec2.Port.tcp(443),
      'HTTPS to the AWS API endpoints',
    );

    for (const [name, service] of Object.entries(INTERFACE_ENDPOINTS)) {
      const endpoint = this.vpc.addInterfaceEndpoint(`${name}Endpoint`, {
        service,
        privateDnsEnabled: true,
        securityGroups: [this.endpointSecurityGroup],
        open: false,
        subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      });
      for (const statement of ENDPOINT_POLICY_STATEMENTS[name]?.(this) ?? []) endpoint.addToPolicy(statement);
    }
  }

  /** The subnets MSK brokers and the relay use: one isolated subnet per AZ. */
  get isolatedSubnets(): ec2.ISubnet[] {
    return this.vpc.isolatedSubnets;
  }
}
