/**
 * DynamoDB permissions per function and table: exactly the actions each function's code calls, read
 * from the handlers (functions/), not the topology's broad read/write modes. TransactWriteItems needs no
 * action of its own: it is authorised by the item actions it performs (Put → PutItem, Update → UpdateItem).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 * Indexes are granted one by one, only Query, only where the code queries them.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { type FunctionId, functions, type TableGrant, type TableId, tables } from '../topology';

export type DynamoDbItemAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:Query';

const READS: readonly DynamoDbItemAction[] = ['dynamodb:GetItem', 'dynamodb:Query'];

export interface TableCalls {
  readonly actions: readonly DynamoDbItemAction[];
  /** Global secondary indexes the code queries (dynamodb:Query on `<table>/index/<name>`). */
  readonly queriedIndexes?: readonly string[];
}

/**
 * Powertools idempotency (DynamoDBPersistenceLayer): conditional PutItem of the in-progress record,
 * GetItem when it exists, UpdateItem on success, DeleteItem when the handler fails.
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/#iam-permissions
 */
const IDEMPOTENCY_CALLS: TableCalls = {
  actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
};
/** The outbox item of writeWithOutbox (functions/shared/outbox.ts): a Put in the transaction. */
const OUTBOX_ONLY: TableCalls = { actions: ['dynamodb:PutItem'] };

/** What each function's code calls, per table (file: operations). */
const DYNAMODB_CALLS: { readonly [F in FunctionId]: { readonly [T in TableId]?: TableCalls } } = {
  // create-order.ts: Put order + outbox; read-orders.ts: GetItem, Query by-customer; idempotent-create.ts.
  'order-api': {
    orders: { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], queriedIndexes: ['by-customer'] },
    idempotency: IDEMPOTENCY_CALLS,
  },
  // Reads the orders stream through its event source mapping only (stream actions, granted by the mapping).
  'outbox-relay': {},
  // reserve.ts: Update stock, Put reservation; release.ts: GetItem reservation, Update stock and reservation.
  inventory: {
    inventory: { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] },
    orders: OUTBOX_ONLY,
    idempotency: IDEMPOTENCY_CALLS,
  },
  // authorize-payment.ts: Get + Put payment (once-only marker); ledger.ts: Get/Update the provider's
  // authorisation ledger; void-payment.ts: Get payment, Put the expiry tombstone, Update to VOIDED.
  payment: {
    payments: { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] },
    orders: OUTBOX_ONLY,
    idempotency: IDEMPOTENCY_CALLS,
  },
  // notify.ts: Put notification (once-only marker).
  notification: {
    notifications: { actions: ['dynamodb:PutItem'] },
    orders: OUTBOX_ONLY,
    idempotency: IDEMPOTENCY_CALLS,
  },
  // update-view.ts: GetItem then a conditional UpdateItem of the order.
  'order-view': { orders: { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'] }, idempotency: IDEMPOTENCY_CALLS },
  // Listed beside the function in the topology (exactGrants), where reconcile.int.test.ts checks every
  // call the code makes against them, both ways.
  reconciler: callsFromGrants(functions.reconciler.exactGrants ?? {}),
};

function callsFromGrants(grants: { readonly [T in TableId]?: TableGrant }): { readonly [T in TableId]?: TableCalls } {
  const calls: { [T in TableId]?: TableCalls } = {};
  for (const [t, grant] of Object.entries(grants) as [TableId, TableGrant][]) {
    for (const [index, actions] of Object.entries(grant.indexes ?? {})) {
      if (actions.join() !== 'dynamodb:Query')
        throw new Error(`exactGrants ${t}/${index}: only dynamodb:Query on an index`);
    }
    calls[t] = {
      // The topology's strings are the same action names; tableCallsOf checks them against the table's mode.
      actions: grant.actions as readonly DynamoDbItemAction[],
      queriedIndexes: Object.keys(grant.indexes ?? {}),
    };
  }
  return calls;
}

/**
 * The calls of a function on a table, checked against the topology: the same tables, no write on a
 * table the topology lets it only read (or the reverse), only indexes the table has.
 */
export function tableCallsOf(functionId: FunctionId): [TableId, TableCalls][] {
  const spec = functions[functionId];
  const calls = DYNAMODB_CALLS[functionId];
  const declared = Object.keys(spec.tables).sort();
  const called = Object.keys(calls).sort();
  if (declared.join() !== called.join()) {
    throw new Error(
      `table-access ${functionId}: the topology lists tables [${declared}] but DYNAMODB_CALLS lists [${called}]`,
    );
  }
  return (Object.entries(calls) as [TableId, TableCalls][]).map(([t, c]) => {
    const mode = spec.tables[t];
    for (const action of c.actions) {
      const isRead = READS.includes(action);
      if ((mode === 'read' && !isRead) || (mode === 'write' && isRead)) {
        throw new Error(`table-access ${functionId}: ${action} on ${t}, which the topology makes ${mode}-only`);
      }
    }
    const indexes = new Set((tables[t].globalIndexes ?? []).map((g) => g.name));
    for (const index of c.queriedIndexes ?? []) {
      if (!indexes.has(index)) throw new Error(`table-access ${functionId}: table ${t} has no index ${index}`);
    }
    return [t, c];
  });
}

export function tableAccessStatements(tableArn: string, calls: TableCalls): iam.PolicyStatement[] {
  const statements = [new iam.PolicyStatement({ actions: [...calls.actions].sort(), resources: [tableArn] })];
  const indexes = (calls.queriedIndexes ?? []).map((name) => `${tableArn}/index/${name}`);
  if (indexes.length > 0) statements.push(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: indexes }));
  return statements;
}
