/** DynamoDB permissions of every function (lib/services/table-access.ts) in the synthesized services stack. */
import { type FunctionId, functions, type TableId, tables } from '../../../lib/topology';
import { actionsOf, resourcesOfStatement, synthPipeline } from '../support';

const pipeline = synthPipeline();
const functionIds = Object.keys(functions) as FunctionId[];

describe('DynamoDB least privilege', () => {
  // Read from the handlers (functions/): what each function's code calls, per table and index. Powertools
  // idempotency needs its four item actions; TransactWriteItems is authorised by its Put/Update items.
  const IDEMPOTENCY = ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
  const EXPECTED_DYNAMODB: Record<FunctionId, Record<string, string[]>> = {
    'order-api': {
      orders: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      'orders/index/by-customer': ['dynamodb:Query'],
      idempotency: IDEMPOTENCY,
    },
    'outbox-relay': {},
    inventory: {
      inventory: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      orders: ['dynamodb:PutItem'],
      idempotency: IDEMPOTENCY,
    },
    payment: {
      payments: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      orders: ['dynamodb:PutItem'],
      idempotency: IDEMPOTENCY,
    },
    notification: { notifications: ['dynamodb:PutItem'], orders: ['dynamodb:PutItem'], idempotency: IDEMPOTENCY },
    'order-view': { orders: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], idempotency: IDEMPOTENCY },
    reconciler: {
      orders: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      'orders/index/open-orders': ['dynamodb:Query'],
      inventory: ['dynamodb:GetItem'],
      payments: ['dynamodb:GetItem'],
    },
  };

  it.each(functionIds)('%s: exactly the DynamoDB item actions its code calls, per table and index', (f) => {
    // Item access only: the relay's stream reads are checked with its mapping.
    const dynamo = pipeline
      .roleStatements(f)
      .filter(
        (s) =>
          actionsOf(s).some((a) => a.startsWith('dynamodb:') && a !== 'dynamodb:ListStreams') &&
          !JSON.stringify(s.Resource).includes('StreamArn'),
      );
    const granted: Record<string, Set<string>> = {};
    for (const s of dynamo) {
      for (const r of resourcesOfStatement(s)) {
        const text = JSON.stringify(r);
        const t = (Object.keys(tables) as TableId[]).find((id) => text.includes(pipeline.logicalIds.table(id)));
        const index = text.match(/\/index\/([^"]+)/)?.[1];
        const key = `${t ?? text}${index ? `/index/${index}` : ''}`;
        granted[key] ??= new Set();
        for (const a of actionsOf(s)) granted[key].add(a);
      }
    }
    const actual = Object.fromEntries(Object.entries(granted).map(([k, v]) => [k, [...v].sort()]));
    expect(actual).toEqual(EXPECTED_DYNAMODB[f]);
  });

  it('never grants the actions no function calls: Scan, BatchWriteItem, DescribeTable, ConditionCheckItem', () => {
    for (const f of functionIds) {
      const actions = pipeline.roleStatements(f).flatMap(actionsOf);
      for (const unused of [
        'dynamodb:Scan',
        'dynamodb:BatchWriteItem',
        'dynamodb:DescribeTable',
        'dynamodb:ConditionCheckItem',
        'dynamodb:BatchGetItem',
      ]) {
        expect({ f, unused, granted: actions.includes(unused) }).toEqual({ f, unused, granted: false });
      }
    }
  });
});
