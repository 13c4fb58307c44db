/**
 * The books of an EXPIRED order (test/support/books.ts checks the other final statuses): exactly one
 * OrderExpired, no event twice, no stock held (the reservation is EXPIRED or RELEASED), no money held
 * (the payment is EXPIRED, VOIDED or DECLINED — declined before the expiry), the expiry in the history, and the order settled (out of the
 * open-orders index). Stock totals are checked by books.ts's checkBooks: an expired order takes nothing.
 */
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamoDb } from '../../functions/shared/aws-clients';
import { OUTBOX_KEY_PREFIX, type TableId } from '../../lib/topology';

const get = async (table: string, key: Record<string, string>) => {
  const out = await dynamoDb().send(new GetItemCommand({ TableName: table, Key: marshall(key), ConsistentRead: true }));
  return out.Item ? unmarshall(out.Item) : undefined;
};

/** What is wrong with an expired order, in words (empty when its books balance). */
export async function auditExpired(tables: (t: TableId) => string, orderId: string): Promise<string[]> {
  const problems: string[] = [];
  const order = await get(tables('orders'), { pk: `ORDER#${orderId}`, sk: 'ORDER' });
  if (order?.status !== 'EXPIRED') return [`status ${order?.status ?? 'MISSING'}, not EXPIRED`];
  const out = await dynamoDb().send(
    new QueryCommand({
      TableName: tables('orders'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: marshall({ ':pk': `${OUTBOX_KEY_PREFIX}${orderId}` }),
      ConsistentRead: true,
    }),
  );
  const counts = new Map<string, number>();
  for (const item of out.Items ?? []) {
    const type = String(unmarshall(item).type);
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  for (const [type, n] of counts) if (n > 1) problems.push(`${n} × ${type} in the outbox`);
  if (counts.get('OrderExpired') !== 1) problems.push('no OrderExpired in the outbox');
  if (counts.has('PaymentAuthorized') !== counts.has('PaymentVoided')) problems.push('an authorisation not voided');
  if (counts.has('InventoryReserved') !== counts.has('InventoryReleased')) problems.push('a reservation not released');
  const history = (order.history ?? []) as { eventType: string; eventId: string }[];
  if (!history.some((h) => h.eventType === 'OrderExpired')) problems.push('history lacks OrderExpired');
  if (new Set(history.map((h) => h.eventId)).size !== history.length) problems.push('history has a repeated step');
  const reservation = await get(tables('inventory'), { pk: `RESERVATION#${orderId}` });
  if (!['EXPIRED', 'RELEASED'].includes(String(reservation?.status))) {
    problems.push(`reservation ${reservation?.status ?? 'missing'}`);
  }
  const payment = await get(tables('payments'), { pk: `PAYMENT#${orderId}` });
  if (!['EXPIRED', 'VOIDED', 'DECLINED'].includes(String(payment?.status)))
    problems.push(`payment ${payment?.status ?? 'missing'}`);
  if (order.openShard !== undefined) problems.push('still in the open-orders index (not settled)');
  return problems;
}
