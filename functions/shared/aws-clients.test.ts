/**
 * The shared DynamoDB client resolves its middleware stack once per command class (`cacheMiddleware`):
 * pinned here because it is a CPU cost per call in every function (aws-clients.ts says what it saves).
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDb } from './aws-clients';

describe('dynamoDb()', () => {
  beforeAll(() => {
    process.env.AWS_REGION ??= 'eu-west-1';
    process.env.AWS_ACCESS_KEY_ID ??= 'test';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  });

  test('is one client, configured to cache its resolved middleware', () => {
    expect(dynamoDb()).toBe(dynamoDb());
    expect(dynamoDb().config.cacheMiddleware).toBe(true);
  });

  test('resolves the middleware stack once per command class, not on every send', async () => {
    const client = dynamoDb();
    // Answer at the first step, before any request is built: this test is about resolution, not the wire.
    client.middlewareStack.add(() => async () => ({ output: { $metadata: {} }, response: {} }), {
      step: 'initialize',
      name: 'answerWithoutSending',
    });
    const resolveGet = jest.spyOn(GetItemCommand.prototype, 'resolveMiddleware');
    const resolvePut = jest.spyOn(PutItemCommand.prototype, 'resolveMiddleware');
    for (let i = 0; i < 3; i++) {
      await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: `k${i}` } } }));
      await client.send(new PutItemCommand({ TableName: 't', Item: { pk: { S: `k${i}` } } }));
    }
    expect(resolveGet).toHaveBeenCalledTimes(1);
    expect(resolvePut).toHaveBeenCalledTimes(1);
  });
});
