/** The AWS temporary mapping against a mocked Lambda client: the request the replay sends, and its removal. */
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { replayMapping } from '../../../lib/topology';
import { awsMappingState, createAwsReplayMapping, queueArnOfUrl } from './aws-mapping';

const lambdaMock = mockClient(LambdaClient);
const target = {
  functionName: 'OrderSaga-Services-Notification123',
  clusterArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/ordersaga/abcd-1',
  topicName: 'payments',
  onFailureQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/OrderSaga-Services-NotificationDlq',
  pollerGroupName: 'ordersaga-kafka-consumers',
};

beforeEach(() => lambdaMock.reset());

describe('AWS replay mapping', () => {
  it("creates an AT_TIMESTAMP mapping in the replay group with the live mapping's error handling, then deletes it", async () => {
    lambdaMock.on(CreateEventSourceMappingCommand).resolves({ UUID: 'uuid-1' });
    lambdaMock.on(DeleteEventSourceMappingCommand).resolves({});
    const mapping = replayMapping('notification', 'payments', { fromSeconds: 1_767_265_200 });
    const created = await createAwsReplayMapping(new LambdaClient({}), mapping, target);
    expect(created.uuid).toBe('uuid-1');
    const [call] = lambdaMock.commandCalls(CreateEventSourceMappingCommand);
    expect(call?.args[0].input).toEqual({
      FunctionName: target.functionName,
      EventSourceArn: target.clusterArn,
      Topics: ['payments'],
      AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'replay.notification.payments' },
      StartingPosition: 'AT_TIMESTAMP',
      StartingPositionTimestamp: new Date(1_767_265_200_000),
      BatchSize: 100,
      MaximumRetryAttempts: 10,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: { Destination: 'arn:aws:sqs:eu-west-1:123456789012:OrderSaga-Services-NotificationDlq' },
      },
      ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 6, PollerGroupName: target.pollerGroupName },
      Enabled: true,
    });
    expect(lambdaMock.commandCalls(DeleteEventSourceMappingCommand)).toHaveLength(0);
    await created.remove();
    expect(lambdaMock.commandCalls(DeleteEventSourceMappingCommand)[0]?.args[0].input).toEqual({ UUID: 'uuid-1' });
  });

  it('starts an offset replay at TRIM_HORIZON: the group was given its offsets first, and an existing group resumes', async () => {
    lambdaMock.on(CreateEventSourceMappingCommand).resolves({ UUID: 'uuid-2' });
    await createAwsReplayMapping(new LambdaClient({}), replayMapping('order-view', 'orders', {}), target);
    const input = lambdaMock.commandCalls(CreateEventSourceMappingCommand)[0]?.args[0].input;
    expect(input?.StartingPosition).toBe('TRIM_HORIZON');
    expect(input).not.toHaveProperty('StartingPositionTimestamp');
    expect(input?.AmazonManagedKafkaEventSourceConfig).toEqual({ ConsumerGroupId: 'replay.order-view.orders' });
  });

  it('fails without a mapping UUID and reports a mapping that cannot poll', async () => {
    lambdaMock.on(CreateEventSourceMappingCommand).resolves({});
    await expect(
      createAwsReplayMapping(new LambdaClient({}), replayMapping('notification', 'payments', {}), target),
    ).rejects.toThrow(/no UUID/);
    lambdaMock
      .on(GetEventSourceMappingCommand)
      .resolves({ State: 'Enabled', LastProcessingResult: 'PROBLEM: Connection error.' });
    await expect(awsMappingState(new LambdaClient({}), 'u')).resolves.toEqual({
      state: 'Enabled',
      problem: 'PROBLEM: Connection error.',
    });
  });

  it('derives the on-failure destination ARN from the queue URL', () => {
    expect(queueArnOfUrl('https://sqs.us-east-1.amazonaws.com/123456789012/q-1')).toBe(
      'arn:aws:sqs:us-east-1:123456789012:q-1',
    );
    expect(() => queueArnOfUrl('http://127.0.0.1:9324/000000000000/q')).toThrow(/cannot derive/);
  });

  it('refuses a replay of a topic the function does not consume', () => {
    expect(() => replayMapping('payment', 'payments', {})).toThrow('payment does not consume payments');
  });
});
