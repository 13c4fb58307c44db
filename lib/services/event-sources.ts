/**
 * The event source mappings of the topology. Kafka: one ManagedKafkaEventSource per mapping in
 * provisioned mode, all in one poller group (they share event pollers instead of paying for a
 * minimum each), with the error handling that only provisioned mode offers. DynamoDB Streams: the
 * relay reads only outbox INSERTs (topology filter patterns). Every mapping sends its failure record
 * to the function's dead-letter queue once retries are exhausted.
 */
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, ManagedKafkaEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { ESM_LIMITS, mappingLimitProblems } from '../aws-limits';
import type { KafkaMappingSpec, StreamMappingSpec } from '../topology';
import { topics } from '../topology';

const startingPosition = {
  TRIM_HORIZON: lambda.StartingPosition.TRIM_HORIZON,
  LATEST: lambda.StartingPosition.LATEST,
  AT_TIMESTAMP: lambda.StartingPosition.AT_TIMESTAMP,
} as const;

/**
 * Window, record age: the topology's seconds as CDK durations (-1 / the MSK default = leave unset),
 * after checking every bounded setting against CreateEventSourceMapping's limits (lib/aws-limits.ts).
 * CloudFormation takes the window in whole seconds only, so MSK's 0.5 s default is left unset.
 */
function timing(mapping: KafkaMappingSpec | StreamMappingSpec) {
  const window = mapping.maxBatchingWindowSeconds;
  const keepDefault = mapping.kind === 'kafka' && window === ESM_LIMITS.mskDefaultBatchingWindowSeconds;
  const problems = mappingLimitProblems(keepDefault ? { ...mapping, maxBatchingWindowSeconds: 0 } : mapping, {
    wholeSecondWindow: true,
  });
  if (problems.length > 0) throw new Error(`mapping ${mapping.id}: ${problems.join('; ')}`);
  const age = mapping.maxRecordAgeSeconds;
  return {
    ...(keepDefault ? {} : { maxBatchingWindow: Duration.seconds(window) }),
    ...(age === ESM_LIMITS.infinite ? {} : { maxRecordAge: Duration.seconds(age) }),
  };
}

/**
 * Every optional metric group a Kafka mapping can publish (none is published unless listed): EventCount,
 * ErrorCount and KafkaMetrics ("metrics related to the Kafka consumers"), for Amazon MSK.
 * https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingMetricsConfig.html
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html#event-source-mapping-metrics
 */
const KAFKA_MAPPING_METRICS: readonly lambda.MetricType[] = [
  lambda.MetricType.EVENT_COUNT,
  lambda.MetricType.ERROR_COUNT,
  lambda.MetricType.KAFKA_METRICS,
];

export interface KafkaSourceOptions {
  readonly clusterArn: string;
  readonly pollerGroupName: string;
  readonly onFailureQueue: sqs.IQueue;
}

export function kafkaEventSource(mapping: KafkaMappingSpec, options: KafkaSourceOptions): ManagedKafkaEventSource {
  const topic = topics[mapping.topic];
  return new ManagedKafkaEventSource({
    clusterArn: options.clusterArn,
    topic: topic.name,
    consumerGroupId: mapping.consumerGroupId,
    startingPosition: startingPosition[mapping.startingPosition],
    ...(mapping.startingPositionTimestamp === undefined
      ? {}
      : { startingPositionTimestamp: mapping.startingPositionTimestamp }),
    batchSize: mapping.batchSize,
    ...timing(mapping),
    // Lambda never runs more pollers than the topic has partitions (ordering per partition).
    provisionedPollerConfig: {
      minimumPollers: 1,
      maximumPollers: topic.partitions,
      pollerGroupName: options.pollerGroupName,
    },
    retryAttempts: mapping.retryAttempts,
    bisectBatchOnError: mapping.bisectBatchOnError,
    reportBatchItemFailures: mapping.reportBatchItemFailures,
    onFailure: new SqsDlq(options.onFailureQueue),
    metricsConfig: { metrics: [...KAFKA_MAPPING_METRICS] },
  });
}

export function streamEventSource(mapping: StreamMappingSpec, table: dynamodb.ITable, onFailureQueue: sqs.IQueue) {
  if (!table.tableStreamArn) throw new Error(`mapping ${mapping.id}: table ${mapping.table} has no stream`);
  return new DynamoEventSource(table, {
    startingPosition: startingPosition[mapping.startingPosition],
    batchSize: mapping.batchSize,
    ...timing(mapping),
    retryAttempts: mapping.retryAttempts,
    bisectBatchOnError: mapping.bisectBatchOnError,
    reportBatchItemFailures: mapping.reportBatchItemFailures,
    parallelizationFactor: mapping.parallelizationFactor,
    filters: mapping.filterPatterns.map((pattern) => lambda.FilterCriteria.filter(pattern)),
    onFailure: new SqsDlq(onFailureQueue),
  });
}
