/**
 * BatchWriteItem of many items, retrying what DynamoDB leaves unprocessed. BatchWriteItem succeeds even
 * when it writes only part of a batch (throttling, size, internal limits): the rest comes back in
 * UnprocessedItems, and AWS says to retry those with exponential backoff.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
 * Ignoring them left the catalog partly seeded, and orders for the missing SKUs were rejected for good.
 */
import { type AttributeValue, BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** DynamoDB BatchWriteItem's limit per request. */
export const BATCH_SIZE = 25;

export interface RetryPolicy {
  /** BatchWriteItem calls per batch, the first included, before giving up. */
  readonly maxAttempts: number;
  /** Backoff before retry n (1-based) is up to min(maxDelayMs, baseDelayMs * 2^(n-1)), full jitter. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** ~25 s of backoff at most per batch: well inside the seed function's timeout. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 5_000 };

export interface WriteOptions {
  readonly retry?: RetryPolicy;
  /** Waits between attempts (tests pass a recorder). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter source (tests pass a constant). */
  readonly random?: () => number;
}

export interface WriteReport {
  readonly written: number;
  readonly requests: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function writeAllItems(
  client: DynamoDBClient,
  tableName: string,
  items: readonly Record<string, AttributeValue>[],
  options: WriteOptions = {},
): Promise<WriteReport> {
  const retry = options.retry ?? DEFAULT_RETRY;
  if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1) {
    throw new Error(`writeAllItems: retry.maxAttempts must be an integer >= 1, got ${retry.maxAttempts}`);
  }
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  let requests = 0;
  for (let start = 0; start < items.length; start += BATCH_SIZE) {
    let pending = items.slice(start, start + BATCH_SIZE).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) {
        const cap = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 2));
        await sleep(Math.floor(random() * cap));
      }
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
      requests++;
      const unprocessed = out.UnprocessedItems?.[tableName] ?? [];
      const unexpected = Object.keys(out.UnprocessedItems ?? {}).filter((t) => t !== tableName);
      if (unexpected.length > 0)
        throw new Error(`writeAllItems: UnprocessedItems for unknown tables ${unexpected.join(', ')}`);
      pending = unprocessed.flatMap((r) => (r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : []));
      if (pending.length > 0 && attempt >= retry.maxAttempts) {
        throw new Error(
          `writeAllItems: ${pending.length} of the items ${start + 1}..${Math.min(start + BATCH_SIZE, items.length)} ` +
            `were still unprocessed by DynamoDB after ${retry.maxAttempts} BatchWriteItem attempts on ${tableName}`,
        );
      }
    }
  }
  return { written: items.length, requests };
}
