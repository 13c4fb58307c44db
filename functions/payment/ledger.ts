/**
 * The simulated payment provider's ledger, kept in the payments table: one `LEDGER#<authorisationId>` item
 * per authorisation the provider grants (orderId, amount, status AUTHORIZED | VOIDED). Like a real provider,
 * it honours an idempotency key — the order id, one `AUTHKEY#<orderId>` item naming the authorisation — so
 * a payment function that crashes after the provider answered and asks again gets the same authorisation
 * back, never a second one. The ledger is what lets the books see a double authorisation of one order.
 * It is written before (not in) the payment's own transaction, as a call to an outside provider would be.
 */
import { TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { v7 as uuidv7 } from 'uuid';
import { dynamoDb } from '../shared/aws-clients';
import { readItem } from '../shared/items';
import { cancellationReasons } from '../shared/outbox';
import type { Money } from './provider';

export const LEDGER_PREFIX = 'LEDGER#';
const AUTH_KEY_PREFIX = 'AUTHKEY#';

export interface LedgerEntry {
  readonly pk: string;
  readonly entityType: 'LEDGER';
  readonly authorisationId: string;
  readonly orderId: string;
  readonly amount: Money;
  readonly status: 'AUTHORIZED' | 'VOIDED';
  readonly at: string;
}

/** Grants (or, for an order already authorised, returns) the order's authorisation id. */
export async function grantAuthorisation(paymentsTable: string, orderId: string, amount: Money): Promise<string> {
  const authorisationId = uuidv7();
  const entry: LedgerEntry = {
    pk: `${LEDGER_PREFIX}${authorisationId}`,
    entityType: 'LEDGER',
    authorisationId,
    orderId,
    amount,
    status: 'AUTHORIZED',
    at: new Date().toISOString(),
  };
  try {
    await dynamoDb().send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: paymentsTable,
              Item: marshall({ pk: `${AUTH_KEY_PREFIX}${orderId}`, orderId, authorisationId }),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: paymentsTable, Item: marshall(entry), ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
    return authorisationId;
  } catch (err) {
    if (cancellationReasons(err)?.[0]?.Code !== 'ConditionalCheckFailed') throw err;
    const first = await authorisationOf(paymentsTable, orderId);
    if (!first) throw new Error(`order ${orderId}: authorisation key exists but could not be read back`);
    return first;
  }
}

/** The authorisation id the provider granted the order, if any. */
async function authorisationOf(paymentsTable: string, orderId: string): Promise<string | undefined> {
  const authorisation = await readItem(paymentsTable, { pk: `${AUTH_KEY_PREFIX}${orderId}` });
  return authorisation ? String(authorisation.authorisationId) : undefined;
}

/** Voids the order's authorisation (no money will be captured); a no-op when there is none. */
export async function voidAuthorisation(paymentsTable: string, orderId: string): Promise<boolean> {
  const authorisationId = await authorisationOf(paymentsTable, orderId);
  if (!authorisationId) return false;
  await dynamoDb().send(
    new UpdateItemCommand({
      TableName: paymentsTable,
      Key: marshall({ pk: `${LEDGER_PREFIX}${authorisationId}` }),
      UpdateExpression: 'SET #s = :voided, voidedAt = :now',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: marshall({ ':voided': 'VOIDED', ':now': new Date().toISOString() }),
    }),
  );
  return true;
}
