/**
 * Smoke test of DynamoDB Local: a table with a NEW_AND_OLD_IMAGES stream, a two-item
 * TransactWriteItems, a failing condition answered with TransactionCanceledException and its
 * reasons, and the committed changes read back from the stream.
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { requireBackends } from '../support/backends';
import { streamRecords } from '../support/isolated-resources';
import { uniqueName } from '../support/unique-name';

const ddb = new DynamoDBClient({});
const table = uniqueName('smoke-ddb');

beforeAll(async () => {
  await requireBackends('dynamodb');
  await ddb.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  await waitUntilTableExists({ client: ddb, maxWaitTime: 30 }, { TableName: table });
}, 40_000);

afterAll(async () => {
  await ddb.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
  ddb.destroy();
});

const order = { pk: { S: 'ORDER#1' }, sk: { S: 'ORDER' } };
const outbox = { pk: { S: 'OUTBOX#1' }, sk: { S: 'event-1' } };

test('transactions commit atomically, cancel with reasons, and appear in the stream with both images', async () => {
  const described = await ddb.send(new DescribeTableCommand({ TableName: table }));
  expect(described.Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  const streamArn = described.Table?.LatestStreamArn;
  expect(streamArn).toBeDefined();

  // Two items in one transaction (the order and its outbox item).
  await ddb.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        {
          Put: {
            TableName: table,
            Item: { ...order, status: { S: 'PENDING' } },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: table, Item: { ...outbox, type: { S: 'OrderCreated' } } } },
      ],
    }),
  );

  // The same order again: the condition fails, nothing of the transaction is written.
  const failing = ddb.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        {
          Put: {
            TableName: table,
            Item: { ...order, status: { S: 'DUPLICATE' } },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        { Put: { TableName: table, Item: { pk: { S: 'OUTBOX#1' }, sk: { S: 'event-2' } } } },
      ],
    }),
  );
  const error = await failing.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransactionCanceledException);
  const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
  expect(reasons.map((r) => r.Code)).toEqual(['ConditionalCheckFailed', 'None']);
  expect(reasons[0]?.Item?.status).toEqual({ S: 'PENDING' });
  const notWritten = await ddb.send(
    new GetItemCommand({ TableName: table, Key: { pk: { S: 'OUTBOX#1' }, sk: { S: 'event-2' } } }),
  );
  expect(notWritten.Item).toBeUndefined();

  // An update, so the stream carries an old and a new image.
  await ddb.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        {
          Update: {
            TableName: table,
            Key: order,
            UpdateExpression: 'SET #s = :s',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':s': { S: 'CONFIRMED' } },
          },
        },
      ],
    }),
  );

  const records = await streamRecords(streamArn as string);
  const summary = records.map((r) => [r.eventName, r.dynamodb?.Keys?.pk?.S, r.dynamodb?.StreamViewType]);
  expect(summary).toEqual([
    ['INSERT', 'ORDER#1', 'NEW_AND_OLD_IMAGES'],
    ['INSERT', 'OUTBOX#1', 'NEW_AND_OLD_IMAGES'],
    ['MODIFY', 'ORDER#1', 'NEW_AND_OLD_IMAGES'],
  ]);
  const modify = records[2]?.dynamodb;
  expect(modify?.OldImage?.status).toEqual({ S: 'PENDING' });
  expect(modify?.NewImage?.status).toEqual({ S: 'CONFIRMED' });
  expect(records[1]?.dynamodb?.NewImage?.type).toEqual({ S: 'OrderCreated' });
}, 60_000);
