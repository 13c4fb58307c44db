/** The catalog-seed custom resource handler (this folder: the function that writes the inventory catalog at deploy): its CloudFormation responses and retried batch writes, with DynamoDB mocked. */
import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { parseCatalog, stockItem } from '../inventory/catalog';
import catalogJson from '../inventory/catalog.json';
import { PHYSICAL_ID, seed } from './handler';

const ddb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({ region: 'us-east-1' });
const catalog = parseCatalog(catalogJson);

const common = {
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:seed',
  ResponseURL: 'https://cloudformation-custom-resource-response.example/presigned',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/OrderSaga-Data/1',
  RequestId: 'req-1',
  LogicalResourceId: 'Seed',
  ResourceType: 'Custom::CatalogSeed',
  ResourceProperties: { ServiceToken: 'x', TableName: 'inventory-table' },
};
const create = { ...common, RequestType: 'Create' } as CloudFormationCustomResourceEvent;

async function run(event: CloudFormationCustomResourceEvent) {
  const responses: { url: string; body: CloudFormationCustomResourceResponse }[] = [];
  await seed(event, {
    client,
    respond: async (url, body) => {
      responses.push({ url, body });
    },
    write: { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 }, sleep: async () => {} },
  });
  expect(responses).toHaveLength(1);
  return responses[0] as { url: string; body: CloudFormationCustomResourceResponse };
}

beforeEach(() => ddb.reset());

describe('catalog seed custom resource', () => {
  it('on create writes every catalog SKU in the local provisioner shape, and answers SUCCESS', async () => {
    ddb.on(BatchWriteItemCommand).resolves({ UnprocessedItems: {} });
    const { url, body } = await run(create);
    const written = ddb
      .commandCalls(BatchWriteItemCommand)
      .flatMap((c) => c.args[0].input.RequestItems?.['inventory-table'] ?? [])
      .map((r) => unmarshall(r.PutRequest?.Item ?? {}));
    expect(written).toHaveLength(catalog.length);
    expect(written).toEqual(catalog.map(stockItem));
    expect(url).toBe(common.ResponseURL);
    expect(body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: PHYSICAL_ID,
      StackId: common.StackId,
      RequestId: 'req-1',
      LogicalResourceId: 'Seed',
      Data: { Written: catalog.length },
    });
  });

  it('answers FAILED with the reason when items stay unprocessed, so the deploy stops at once', async () => {
    ddb.on(BatchWriteItemCommand).callsFake((input: { RequestItems: Record<string, unknown[]> }) => ({
      UnprocessedItems: { 'inventory-table': (input.RequestItems['inventory-table'] ?? []).slice(0, 1) },
    }));
    const { body } = await run(create);
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(
      /1 of the items 1\.\.25 were still unprocessed by DynamoDB after 3 BatchWriteItem attempts/,
    );
    expect(ddb.commandCalls(BatchWriteItemCommand)).toHaveLength(3);
  });

  it('answers FAILED naming the property when TableName is missing', async () => {
    const { body } = await run({ ...create, ResourceProperties: { ServiceToken: 'x' } });
    expect(body).toMatchObject({ Status: 'FAILED', Reason: 'catalog seed: property TableName is required' });
    expect(ddb.commandCalls(BatchWriteItemCommand)).toHaveLength(0);
  });

  it.each(['Update', 'Delete'] as const)('on %s writes nothing and keeps the resource', async (RequestType) => {
    const event = { ...common, RequestType, PhysicalResourceId: PHYSICAL_ID, OldResourceProperties: {} };
    const { body } = await run(event as CloudFormationCustomResourceEvent);
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: PHYSICAL_ID });
    expect(ddb.commandCalls(BatchWriteItemCommand)).toHaveLength(0);
  });
});
