import { CONTEXT_KEYS } from '../../../lib/config';
import {
  BROKER_CPU_ALARM_PERCENT,
  BROKER_DISK_ALARM_PERCENT,
  OFFSET_LAG_ALARM_RECORDS,
} from '../../../lib/monitoring/custom-metrics';
import { reservedConcurrencyOf } from '../../../lib/services/pipeline-function';
import { type FunctionId, functions, kafkaMappings, queues, tables } from '../../../lib/topology';
import { logicalIdOf, onlyResource, resourcesOf, synthPipeline } from '../support';

const pipeline = synthPipeline();
const { monitoring, data } = pipeline.stacks;
const template = pipeline.template(monitoring);
const [topicId] = onlyResource(template, 'AWS::SNS::Topic');

interface MetricStat {
  Metric: { MetricName: string; Namespace: string; Dimensions?: { Name: string; Value: unknown }[] };
}
interface AlarmProps {
  MetricName?: string;
  Namespace?: string;
  Dimensions?: { Name: string; Value: unknown }[];
  Metrics?: { Expression?: unknown; MetricStat?: MetricStat }[];
  Threshold: number;
  ComparisonOperator: string;
  AlarmActions: unknown[];
  OKActions?: unknown[];
}
const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map(
  (a) => a.Properties as unknown as AlarmProps,
);

/** Every (metric name, dimensions) an alarm watches, math expressions included. */
function watched(a: AlarmProps): { name: string; dims: Record<string, string> }[] {
  const dimsOf = (d?: { Name: string; Value: unknown }[]) =>
    Object.fromEntries((d ?? []).map((x) => [x.Name, JSON.stringify(x.Value)]));
  if (a.MetricName) return [{ name: a.MetricName, dims: dimsOf(a.Dimensions) }];
  return (a.Metrics ?? []).flatMap((m) =>
    m.MetricStat ? [{ name: m.MetricStat.Metric.MetricName, dims: dimsOf(m.MetricStat.Metric.Dimensions) }] : [],
  );
}
const alarmsOn = (metric: string, dim?: [string, string]) =>
  alarms.filter((a) => watched(a).some((w) => w.name === metric && (!dim || (w.dims[dim[0]] ?? '').includes(dim[1]))));

const fnName = pipeline.logicalIds.function;

describe('Monitoring stack', () => {
  it('notifies the alarm topic from every alarm, on alarm and on recovery', () => {
    expect(alarms.length).toBeGreaterThan(0);
    for (const a of alarms) {
      expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(a.OKActions).toEqual([{ Ref: topicId }]);
    }
  });

  it('alarms on API 5xx, 4xx rate and p99 latency', () => {
    for (const metric of ['5XXError', '4XXError', 'Latency']) expect(alarmsOn(metric)).toHaveLength(1);
  });

  it.each(Object.keys(functions) as FunctionId[])(
    '%s: errors, throttles and p99 duration (and concurrency where capped)',
    (f) => {
      for (const metric of ['Errors', 'Throttles', 'Duration']) {
        expect({ f, metric, n: alarmsOn(metric, ['FunctionName', fnName(f)]).length }).toEqual({ f, metric, n: 1 });
      }
      const capped = reservedConcurrencyOf(f, pipeline.config) !== undefined;
      expect(alarmsOn('ConcurrentExecutions', ['FunctionName', fnName(f)])).toHaveLength(capped ? 1 : 0);
    },
  );

  it.each([...new Set(kafkaMappings.map((m) => m.function))])(
    '%s: OffsetLag of its function, whatever dimension set Lambda publishes it with',
    (f) => {
      const queries = alarms.filter((a) =>
        (a.Metrics ?? []).some((m) => {
          const parts = (m.Expression as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join']?.[1] ?? [];
          return (
            parts[0] === `SELECT MAX(OffsetLag) FROM "AWS/Lambda" WHERE FunctionName = '` &&
            JSON.stringify(parts[1]).includes(`ExportsOutputRef${fnName(f)}`)
          );
        }),
      );
      expect(queries.map((a) => a.Threshold)).toEqual([OFFSET_LAG_ALARM_RECORDS]);
    },
  );

  it('alarms as soon as any dead-letter queue holds a message', () => {
    const dlq = alarmsOn('ApproximateNumberOfMessagesVisible');
    expect(dlq).toHaveLength(Object.keys(queues).length);
    for (const a of dlq) expect([a.Threshold, a.ComparisonOperator]).toEqual([0, 'GreaterThanThreshold']);
  });

  it('alarms on read and write throttles of every table', () => {
    for (const [tableId, table] of data.tables) {
      const tableRef = logicalIdOf(table);
      const onTable = alarms.filter((a) => watched(a).some((w) => (w.dims.TableName ?? '').includes(tableRef)));
      const metrics = new Set(onTable.flatMap(watched).map((w) => w.name));
      expect({ tableId, read: metrics.has('ReadThrottleEvents'), write: metrics.has('WriteThrottleEvents') }).toEqual({
        tableId,
        read: true,
        write: true,
      });
    }
    expect(Object.keys(tables)).toHaveLength(data.tables.size);
  });

  it('alarms on CPU and data-disk use of every MSK broker', () => {
    const brokers = Array.from({ length: pipeline.config.msk.brokerCount }, (_, i) => String(i + 1));
    for (const b of brokers) {
      const cpu = alarmsOn('CpuUser', ['Broker ID', b]);
      expect(cpu).toHaveLength(1);
      expect(
        watched(cpu[0] as AlarmProps)
          .map((w) => w.name)
          .sort(),
      ).toEqual(['CpuSystem', 'CpuUser']);
      expect(cpu[0]?.Threshold).toBe(BROKER_CPU_ALARM_PERCENT);
      const disk = alarmsOn('KafkaDataLogsDiskUsed', ['Broker ID', b]);
      expect(disk.map((a) => a.Threshold)).toEqual([BROKER_DISK_ALARM_PERCENT]);
    }
  });

  it('has one dashboard and outputs its URL and the alarm topic', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const outputs = template.toJSON().Outputs as Record<string, unknown>;
    expect(outputs).toHaveProperty('DashboardUrl');
    expect(outputs).toHaveProperty('AlarmTopicArn');
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('subscribes the alarm email from context', () => {
    const withEmail = synthPipeline({ [CONTEXT_KEYS.alarmEmail]: 'ops@example.com' });
    withEmail.template(withEmail.stacks.monitoring).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});
