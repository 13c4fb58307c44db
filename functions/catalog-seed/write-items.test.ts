import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { BATCH_SIZE, writeAllItems } from './write-items';

const ddb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({ region: 'us-east-1' });
const TABLE = 'inventory';
const item = (i: number) => ({ pk: { S: `SKU#${i}` }, available: { N: String(i) } });
const items = (n: number) => Array.from({ length: n }, (_, i) => item(i));
const putsOf = (call: number) =>
  (ddb.commandCalls(BatchWriteItemCommand)[call]?.args[0].input.RequestItems?.[TABLE] ?? []).map(
    (r) => r.PutRequest?.Item?.pk?.S,
  );

const retry = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 };

beforeEach(() => ddb.reset());

describe('writeAllItems', () => {
  it('writes in batches of 25', async () => {
    ddb.on(BatchWriteItemCommand).resolves({ UnprocessedItems: {} });
    const report = await writeAllItems(client, TABLE, items(60), { sleep: async () => {} });
    expect(report).toEqual({ written: 60, requests: 3 });
    expect([0, 1, 2].map((c) => putsOf(c).length)).toEqual([BATCH_SIZE, BATCH_SIZE, 10]);
  });

  it('retries exactly the unprocessed items, with growing jittered backoff, until none are left', async () => {
    const left = (ids: number[]) => ({
      UnprocessedItems: { [TABLE]: ids.map((i) => ({ PutRequest: { Item: item(i) } })) },
    });
    ddb
      .on(BatchWriteItemCommand)
      .resolvesOnce(left([3, 7, 9]))
      .resolvesOnce(left([7]))
      .resolvesOnce({ UnprocessedItems: {} });
    const waits: number[] = [];
    const report = await writeAllItems(client, TABLE, items(10), {
      retry,
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
    });
    expect(report.requests).toBe(3);
    expect(putsOf(0)).toHaveLength(10);
    expect(putsOf(1)).toEqual(['SKU#3', 'SKU#7', 'SKU#9']);
    expect(putsOf(2)).toEqual(['SKU#7']);
    // Half (random 0.5) of 100 * 2^(n-1), capped at 250.
    expect(waits).toEqual([50, 100]);
  });

  it('fails loudly, naming the table and the count, when items stay unprocessed past the bound', async () => {
    ddb.on(BatchWriteItemCommand).callsFake((input: { RequestItems: Record<string, unknown[]> }) => ({
      UnprocessedItems: { [TABLE]: (input.RequestItems[TABLE] ?? []).slice(0, 2) },
    }));
    const waits: number[] = [];
    await expect(
      writeAllItems(client, TABLE, items(5), {
        retry,
        sleep: async (ms) => {
          waits.push(ms);
        },
        random: () => 0.999,
      }),
    ).rejects.toThrow(
      '2 of the items 1..5 were still unprocessed by DynamoDB after 4 BatchWriteItem attempts on inventory',
    );
    expect(ddb.commandCalls(BatchWriteItemCommand)).toHaveLength(4);
    expect(waits).toEqual([99, 199, 249]);
  });

  it('lets a failing BatchWriteItem call fail the write', async () => {
    ddb.on(BatchWriteItemCommand).rejects(new Error('AccessDeniedException'));
    await expect(writeAllItems(client, TABLE, items(3), { sleep: async () => {} })).rejects.toThrow('AccessDenied');
  });
});
