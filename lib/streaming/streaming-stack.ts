/**
 * Kafka: the MSK cluster in the network stack's VPC, its topics from the topology, the schema registry,
 * and the cluster's bootstrap brokers (output KafkaBrokers).
 */
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as msk from 'aws-cdk-lib/aws-msk';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config';
import type { DeploymentNames } from '../names';
import { OUTPUT_KEYS } from '../outputs';
import type { TopicId } from '../topology';
import { BootstrapBrokers } from './bootstrap-brokers';
import { KafkaTopics } from './kafka-topics';
import { MskCluster } from './msk-cluster';
import { SchemaRegistry } from './schema-registry';

export interface StreamingStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly names: DeploymentNames;
  readonly subnets: readonly ec2.ISubnet[];
  readonly clusterSecurityGroup: ec2.ISecurityGroup;
}

export class StreamingStack extends Stack {
  readonly cluster: MskCluster;
  readonly topics: ReadonlyMap<TopicId, msk.CfnTopic>;
  readonly schemaRegistry: SchemaRegistry;
  /** The cluster's IAM bootstrap brokers (host:port,...), resolved at deploy time. */
  readonly bootstrapBrokers: BootstrapBrokers;
  /** SCHEMA_VERSION_IDS: the registry's version ids as one JSON string (resolved at deploy time). */
  readonly schemaVersionIds: string;

  constructor(scope: Construct, id: string, props: StreamingStackProps) {
    super(scope, id, props);
    const { config, names } = props;
    this.cluster = new MskCluster(this, 'Kafka', {
      clusterName: names.mskCluster,
      settings: config.msk,
      subnets: props.subnets,
      securityGroup: props.clusterSecurityGroup,
      logRetentionDays: config.logRetentionDays,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.topics = new KafkaTopics(this, 'Topics', {
      clusterArn: this.cluster.clusterArn,
      replicationFactor: this.cluster.replicationFactor,
    }).topics;
    this.schemaRegistry = new SchemaRegistry(this, 'SchemaRegistry', { registryName: names.schemaRegistry });
    this.schemaVersionIds = this.toJsonString(this.schemaRegistry.versionIds);
    new CfnOutput(this, OUTPUT_KEYS.schemaVersionIds, {
      description: 'SCHEMA_VERSION_IDS: the Glue schema version id of every event (type, version)',
      value: this.schemaVersionIds,
    });
    this.bootstrapBrokers = new BootstrapBrokers(this, 'BootstrapBrokers', { clusterArn: this.cluster.clusterArn });
    for (const [topicId, topic] of this.topics) {
      new CfnOutput(this, OUTPUT_KEYS.topicName(topicId), {
        description: `Kafka topic of the topology's ${topicId}`,
        value: topic.topicName,
      });
    }
    new CfnOutput(this, OUTPUT_KEYS.kafkaClusterArn, {
      description: 'MSK cluster ARN (event source of the temporary mappings of npm run cli -- replay --target aws)',
      value: this.cluster.clusterArn,
    });
    new CfnOutput(this, OUTPUT_KEYS.kafkaBrokers, {
      description: 'KAFKA_BROKERS: IAM bootstrap brokers (TLS, SASL/OAUTHBEARER; use with KAFKA_AUTH=iam)',
      value: this.bootstrapBrokers.iamBrokers,
    });
  }
}
