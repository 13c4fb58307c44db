/** Watching orders until their final status, for the benchmarks that time POST → final. */
import { BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { FINAL_STATUSES } from '../functions/order-view/status';
import { dynamoDb } from '../functions/shared/aws-clients';

/** Polls the orders (100 per BatchGetItem) every `pollMs`, during and after the load; when each was first seen final. */
export async function watchUntilFinal(
  table: string,
  sentAt: ReadonlyMap<string, number>,
  timeoutMs: number,
  loadFinished: () => boolean,
  pollMs = 100,
): Promise<Map<string, number>> {
  const finalAt = new Map<string, number>();
  const deadline = Date.now() + timeoutMs;
  while ((!loadFinished() || finalAt.size < sentAt.size) && Date.now() < deadline) {
    const pending = [...sentAt.keys()].filter((id) => !finalAt.has(id));
    for (let i = 0; i < pending.length; i += 100) {
      const keys = pending.slice(i, i + 100).map((id) => marshall({ pk: `ORDER#${id}`, sk: 'ORDER' }));
      const out = await dynamoDb().send(
        new BatchGetItemCommand({
          RequestItems: {
            [table]: { Keys: keys, ProjectionExpression: 'orderId, #s', ExpressionAttributeNames: { '#s': 'status' } },
          },
        }),
      );
      const now = Date.now();
      for (const item of out.Responses?.[table] ?? []) {
        const { orderId, status } = unmarshall(item);
        if ((FINAL_STATUSES as readonly string[]).includes(status)) finalAt.set(orderId, now);
      }
    }
    process.stdout.write(`\r  accepted ${sentAt.size}, final ${finalAt.size}   `);
    await new Promise((r) => setTimeout(r, pollMs));
  }
  process.stdout.write('\n');
  return finalAt;
}
