/**
 * A replay's temporary mapping in AWS: CreateEventSourceMapping on the deployed function with the live
 * mapping's settings, the replay's own consumer group (AmazonManagedKafkaEventSourceConfig.ConsumerGroupId)
 * and StartingPosition AT_TIMESTAMP + StartingPositionTimestamp (Unix seconds), or TRIM_HORIZON when the
 * group's offsets were set beforehand (an existing group resumes from its committed offsets); removed with
 * DeleteEventSourceMapping once the window is done. Provisioned mode in the deployment's poller group, as
 * the live mappings (the on-failure destination and bisect need it for Kafka).
 * https://docs.aws.amazon.com/lambda/latest/dg/msk-esm-parameters.html
 * https://docs.aws.amazon.com/lambda/latest/dg/kafka-starting-positions.html
 * https://docs.aws.amazon.com/lambda/latest/dg/kafka-consumer-group-id.html
 * The caller's credentials need what the stack's replay role grants (lib/services/replay-access.ts); the
 * mapping reads Kafka as the function's role, which the stack lets into its own `replay.<fn>.<topic>.*` groups.
 */
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { type KafkaMappingSpec, topics } from '../../../lib/topology';
import { CliError } from '../io';

export interface AwsReplayTarget {
  readonly functionName: string;
  readonly clusterArn: string;
  readonly topicName: string;
  readonly onFailureQueueUrl: string;
  readonly pollerGroupName: string;
}

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` → its ARN (the destination wants the ARN). */
export function queueArnOfUrl(url: string): string {
  const m = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(\d{12})\/([A-Za-z0-9_-]+(?:\.fifo)?)$/.exec(url);
  if (!m) throw new CliError(`cannot derive a queue ARN from ${url}`);
  const partition = url.includes('.amazonaws.com.cn/') ? 'aws-cn' : 'aws';
  return `arn:${partition}:sqs:${m[1]}:${m[2]}:${m[3]}`;
}

export function createMappingInput(mapping: KafkaMappingSpec, target: AwsReplayTarget) {
  return {
    FunctionName: target.functionName,
    EventSourceArn: target.clusterArn,
    Topics: [target.topicName],
    AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: mapping.consumerGroupId },
    StartingPosition: mapping.startingPosition,
    ...(mapping.startingPositionTimestamp === undefined
      ? {}
      : { StartingPositionTimestamp: new Date(mapping.startingPositionTimestamp * 1000) }),
    BatchSize: mapping.batchSize,
    MaximumRetryAttempts: mapping.retryAttempts,
    BisectBatchOnFunctionError: mapping.bisectBatchOnError,
    ...(mapping.reportBatchItemFailures ? { FunctionResponseTypes: ['ReportBatchItemFailures' as const] } : {}),
    DestinationConfig: { OnFailure: { Destination: queueArnOfUrl(target.onFailureQueueUrl) } },
    ProvisionedPollerConfig: {
      MinimumPollers: 1,
      MaximumPollers: topics[mapping.topic].partitions,
      PollerGroupName: target.pollerGroupName,
    },
    Enabled: true,
  };
}

export async function createAwsReplayMapping(
  lambda: LambdaClient,
  mapping: KafkaMappingSpec,
  target: AwsReplayTarget,
): Promise<{ uuid: string; remove: () => Promise<void> }> {
  const created = await lambda.send(new CreateEventSourceMappingCommand(createMappingInput(mapping, target)));
  const uuid = created.UUID;
  if (!uuid) throw new CliError('CreateEventSourceMapping returned no UUID');
  return {
    uuid,
    remove: async () => {
      await lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
    },
  };
}

/** The mapping's state (Creating, Enabled, ...) and the reason Lambda gives when it cannot poll. */
export async function awsMappingState(
  lambda: LambdaClient,
  uuid: string,
): Promise<{ state: string; problem?: string }> {
  const m = await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
  const problem = m.LastProcessingResult && /PROBLEM/.test(m.LastProcessingResult) ? m.LastProcessingResult : undefined;
  return { state: m.State ?? 'unknown', ...(problem ? { problem } : {}) };
}
