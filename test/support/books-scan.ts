/**
 * Reading whole tables and partitions for the books: every Scan and Query follows LastEvaluatedKey to
 * the end (DynamoDB returns at most 1 MB, or `Limit` items, per page:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.Pagination).
 */
import { type AttributeValue, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamoDb } from '../../functions/shared/aws-clients';

export type Item = Record<string, unknown>;

/** Every item of the table for which the filter holds (`begins_with(pk, :prefix)` when a prefix is given). */
export async function scanAll(table: string, options: { pkPrefix?: string; pageSize?: number } = {}): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamoDb().send(
      new ScanCommand({
        TableName: table,
        ConsistentRead: true,
        ExclusiveStartKey: start,
        ...(options.pageSize ? { Limit: options.pageSize } : {}),
        ...(options.pkPrefix
          ? {
              FilterExpression: 'begins_with(pk, :prefix)',
              ExpressionAttributeValues: marshall({ ':prefix': options.pkPrefix }),
            }
          : {}),
      }),
    );
    for (const i of page.Items ?? []) items.push(unmarshall(i));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every item under one partition key. */
export async function queryAll(table: string, pk: string, pageSize?: number): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamoDb().send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: marshall({ ':pk': pk }),
        ConsistentRead: true,
        ExclusiveStartKey: start,
        ...(pageSize ? { Limit: pageSize } : {}),
      }),
    );
    for (const i of page.Items ?? []) items.push(unmarshall(i));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Items grouped by their `orderId` attribute. */
export function byOrder(items: readonly Item[]): Map<string, Item[]> {
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const id = String(item.orderId);
    const group = groups.get(id);
    if (group) group.push(item);
    else groups.set(id, [item]);
  }
  return groups;
}
