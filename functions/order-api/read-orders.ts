/**
 * The read side of the API: one order by id (strongly consistent, so a GET right after the 202 finds
 * it), and a customer's orders newest first from the by-customer index, paged with an opaque cursor.
 */
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import commonV1 from '../../schemas/common/v1.json';
import { dynamoDb } from '../shared/aws-clients';
import { decodeCursor, encodeCursor } from './cursor';
import { validationFailed } from './http';
import { BY_CUSTOMER_INDEX, type OrderItem, orderKey } from './order-model';

/** The schemas' id rule (orderId, customerId): anything else cannot exist, so it is not looked up. */
const ID = new RegExp(commonV1.$defs.id.pattern);

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

export async function getOrder(ordersTable: string, orderId: string): Promise<OrderItem | undefined> {
  if (!ID.test(orderId)) return undefined;
  const out = await dynamoDb().send(
    new GetItemCommand({ TableName: ordersTable, Key: marshall(orderKey(orderId)), ConsistentRead: true }),
  );
  if (!out.Item) return undefined;
  const item = unmarshall(out.Item) as OrderItem;
  return item.entityType === 'ORDER' ? item : undefined;
}

export interface ListQuery {
  readonly customerId: string;
  readonly limit: number;
  readonly cursor?: string;
}

/** Validates the query string of GET /orders, naming every bad parameter. */
export function parseListQuery(params: Readonly<Record<string, string | undefined>> | null): ListQuery {
  const q = params ?? {};
  const fields: { path: string; message: string }[] = [];
  const customerId = q.customerId;
  if (customerId === undefined || customerId === '') fields.push({ path: 'query:customerId', message: 'is required' });
  else if (!ID.test(customerId)) {
    fields.push({
      path: 'query:customerId',
      message: "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit",
    });
  }
  let limit = DEFAULT_PAGE_SIZE;
  if (q.limit !== undefined) {
    limit = /^\d{1,3}$/.test(q.limit) ? Number(q.limit) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_PAGE_SIZE)) {
      fields.push({ path: 'query:limit', message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` });
    }
  }
  if (fields.length > 0) throw validationFailed('query string is invalid', fields);
  return { customerId: customerId as string, limit, ...(q.cursor !== undefined ? { cursor: q.cursor } : {}) };
}

export interface OrderPage {
  readonly orders: readonly OrderItem[];
  readonly nextCursor?: string;
}

export async function listOrders(ordersTable: string, query: ListQuery): Promise<OrderPage> {
  const start = query.cursor === undefined ? undefined : decodeCursor(query.cursor, query.customerId);
  // One more than asked: a next page is announced only if it really has an order (DynamoDB's own
  // LastEvaluatedKey would also be set when the page ends exactly at the last order).
  const out = await dynamoDb().send(
    new QueryCommand({
      TableName: ordersTable,
      IndexName: BY_CUSTOMER_INDEX,
      KeyConditionExpression: 'customerId = :c',
      ExpressionAttributeValues: marshall({ ':c': query.customerId }),
      ScanIndexForward: false,
      Limit: query.limit + 1,
      ...(start ? { ExclusiveStartKey: marshall(start) } : {}),
    }),
  );
  const items = (out.Items ?? []).map((i) => unmarshall(i) as OrderItem);
  const page = items.slice(0, query.limit);
  const last = page[page.length - 1];
  if (items.length <= query.limit || !last) return { orders: page };
  return {
    orders: page,
    nextCursor: encodeCursor({ pk: last.pk, sk: last.sk, customerId: last.customerId, createdAt: last.createdAt }),
  };
}
