/**
 * Reads and writes of single DynamoDB items that several services make the same way.
 */
import { GetItemCommand, PutItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamoDb } from './aws-clients';
import type { EventOf } from './envelope';
import { isConditionFailure } from './errors';

export type DynamoKey = Record<string, string>;

/** One item, read strongly consistent: every caller decides from it what to write next. */
export async function readItem(table: string, key: DynamoKey): Promise<Record<string, unknown> | undefined> {
  const out = await dynamoDb().send(new GetItemCommand({ TableName: table, Key: marshall(key), ConsistentRead: true }));
  return out.Item ? unmarshall(out.Item) : undefined;
}

/**
 * A transaction item that moves a holding item from status `from` to `to` (a letting go), stamping when
 * (in attribute `atAttribute`) and because of which event (`byAttribute`); conditional on `from`, so of
 * two writers letting go of the same item (a re-run, or the other compensation) only one succeeds and
 * the other is a detected duplicate.
 */
export function statusChange(
  table: string,
  key: DynamoKey,
  change: {
    readonly from: string;
    readonly to: string;
    readonly atAttribute: string;
    readonly byAttribute: string;
    readonly causeEventId: string;
  },
): TransactWriteItem {
  return {
    Update: {
      TableName: table,
      Key: marshall(key),
      UpdateExpression: `SET #s = :to, ${change.atAttribute} = :now, ${change.byAttribute} = :cause`,
      ConditionExpression: '#s = :from',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: marshall({
        ':to': change.to,
        ':from': change.from,
        ':now': new Date().toISOString(),
        ':cause': change.causeEventId,
      }),
    },
  };
}

/** The item through which a service holds something for an order (inventory's reservation, payment's authorisation). */
export interface HoldingItem {
  /** In messages: "reservation", "payment". */
  readonly name: string;
  readonly table: string;
  readonly key: DynamoKey;
  /** The status of an item that still holds something. */
  readonly holdingStatus: string;
  /** Lets go of a holding item (read just before); 'duplicate' when another writer let go first. */
  readonly letGo: (item: Record<string, unknown>) => Promise<'processed' | 'duplicate'>;
  /** The attribute the tombstone's write time goes in (each service's items keep their own). */
  readonly writtenAtAttribute: 'createdAt' | 'updatedAt';
}

/**
 * OrderExpired against a holding item: a holding item is let go; no item yet gets an EXPIRED tombstone
 * in its key, so a late event that would create one (its write is conditional on the key not existing)
 * holds nothing; any other status holds nothing already. The tombstone write is conditional too: losing
 * the race to the item's creation reads it again and lets it go.
 */
export async function expireHolding(
  event: EventOf<'OrderExpired'>,
  holding: HoldingItem,
): Promise<'processed' | 'duplicate'> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const item = await readItem(holding.table, holding.key);
    if (item?.status === holding.holdingStatus) return holding.letGo(item);
    if (item) return 'duplicate';
    try {
      await dynamoDb().send(
        new PutItemCommand({
          TableName: holding.table,
          Item: marshall({
            ...holding.key,
            orderId: event.orderId,
            customerId: event.payload.customerId,
            status: 'EXPIRED',
            causeEventId: event.eventId,
            [holding.writtenAtAttribute]: new Date().toISOString(),
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'processed';
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      // The item was written in between: read it again and let it go.
    }
  }
  throw new Error(`order ${event.orderId}: ${holding.name} kept changing while expiring it`);
}
