/**
 * One AWS::MSK::Topic per topology topic: partitions and retention come from lib/topology.ts.
 * The MSK topic API needs a provisioned cluster on Kafka >= 3.6 (config.ts enforces the version).
 */
import * as msk from 'aws-cdk-lib/aws-msk';
import { Construct } from 'constructs';
import { type TopicId, type TopicSpec, topics } from '../topology';

export interface KafkaTopicsProps {
  readonly clusterArn: string;
  readonly replicationFactor: number;
}

/** Topic configs as the MSK API takes them: a JSON object of string values, base64-encoded. */
function topicConfigs(spec: TopicSpec, replicationFactor: number): string {
  const configs = {
    'retention.ms': String(spec.retentionMs),
    'cleanup.policy': 'delete',
    // acks=all must survive one broker being patched: with 2 replicas, 1 in-sync replica is enough.
    'min.insync.replicas': String(Math.max(1, replicationFactor - 1)),
  };
  return Buffer.from(JSON.stringify(configs), 'utf8').toString('base64');
}

export class KafkaTopics extends Construct {
  readonly topics: ReadonlyMap<TopicId, msk.CfnTopic>;

  constructor(scope: Construct, id: string, props: KafkaTopicsProps) {
    super(scope, id);
    if (!Number.isInteger(props.replicationFactor) || props.replicationFactor < 1) {
      throw new Error(`KafkaTopics: replicationFactor must be a positive integer, got ${props.replicationFactor}`);
    }
    const created = new Map<TopicId, msk.CfnTopic>();
    for (const [topicId, spec] of Object.entries(topics) as [TopicId, TopicSpec][]) {
      if (!Number.isInteger(spec.partitions) || spec.partitions < 1) {
        throw new Error(`KafkaTopics: topic ${spec.name} needs a positive partition count, got ${spec.partitions}`);
      }
      created.set(
        topicId,
        new msk.CfnTopic(this, topicId, {
          clusterArn: props.clusterArn,
          topicName: spec.name,
          partitionCount: spec.partitions,
          replicationFactor: props.replicationFactor,
          configs: topicConfigs(spec, props.replicationFactor),
        }),
      );
    }
    this.topics = created;
  }
}
