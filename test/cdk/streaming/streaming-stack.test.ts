import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CONTEXT_KEYS } from '../../../lib/config';
import { deploymentNames } from '../../../lib/names';
import { glueSchemaDefinition } from '../../../lib/streaming/glue-schema-definition';
import { KafkaTopics } from '../../../lib/streaming/kafka-topics';
import { MskCluster } from '../../../lib/streaming/msk-cluster';
import { SchemaRegistry } from '../../../lib/streaming/schema-registry';
import { type TopicId, topics } from '../../../lib/topology';
import { type EventSchemaEntry, eventSchemas, sharedSchemas } from '../../../schemas/index';
import { onlyResource, resourcesOf, synthPipeline } from '../support';

const pipeline = synthPipeline();
const template = pipeline.template(pipeline.stacks.streaming);
const clusterLogicalId = pipeline.stacks.streaming.getLogicalId(pipeline.stacks.streaming.cluster.cluster);

/** The parts of AWS::MSK::Cluster properties these tests read. */
interface ClusterJson {
  readonly ClusterName: string;
  readonly KafkaVersion: string;
  readonly NumberOfBrokerNodes: number;
  readonly BrokerNodeGroupInfo: {
    readonly InstanceType: string;
    readonly ClientSubnets: unknown[];
    readonly StorageInfo: { readonly EBSStorageInfo: { readonly VolumeSize: number } };
  };
  readonly ClientAuthentication: unknown;
  readonly EncryptionInfo: { readonly EncryptionInTransit: unknown; readonly EncryptionAtRest?: unknown };
  readonly LoggingInfo: {
    readonly BrokerLogs: {
      readonly CloudWatchLogs: { readonly Enabled: boolean; readonly LogGroup: { readonly Ref: string } };
    };
  };
}

describe('Streaming stack: MSK cluster', () => {
  const [, cluster] = onlyResource(template, 'AWS::MSK::Cluster');
  const p = cluster.Properties as unknown as ClusterJson;

  it('defaults to 2 x kafka.t3.small on Kafka 3.9.x, one broker per AZ subnet', () => {
    expect(p.ClusterName).toBe(deploymentNames(pipeline.config.prefix).mskCluster);
    expect(p.KafkaVersion).toBe('3.9.x');
    expect(p.NumberOfBrokerNodes).toBe(2);
    expect(p.BrokerNodeGroupInfo.InstanceType).toBe('kafka.t3.small');
    expect(p.BrokerNodeGroupInfo.ClientSubnets).toHaveLength(2);
    expect(p.BrokerNodeGroupInfo.StorageInfo.EBSStorageInfo.VolumeSize).toBe(10);
  });

  it('accepts IAM clients only, over TLS, with TLS between brokers', () => {
    expect(p.ClientAuthentication).toEqual({
      Sasl: { Iam: { Enabled: true }, Scram: { Enabled: false } },
      Tls: { Enabled: false },
      Unauthenticated: { Enabled: false },
    });
    expect(p.EncryptionInfo.EncryptionInTransit).toEqual({ ClientBroker: 'TLS', InCluster: true });
    // At rest: MSK always encrypts data volumes; with no key given it uses the AWS-managed aws/kafka key.
    expect(p.EncryptionInfo.EncryptionAtRest).toBeUndefined();
  });

  it('sends broker logs to a CloudWatch log group with bounded retention', () => {
    const logGroupRef = p.LoggingInfo.BrokerLogs.CloudWatchLogs.LogGroup.Ref;
    expect(p.LoggingInfo.BrokerLogs.CloudWatchLogs.Enabled).toBe(true);
    expect(template.toJSON().Resources[logGroupRef].Properties.RetentionInDays).toBe(pipeline.config.logRetentionDays);
  });

  it('is sized from context', () => {
    const big = synthPipeline({
      [CONTEXT_KEYS.mskBrokerCount]: '4',
      [CONTEXT_KEYS.mskInstanceType]: 'kafka.m7g.large',
      [CONTEXT_KEYS.mskVolumeGiB]: '100',
      [CONTEXT_KEYS.mskKafkaVersion]: '3.8.x',
    });
    const [, c] = onlyResource(big.template(big.stacks.streaming), 'AWS::MSK::Cluster');
    expect(c.Properties).toMatchObject({
      KafkaVersion: '3.8.x',
      NumberOfBrokerNodes: 4,
      BrokerNodeGroupInfo: { InstanceType: 'kafka.m7g.large', StorageInfo: { EBSStorageInfo: { VolumeSize: 100 } } },
    });
    // Replication follows the broker count, up to 3.
    for (const t of Object.values(resourcesOf(big.template(big.stacks.streaming), 'AWS::MSK::Topic'))) {
      expect(t.Properties.ReplicationFactor).toBe(3);
    }
  });

  it('validates its props', () => {
    const stack = new Stack(new App(), 'T');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
    const base = {
      clusterName: 'c',
      subnets: vpc.privateSubnets,
      securityGroup: sg,
      logRetentionDays: 14,
      removalPolicy: RemovalPolicy.DESTROY,
    };
    const settings = { instanceType: 'kafka.t3.small', brokerCount: 3, volumeGiB: 10, kafkaVersion: '3.9.x' };
    expect(() => new MskCluster(stack, 'A', { ...base, settings })).toThrow(
      /brokerCount 3 is not a multiple of the 2 subnets/,
    );
    expect(
      () => new MskCluster(stack, 'B', { ...base, clusterName: 'bad name', settings: { ...settings, brokerCount: 2 } }),
    ).toThrow(/clusterName/);
    expect(() => new KafkaTopics(stack, 'T', { clusterArn: 'arn', replicationFactor: 0 })).toThrow(/replicationFactor/);
  });
});

describe('Streaming stack: topics', () => {
  const topicResources = Object.values(resourcesOf(template, 'AWS::MSK::Topic'));

  it('creates one AWS::MSK::Topic per topology topic on the cluster', () => {
    expect(topicResources.map((t) => t.Properties.TopicName).sort()).toEqual(
      Object.values(topics)
        .map((t) => t.name)
        .sort(),
    );
    for (const t of topicResources)
      expect(t.Properties.ClusterArn).toEqual({ 'Fn::GetAtt': [clusterLogicalId, 'Arn'] });
  });

  it.each(Object.keys(topics) as TopicId[])('%s: partitions and retention equal the topology', (id) => {
    const spec = topics[id];
    const t = topicResources.find((r) => r.Properties.TopicName === spec.name);
    expect(t?.Properties.PartitionCount).toBe(spec.partitions);
    expect(t?.Properties.ReplicationFactor).toBe(2);
    const configs = JSON.parse(Buffer.from(t?.Properties.Configs as string, 'base64').toString('utf8'));
    expect(configs).toEqual({
      'retention.ms': String(spec.retentionMs),
      'cleanup.policy': 'delete',
      'min.insync.replicas': '1',
    });
  });
});

describe('Streaming stack: Glue Schema Registry', () => {
  it('holds one JSON schema per event type, with the declared compatibility and the derived definition', () => {
    template.resourceCountIs('AWS::Glue::Registry', 1);
    const schemas = Object.values(resourcesOf(template, 'AWS::Glue::Schema'));
    const types = [...new Set(eventSchemas.map((e) => e.type))];
    expect(schemas.map((s) => s.Properties.Name).sort()).toEqual([...types].sort());
    for (const type of types) {
      const versions = eventSchemas.filter((e) => e.type === type);
      const first = versions[0];
      const s = schemas.find((r) => r.Properties.Name === type);
      expect(s?.Properties).toMatchObject({ DataFormat: 'JSON', Compatibility: first?.compatibility });
      expect(JSON.parse(s?.Properties.SchemaDefinition as string)).toEqual(
        glueSchemaDefinition(first?.schema as never, sharedSchemas),
      );
    }
  });

  it('registers later versions of a type on its schema, each after the previous', () => {
    const later = eventSchemas.filter((e) => e.version > 1);
    const versions = Object.values(resourcesOf(template, 'AWS::Glue::SchemaVersion'));
    expect(versions).toHaveLength(later.length);
    const schemaIds = template.findResources('AWS::Glue::Schema');
    for (const entry of later) {
      const definition = JSON.stringify(glueSchemaDefinition(entry.schema, sharedSchemas));
      const match = versions.find((v) => v.Properties.SchemaDefinition === definition);
      const schemaId = Object.entries(schemaIds).find(([, r]) => r.Properties.Name === entry.type)?.[0];
      expect(match?.Properties.Schema).toEqual({ SchemaArn: { 'Fn::GetAtt': [schemaId, 'Arn'] } });
    }

    // A third version must wait for the second: Glue checks compatibility against the latest one.
    const stack = new Stack(new App(), 'Registry');
    const [v1] = eventSchemas.filter((e) => e.type === 'OrderCreated');
    const three = [1, 2, 3].map((version) => ({ ...(v1 as EventSchemaEntry), version }));
    new SchemaRegistry(stack, 'R', { registryName: 'r', schemas: three });
    const t = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; DependsOn?: string[] }>;
    const ids = Object.keys(t).filter((id) => t[id]?.Type === 'AWS::Glue::SchemaVersion');
    const v2 = ids.find((id) => id.includes('V2'));
    const v3 = ids.find((id) => id.includes('V3'));
    expect(t[v3 as string]?.DependsOn).toEqual([v2]);
    expect(t[v2 as string]?.DependsOn).toBeUndefined();
  });

  it('refuses versions of one type that declare different compatibility', () => {
    const stack = new Stack(new App(), 'Mixed');
    const [v1] = eventSchemas.filter((e) => e.type === 'OrderCreated') as [EventSchemaEntry];
    const mixed = [v1, { ...v1, version: 2, compatibility: 'FULL' as const }];
    expect(() => new SchemaRegistry(stack, 'R', { registryName: 'r', schemas: mixed })).toThrow(
      /different x-compatibility/,
    );
  });
});
