/**
 * The alarms of issue 14: the relay's stream IteratorAge, dead-lettered records, sustained transient
 * failures, saga duration p99, orders ended on error, consumer lag per Kafka mapping (MSK SumOffsetLag),
 * and the EMF namespace per deployment prefix (function environment and alarms agree).
 */
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { BusinessMetric, ConsumerMetric } from '../../functions/shared/metric-names';
import { CONTEXT_KEYS } from '../../lib/config';
import { OFFSET_LAG_ALARM_RECORDS } from '../../lib/monitoring/custom-metrics';
import { STREAM_ITERATOR_AGE_ALARM, STREAM_ITERATOR_AGE_PERIODS } from '../../lib/monitoring/monitoring-stack';
import { RETRIED_SUSTAINED_MINUTES, SAGA_P99_PERIODS, sagaDurationAlarmMs } from '../../lib/monitoring/saga-alarms';
import { type FunctionId, kafkaMappings, topics } from '../../lib/topology';
import { alarmAboveProps, logicalIdOf, resourcesOf, synthPipeline } from './support';

/** An alarm on one metric, with its MetricStat (cdk-monitoring-constructs' form) read into the top level. */
interface Alarm {
  MetricName?: string;
  Namespace?: string;
  Dimensions?: { Name: string; Value: unknown }[];
  Stat?: string;
  Period?: number;
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  TreatMissingData?: string;
}

const pipeline = synthPipeline();
interface MetricStat {
  Metric: { MetricName: string; Namespace: string; Dimensions?: Alarm['Dimensions'] };
  Period: number;
  Stat: string;
}
const alarmsOf = (p: typeof pipeline): Alarm[] =>
  Object.values(resourcesOf(p.template(p.stacks.monitoring), 'AWS::CloudWatch::Alarm')).map((a) => {
    const props = a.Properties as unknown as Alarm & { Metrics?: { MetricStat?: MetricStat }[] };
    const stats = (props.Metrics ?? []).flatMap((m) => (m.MetricStat ? [m.MetricStat] : []));
    const only = props.Metrics?.length === 1 ? stats[0] : undefined;
    return only ? { ...props, ...only.Metric, Period: only.Period, Stat: only.Stat } : (props as Alarm);
  });
const alarms = alarmsOf(pipeline);
const dim = (a: Alarm, name: string) => a.Dimensions?.find((d) => d.Name === name)?.Value;
const emfAlarms = (metric: string, namespace = pipeline.config.prefix) =>
  alarms.filter((a) => a.Namespace === namespace && a.MetricName === metric);
const services = (list: Alarm[]) => list.map((a) => dim(a, 'service')).sort();

const processors: FunctionId[] = ['inventory', 'notification', 'order-view', 'outbox-relay', 'payment'];
const consumers: FunctionId[] = ['inventory', 'notification', 'order-view', 'payment'];

describe('Saga alarms', () => {
  it('alarms on the relay stream IteratorAge above 1 minute in two consecutive 5-minute periods', () => {
    const relay = pipeline.stacks.services.functions.get('outbox-relay') as lambda.Function;
    const ref = logicalIdOf(relay);
    const age = alarms.filter((a) => a.MetricName === 'IteratorAge');
    expect(age).toHaveLength(1);
    expect(JSON.stringify(dim(age[0] as Alarm, 'FunctionName'))).toContain(ref);
    expect(age[0]).toMatchObject({
      Namespace: 'AWS/Lambda',
      Stat: 'Maximum',
      Period: 300,
      Threshold: STREAM_ITERATOR_AGE_ALARM.toMilliseconds(),
      EvaluationPeriods: STREAM_ITERATOR_AGE_PERIODS,
      DatapointsToAlarm: STREAM_ITERATOR_AGE_PERIODS,
    });
  });

  it('alarms on any record dead-lettered, per record processor, in one minute', () => {
    const list = emfAlarms(ConsumerMetric.deadLettered);
    expect(services(list)).toEqual(processors);
    for (const a of list) {
      expect(a).toMatchObject({ Stat: 'Sum', Period: 60, ...alarmAboveProps(0, 1) });
    }
  });

  it('alarms on transient record failures only when sustained (every minute for 5 minutes)', () => {
    const list = emfAlarms(ConsumerMetric.retried);
    expect(services(list)).toEqual(processors);
    for (const a of list) {
      expect(a).toMatchObject({ Stat: 'Sum', ...alarmAboveProps(0, RETRIED_SUSTAINED_MINUTES) });
    }
  });

  it('alarms on orders ended on error, per consumer', () => {
    const list = emfAlarms(ConsumerMetric.ordersEnded);
    expect(services(list)).toEqual(consumers);
    for (const a of list) expect(a).toMatchObject({ Threshold: 0, EvaluationPeriods: 1 });
  });

  it('alarms on saga duration p99 above the re-drive deadline for 3 five-minute periods', () => {
    const list = emfAlarms(BusinessMetric.sagaDuration);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      Stat: 'p99',
      Period: 300,
      Threshold: sagaDurationAlarmMs(pipeline.config.saga),
      EvaluationPeriods: SAGA_P99_PERIODS,
      DatapointsToAlarm: SAGA_P99_PERIODS,
      Dimensions: [{ Name: 'service', Value: 'order-view' }],
    });
    expect(sagaDurationAlarmMs(pipeline.config.saga)).toBe(pipeline.config.saga.redriveAfterSeconds * 1000);
  });

  it('alarms on consumer lag per Kafka mapping (AWS/Kafka SumOffsetLag of its consumer group and topic)', () => {
    const lag = alarms.filter((a) => a.Namespace === 'AWS/Kafka' && a.MetricName === 'SumOffsetLag');
    expect(lag.map((a) => dim(a, 'Consumer Group')).sort()).toEqual(kafkaMappings.map((m) => m.consumerGroupId).sort());
    for (const a of lag) {
      const m = kafkaMappings.find((k) => k.consumerGroupId === dim(a, 'Consumer Group'));
      expect(a).toMatchObject({ Stat: 'Maximum', ...alarmAboveProps(OFFSET_LAG_ALARM_RECORDS, 5) });
      expect(dim(a, 'Topic')).toBe(m ? topics[m.topic].name : undefined);
      expect(dim(a, 'Cluster Name')).toBe(pipeline.stacks.streaming.cluster.clusterName);
    }
  });

  it('publishes and alarms on the EMF metrics under the deployment prefix', () => {
    const other = synthPipeline({ [CONTEXT_KEYS.prefix]: 'Sandbox2' });
    const fns = Object.values(resourcesOf(other.template(other.stacks.services), 'AWS::Lambda::Function'));
    const namespaces = new Set(
      fns.flatMap((f) => {
        const vars = (f.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
        return vars?.POWERTOOLS_SERVICE_NAME ? [vars.POWERTOOLS_METRICS_NAMESPACE] : [];
      }),
    );
    expect([...namespaces]).toEqual(['Sandbox2']);
    const otherAlarms = alarmsOf(other);
    expect(otherAlarms.filter((a) => a.MetricName === ConsumerMetric.deadLettered).map((a) => a.Namespace)).toEqual(
      processors.map(() => 'Sandbox2'),
    );
    expect(otherAlarms.some((a) => a.Namespace === 'OrderSaga')).toBe(false);
  });
});
