/**
 * The Kafka data-plane permissions CDK does not add (ManagedKafkaEventSource grants only
 * kafka:DescribeCluster/GetBootstrapBrokers/ListScramSecrets): each function gets exactly the
 * cluster, topics and consumer groups the topology gives it. No kafka-cluster:* wildcard.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type { KafkaResourceArns } from '../streaming/kafka-arns';
import { type KafkaMappingSpec, type TopicId, topics } from '../topology';

export const CONSUMER_CLUSTER_ACTIONS = ['kafka-cluster:Connect', 'kafka-cluster:DescribeClusterDynamicConfiguration'];
export const CONSUMER_TOPIC_ACTIONS = ['kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData'];
export const CONSUMER_GROUP_ACTIONS = ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'];
export const PRODUCER_CLUSTER_ACTIONS = ['kafka-cluster:Connect', 'kafka-cluster:WriteDataIdempotently'];
export const PRODUCER_TOPIC_ACTIONS = ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData'];

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** What an ESM's poller (acting as the function's role) needs to read its topics as its groups. */
export function kafkaConsumerStatements(
  arns: KafkaResourceArns,
  mappings: readonly KafkaMappingSpec[],
): iam.PolicyStatement[] {
  if (mappings.length === 0) throw new Error('kafkaConsumerStatements: no mappings');
  return [
    new iam.PolicyStatement({ actions: CONSUMER_CLUSTER_ACTIONS, resources: [arns.cluster] }),
    new iam.PolicyStatement({
      actions: CONSUMER_TOPIC_ACTIONS,
      resources: unique(mappings.map((m) => topics[m.topic].name)).map(arns.topic),
    }),
    new iam.PolicyStatement({
      actions: CONSUMER_GROUP_ACTIONS,
      resources: unique(mappings.map((m) => m.consumerGroupId)).map(arns.group),
    }),
  ];
}

/** What the idempotent kafkajs producer needs (its brokers are resolved at deploy time: no kafka:* call). */
export function kafkaProducerStatements(arns: KafkaResourceArns, topicIds: readonly TopicId[]): iam.PolicyStatement[] {
  if (topicIds.length === 0) throw new Error('kafkaProducerStatements: no topics');
  return [
    new iam.PolicyStatement({ actions: PRODUCER_CLUSTER_ACTIONS, resources: [arns.cluster] }),
    new iam.PolicyStatement({
      actions: PRODUCER_TOPIC_ACTIONS,
      resources: unique(topicIds.map((t) => topics[t].name)).map(arns.topic),
    }),
  ];
}
