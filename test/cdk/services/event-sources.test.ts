/**
 * The event source mappings' constructor checks (lib/services/event-sources.ts): every setting
 * CreateEventSourceMapping bounds (lib/aws-limits.ts ESM_LIMITS) is refused outside its range and reaches
 * the template as is at the bounds; MSK's 0.5 s default window is left unset (CloudFormation takes whole
 * seconds). https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ESM_LIMITS } from '../../../lib/aws-limits';
import { kafkaEventSource, streamEventSource } from '../../../lib/services/event-sources';
import { type KafkaMappingSpec, kafkaMappings, type StreamMappingSpec, streamMappings } from '../../../lib/topology';
import { standInFunction } from '../support';

const kafkaMapping = kafkaMappings[0] as KafkaMappingSpec;
const streamMapping = streamMappings[0] as StreamMappingSpec;

function stackWithFunction() {
  const stack = new Stack(new App(), 'Esm');
  const fn = standInFunction(stack);
  const queue = new sqs.Queue(stack, 'Dlq');
  const table = new dynamodb.Table(stack, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    stream: dynamodb.StreamViewType.NEW_IMAGE,
  });
  return { stack, fn, queue, table };
}

/** The mapping's CloudFormation properties, with the Kafka mapping's settings overridden. */
function kafkaTemplate(overrides: Partial<KafkaMappingSpec>): Record<string, unknown> {
  const { stack, fn, queue } = stackWithFunction();
  fn.addEventSource(
    kafkaEventSource(
      { ...kafkaMapping, ...overrides },
      { clusterArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/c/1', pollerGroupName: 'g', onFailureQueue: queue },
    ),
  );
  const mappings = Template.fromStack(stack).findResources('AWS::Lambda::EventSourceMapping');
  return (Object.values(mappings)[0] as { Properties: Record<string, unknown> }).Properties;
}

function streamTemplate(overrides: Partial<StreamMappingSpec>): Record<string, unknown> {
  const { stack, fn, queue, table } = stackWithFunction();
  fn.addEventSource(streamEventSource({ ...streamMapping, ...overrides }, table, queue));
  const mappings = Template.fromStack(stack).findResources('AWS::Lambda::EventSourceMapping');
  return (Object.values(mappings)[0] as { Properties: Record<string, unknown> }).Properties;
}

describe('Kafka and stream mappings at the bounds reach the template unchanged', () => {
  it.each([
    ['kafka', kafkaTemplate],
    ['stream', streamTemplate],
  ] as const)('%s: batch size, window, record age and retries at their maxima', (_, build) => {
    const props = build({
      batchSize: ESM_LIMITS.batchSize.max,
      maxBatchingWindowSeconds: ESM_LIMITS.batchingWindowSeconds.max,
      maxRecordAgeSeconds: ESM_LIMITS.recordAgeSeconds.max,
      retryAttempts: ESM_LIMITS.retryAttempts.max,
    });
    expect(props).toMatchObject({
      BatchSize: 10_000,
      MaximumBatchingWindowInSeconds: 300,
      MaximumRecordAgeInSeconds: 604_800,
      MaximumRetryAttempts: 10_000,
    });
  });

  it('the minima: batch of 1, no window, records kept 60 s, no retries', () => {
    const props = streamTemplate({
      batchSize: 1,
      maxBatchingWindowSeconds: 0,
      maxRecordAgeSeconds: ESM_LIMITS.recordAgeSeconds.min,
      retryAttempts: 0,
    });
    expect(props).toMatchObject({
      BatchSize: 1,
      MaximumBatchingWindowInSeconds: 0,
      MaximumRecordAgeInSeconds: 60,
      MaximumRetryAttempts: 0,
    });
  });

  it("leaves MSK's 0.5 s default window and an infinite record age unset", () => {
    const props = kafkaTemplate({ maxBatchingWindowSeconds: 0.5, maxRecordAgeSeconds: -1 });
    expect(props.MaximumBatchingWindowInSeconds).toBeUndefined();
    expect(props.MaximumRecordAgeInSeconds).toBeUndefined();
    expect(props).toMatchObject({
      BatchSize: kafkaMapping.batchSize,
      DestinationConfig: { OnFailure: { Destination: expect.anything() } },
    });
  });
});

describe('settings outside the limits fail the synth, naming the mapping and the setting', () => {
  it.each([
    [{ batchSize: 0 }, /batchSize must be a whole number 1\.\.10000, got 0/],
    [{ batchSize: 10_001 }, /batchSize must be a whole number 1\.\.10000, got 10001/],
    [{ maxBatchingWindowSeconds: 301 }, /maxBatchingWindowSeconds must be a whole number 0\.\.300, got 301/],
    [{ maxBatchingWindowSeconds: 1.5 }, /maxBatchingWindowSeconds must be a whole number 0\.\.300, got 1\.5/],
    [{ maxBatchingWindowSeconds: -1 }, /maxBatchingWindowSeconds must be a whole number 0\.\.300, got -1/],
    [{ maxRecordAgeSeconds: 59 }, /maxRecordAgeSeconds must be -1 or 60\.\.604800, got 59/],
    [{ maxRecordAgeSeconds: 604_801 }, /maxRecordAgeSeconds must be -1 or 60\.\.604800, got 604801/],
    [{ retryAttempts: 10_001 }, /retryAttempts must be -1 or 0\.\.10000, got 10001/],
    [{ retryAttempts: -2 }, /retryAttempts must be -1 or 0\.\.10000, got -2/],
  ] as const)('%j', (overrides, message) => {
    expect(() => kafkaTemplate(overrides)).toThrow(new RegExp(`mapping ${kafkaMapping.id}: .*${message.source}`));
    expect(() => streamTemplate(overrides)).toThrow(new RegExp(`mapping ${streamMapping.id}: .*${message.source}`));
  });

  it('a stream mapping on a table without a stream', () => {
    const { stack, queue } = stackWithFunction();
    const plain = new dynamodb.Table(stack, 'Plain', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });
    expect(() => streamEventSource(streamMapping, plain, queue)).toThrow(/has no stream/);
  });
});
