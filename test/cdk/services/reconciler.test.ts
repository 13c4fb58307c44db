/**
 * The reconciler in the stacks: its EventBridge schedule, its exact IAM grants (only the actions its
 * code calls; functions/reconciler/reconcile.int.test.ts checks the code against the same list), the
 * deadlines it runs with (defaults and context overrides), the sparse open-orders index, and the
 * alarms on expiries and on the oldest open order.
 */
import { CONTEXT_KEYS } from '../../../lib/config';
import { oldestOpenOrderAlarmSeconds } from '../../../lib/monitoring/saga-metrics';
import { DEFAULT_SAGA_DEADLINES, OPEN_ORDERS_INDEX, SAGA_DEADLINE_ENV, type TableId } from '../../../lib/topology';
import { OPEN_ORDERS_INDEX_SPEC } from '../../fixtures/open-orders-index';
import { actionsOf, alarmAboveProps, onlyResource, resourcesOf, resourcesOfStatement, synthPipeline } from '../support';

const pipeline = synthPipeline();
const { services, data, monitoring } = pipeline.stacks;
const template = pipeline.template(services);
const fnId = pipeline.logicalIds.function('reconciler');
const tableId = pipeline.logicalIds.table;

describe('reconciler: schedule', () => {
  it('an EventBridge rule runs it every minute by default, with one retry and a short event age', () => {
    const [, rule] = onlyResource(template, 'AWS::Events::Rule');
    expect(rule.Properties.ScheduleExpression).toBe('rate(1 minute)');
    expect(rule.Properties.State).toBe('ENABLED');
    const [target] = rule.Properties.Targets as { Arn: unknown; RetryPolicy: unknown }[];
    expect(target?.Arn).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    expect(target?.RetryPolicy).toEqual({ MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 60 });
    const permissions = Object.values(resourcesOf(template, 'AWS::Lambda::Permission')).filter(
      (p) => p.Properties.Principal === 'events.amazonaws.com',
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.Properties.FunctionName).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
  });

  it('runs one at a time, outside the VPC, with the deadlines as environment', () => {
    const fn = template.toJSON().Resources[fnId].Properties;
    expect(fn.ReservedConcurrentExecutions).toBeUndefined();
    expect(fn.VpcConfig).toBeUndefined();
    expect(fn.Environment.Variables).toMatchObject({
      [SAGA_DEADLINE_ENV.redriveAfterSeconds]: String(DEFAULT_SAGA_DEADLINES.redriveAfterSeconds),
      [SAGA_DEADLINE_ENV.expireAfterSeconds]: String(DEFAULT_SAGA_DEADLINES.expireAfterSeconds),
      [SAGA_DEADLINE_ENV.reconcileEverySeconds]: String(DEFAULT_SAGA_DEADLINES.reconcileEverySeconds),
      OUTBOX_TOPIC: 'orders',
    });
  });

  it('takes the deadlines and the period from context, and refuses a period that is not whole minutes', () => {
    const custom = synthPipeline({
      [CONTEXT_KEYS.sagaRedriveAfterSeconds]: '300',
      [CONTEXT_KEYS.sagaExpireAfterSeconds]: 3600,
      [CONTEXT_KEYS.sagaReconcileEverySeconds]: '120',
    });
    const t = custom.template(custom.stacks.services);
    expect(onlyResource(t, 'AWS::Events::Rule')[1].Properties.ScheduleExpression).toBe('rate(2 minutes)');
    const vars = t.toJSON().Resources[custom.logicalIds.function('reconciler')].Properties.Environment.Variables;
    expect(vars).toMatchObject({ SAGA_REDRIVE_AFTER_SECONDS: '300', SAGA_EXPIRE_AFTER_SECONDS: '3600' });
    expect(() => synthPipeline({ [CONTEXT_KEYS.sagaReconcileEverySeconds]: '90' })).toThrow(
      /context sagaReconcileEverySeconds: must be a multiple of 60/,
    );
    expect(() => synthPipeline({ [CONTEXT_KEYS.sagaExpireAfterSeconds]: '100' })).toThrow(
      /context sagaExpireAfterSeconds: must be greater than context sagaRedriveAfterSeconds/,
    );
  });
});

describe('reconciler: least privilege', () => {
  const statements = pipeline
    .roleStatements('reconciler')
    .filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
  const on = (t: TableId, index?: string) =>
    statements
      .filter((s) =>
        resourcesOfStatement(s).some((r) => {
          const json = JSON.stringify(r);
          return json.includes(tableId(t)) && (index ? json.includes(`/index/${index}`) : !json.includes('/index/'));
        }),
      )
      .flatMap(actionsOf)
      .sort();

  it('orders: GetItem, PutItem, Query, UpdateItem on the table; Query on the open-orders index only', () => {
    expect(on('orders')).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    expect(on('orders', OPEN_ORDERS_INDEX)).toEqual(['dynamodb:Query']);
    expect(on('orders', 'by-customer')).toEqual([]);
  });

  it('inventory and payments: GetItem only; nothing on other tables, no Scan anywhere', () => {
    expect(on('inventory')).toEqual(['dynamodb:GetItem']);
    expect(on('payments')).toEqual(['dynamodb:GetItem']);
    for (const t of ['notifications', 'idempotency'] as const) expect(on(t)).toEqual([]);
    expect(statements.flatMap(actionsOf)).not.toContain('dynamodb:Scan');
    expect(statements).toHaveLength(4);
  });
});

describe('orders table: the sparse open-orders index', () => {
  it('is keyed by openShard + createdAt and projects only what the reconciler reads', () => {
    const tableJson = pipeline.template(data).toJSON().Resources[tableId('orders')].Properties;
    const index = (tableJson.GlobalSecondaryIndexes as { IndexName: string }[]).find(
      (g) => g.IndexName === OPEN_ORDERS_INDEX,
    );
    expect(index).toEqual(OPEN_ORDERS_INDEX_SPEC);
  });
});

describe('monitoring: saga alarms', () => {
  interface Alarm {
    Metrics?: { MetricStat?: { Metric: Record<string, unknown>; Stat: string; Period: number } }[];
    [key: string]: unknown;
  }
  const alarms = Object.values(resourcesOf(pipeline.template(monitoring), 'AWS::CloudWatch::Alarm')).map(
    (a) => a.Properties as Alarm,
  );
  const metricOf = (a: Alarm) => a.Metrics?.[0]?.MetricStat;
  const alarmOn = (metricName: string) => {
    const found = alarms.filter((a) => metricOf(a)?.Metric.MetricName === metricName);
    expect(found).toHaveLength(1);
    return found[0] as Alarm;
  };
  const reconcilerMetric = { Namespace: 'OrderSaga', Dimensions: [{ Name: 'service', Value: 'reconciler' }] };

  it('alarms on any expiry in a run period', () => {
    const alarm = alarmOn('OrdersExpired');
    expect(metricOf(alarm)).toMatchObject({ Metric: reconcilerMetric, Stat: 'Sum', Period: 60 });
    expect(alarm).toMatchObject(alarmAboveProps(0, 1));
  });

  it('alarms on any final order given up as never notified (its notification is dead-lettered or failing)', () => {
    const alarm = alarmOn('OrdersUnnotified');
    expect(metricOf(alarm)).toMatchObject({ Metric: reconcilerMetric, Stat: 'Sum', Period: 60 });
    expect(alarm).toMatchObject(alarmAboveProps(0, 1));
  });

  it('alarms when the oldest open order is past the expiry deadline plus three runs, or the gauge stops', () => {
    expect(oldestOpenOrderAlarmSeconds(DEFAULT_SAGA_DEADLINES)).toBe(900 + 3 * 60);
    const alarm = alarmOn('OldestOpenOrderAgeSeconds');
    expect(metricOf(alarm)).toMatchObject({ Metric: reconcilerMetric, Stat: 'Maximum', Period: 60 });
    expect(alarm).toMatchObject({
      Threshold: 1080,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'breaching',
    });
    expect(alarm.AlarmActions).toEqual(alarmOn('OrdersExpired').AlarmActions);
    expect(alarm.AlarmActions).toHaveLength(1);
  });

  it('does not alarm on re-drives (the pipeline healing itself)', () => {
    expect(alarms.filter((a) => metricOf(a)?.Metric.MetricName === 'OrdersRedriven')).toEqual([]);
  });
});
