/**
 * What the reconciler's integration tests share: an isolated orders/inventory/payments copy on
 * DynamoDB Local, orders placed by order-api's own createOrder, and a record of every DynamoDB call
 * the process makes (to hold the reconciler's code to its exact IAM grants).
 */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { v7 as uuidv7 } from 'uuid';
import { createOrder } from '../../functions/order-api/create-order';
import type { ReconcilerDeps } from '../../functions/reconciler/actions';
import { outboxItemsOf } from '../../functions/reconciler/store';
import { dynamoDb } from '../../functions/shared/aws-clients';
import { DEFAULT_SAGA_DEADLINES, OPEN_ORDERS_INDEX, type TableId } from '../../lib/topology';
import { createTable, deleteTable, useLocalBackends } from './isolated-resources';
import { uniqueName } from './unique-name';

export interface ReconcilerFixture {
  readonly deps: ReconcilerDeps;
  readonly tables: Record<'orders' | 'inventory' | 'payments', string>;
  /** DynamoDB calls made since the last `clearCalls`: operation, table and index. */
  readonly calls: { operation: string; table: string; index?: string }[];
  clearCalls(): void;
  teardown(): Promise<void>;
}

/** Where the recorder puts the calls of the fixture in use (one fixture at a time per test file). */
let recordingInto: ReconcilerFixture['calls'] | undefined;

/**
 * The shared client resolves its middleware stack once per command (`cacheMiddleware`,
 * functions/shared/aws-clients.ts), so middleware added after a command was first sent never runs for it:
 * the recorder is added once, before any fixture's calls, and each fixture only points it at its array.
 */
function recordCallsInto(calls: ReconcilerFixture['calls'] | undefined): void {
  recordingInto = calls;
  const client = dynamoDb();
  if (client.middlewareStack.identify().some((entry) => entry.startsWith('record-reconciler-calls'))) return;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as {
        TableName?: string;
        IndexName?: string;
        TransactItems?: Record<string, { TableName?: string }>[];
      };
      const operation = String(context.commandName).replace(/Command$/, '');
      if (input.TransactItems) {
        for (const item of input.TransactItems) {
          const [kind, body] = Object.entries(item)[0] ?? [];
          recordingInto?.push({ operation: `${operation}:${kind}`, table: String(body?.TableName) });
        }
      } else {
        recordingInto?.push({
          operation,
          table: String(input.TableName),
          ...(input.IndexName ? { index: input.IndexName } : {}),
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'record-reconciler-calls' },
  );
}

export async function reconcilerFixture(label: string): Promise<ReconcilerFixture> {
  useLocalBackends();
  recordCallsInto(undefined); // installs the recorder before this fixture sends anything
  const prefix = uniqueName(label);
  const ids = ['orders', 'inventory', 'payments'] as const satisfies readonly TableId[];
  const created = await Promise.all(ids.map((id) => createTable(id, prefix)));
  const tables = { orders: created[0].name, inventory: created[1].name, payments: created[2].name };
  const calls: ReconcilerFixture['calls'] = [];
  recordCallsInto(calls);
  return {
    tables,
    calls,
    deps: {
      ordersTable: tables.orders,
      inventoryTable: tables.inventory,
      paymentsTable: tables.payments,
      outboxTopic: 'orders',
      source: 'reconciler',
      deadlines: DEFAULT_SAGA_DEADLINES,
    },
    clearCalls: () => {
      calls.length = 0;
    },
    async teardown() {
      recordCallsInto(undefined);
      await Promise.all(Object.values(tables).map(deleteTable));
    },
  };
}

/** An order placed as order-api places it (order item with its open marker + OrderCreated outbox item). */
export async function placeOrder(ordersTable: string, customerId = 'cust-rec', sku = 'SKU-A', quantity = 2) {
  return createOrder(
    {
      request: { customerId, currency: 'EUR', items: [{ sku, quantity, unitPrice: 500 }] },
      requestId: uuidv7(),
      correlationId: uuidv7(),
    },
    { ordersTable, outboxTopic: 'orders', source: 'order-api' },
  );
}

/** Order ids in the open-orders index (every shard). */
export async function indexedOpenOrders(ordersTable: string): Promise<string[]> {
  const ids: string[] = [];
  for (let shard = 0; shard < 4; shard++) {
    const out = await dynamoDb().send(
      new QueryCommand({
        TableName: ordersTable,
        IndexName: OPEN_ORDERS_INDEX,
        KeyConditionExpression: 'openShard = :s',
        ExpressionAttributeValues: marshall({ ':s': `OPEN#${shard}` }),
      }),
    );
    ids.push(...(out.Items ?? []).map((i) => String(unmarshall(i).orderId)));
  }
  return ids;
}

/** The order's outbox items as stored (with the re-drive marks). */
export const outboxItems = outboxItemsOf;
