/**
 * freshDynamoDbLocal against a real DynamoDB Local of its own (a free port and a temporary state dir), so
 * the suite's shared servers are not touched: a restart clears every table and stream record; a server
 * the run did not start is left alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { freshDynamoDbLocal } from './fresh-dynamodb';
import { backendSettings, endpoints, startBackends, stopBackends } from './index';

jest.setTimeout(120_000);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

let stateDir: string;
let settings: ReturnType<typeof backendSettings>;
let client: DynamoDBClient;
const quiet = { log: () => undefined };

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'fresh-ddb-'));
  const env = { ...process.env, LOCAL_BACKENDS_STATE_DIR: stateDir, LOCAL_DYNAMODB_PORT: String(await freePort()) };
  settings = backendSettings(env);
  client = new DynamoDBClient({
    endpoint: endpoints(settings).dynamodb,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client.destroy();
  await stopBackends({ settings, only: ['dynamodb'], ...quiet });
  rmSync(stateDir, { recursive: true, force: true });
});

async function tableWithStreamRecords(): Promise<string> {
  const name = `fresh-${Date.now()}`;
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  for (let i = 0; i < 5; i++) await client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: `k${i}` } } }));
  return name;
}

const tables = async () => (await client.send(new ListTablesCommand({}))).TableNames ?? [];

test('a server this run started is restarted: its tables and their stream records are gone', async () => {
  const first = await startBackends({ settings, only: ['dynamodb'], ...quiet });
  expect(first.started).toEqual(['dynamodb']);
  const name = await tableWithStreamRecords();
  expect(await tables()).toContain(name); // the state the restart must clear is really there

  await expect(freshDynamoDbLocal(first.started, { settings, ...quiet })).resolves.toBe('restarted');
  expect(await tables()).toEqual([]);
});

test('a server this run did not start is left running with its tables', async () => {
  const name = await tableWithStreamRecords();
  await expect(freshDynamoDbLocal([], { settings, ...quiet })).resolves.toBe('not started by this run');
  await expect(freshDynamoDbLocal(['kafka', 'sqs'], { settings, ...quiet })).resolves.toBe('not started by this run');
  expect(await tables()).toContain(name);
});
