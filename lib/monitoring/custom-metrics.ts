/**
 * Metric groups cdk-monitoring-constructs has no helper for: an alarm on Kafka consumer lag that holds
 * whatever dimension set Lambda publishes OffsetLag with (a Metrics Insights query, see offsetLagQuery)
 * and MSK broker health (AWS/Kafka per broker). Every metric here is in documented-metrics.ts.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { CustomMetricGroup } from 'cdk-monitoring-constructs';

/** Records a consumer group may trail its topic for 5 minutes before someone should look. */
export const OFFSET_LAG_ALARM_RECORDS = 1000;
/** Broker CPU (user + system) sustained above this is beyond what a t3 can burst for long. */
export const BROKER_CPU_ALARM_PERCENT = 60;
export const BROKER_DISK_ALARM_PERCENT = 80;

const FIVE_MINUTES = { evaluationPeriods: 5, datapointsToAlarm: 5 } as const;

export interface OffsetLagSource {
  /** The consumer function (topology id), for labels and alarm names. */
  readonly label: string;
  readonly functionName: string;
}

/**
 * The Metrics Insights query behind the lag alarm of one consumer function: the largest OffsetLag Lambda
 * publishes for it, whatever other dimensions the series carries. The Lambda guide lists OffsetLag among
 * the function metrics (dimension FunctionName); whether it is also split by EventSourceMappingUUID could
 * not be checked offline, and `FROM "AWS/Lambda" WHERE FunctionName = ...` matches either shape, while a
 * plain metric matches only its exact dimension set (docs/aws-notes.md, item 6).
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html
 */
export function offsetLagQuery(functionName: string): string {
  return `SELECT MAX(OffsetLag) FROM "AWS/Lambda" WHERE FunctionName = '${functionName}'`;
}

export function offsetLagGroup(sources: readonly OffsetLagSource[]): CustomMetricGroup {
  if (sources.length === 0) throw new Error('offsetLagGroup: no Kafka consumer functions');
  return {
    title: 'Kafka consumer lag per consumer function (OffsetLag, max over its mappings)',
    metrics: sources.map((s) => ({
      alarmFriendlyName: `OffsetLag-${s.label.replace(/[^A-Za-z0-9-]/g, '-')}`,
      metric: new cloudwatch.MathExpression({
        expression: offsetLagQuery(s.functionName),
        usingMetrics: {},
        period: Duration.minutes(1),
        label: s.label,
      }),
      addAlarm: {
        Warning: {
          threshold: OFFSET_LAG_ALARM_RECORDS,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          ...FIVE_MINUTES,
        },
      },
    })),
  };
}

export interface BrokerMetricsProps {
  readonly clusterName: string;
  readonly brokerCount: number;
}

const brokerMetric = (props: BrokerMetricsProps, broker: number, metricName: string, statistic: string) =>
  new cloudwatch.Metric({
    namespace: 'AWS/Kafka',
    metricName,
    dimensionsMap: { 'Cluster Name': props.clusterName, 'Broker ID': String(broker) },
    statistic,
    period: Duration.minutes(1),
  });

const brokers = (props: BrokerMetricsProps) => Array.from({ length: props.brokerCount }, (_, i) => i + 1);

/** CPU and data-disk use per broker (alarmed), bytes in per broker (for context). */
export function brokerMetricGroups(props: BrokerMetricsProps): CustomMetricGroup[] {
  if (!Number.isInteger(props.brokerCount) || props.brokerCount < 1)
    throw new Error('brokerMetricGroups: brokerCount must be >= 1');
  return [
    {
      title: 'MSK broker CPU (user + system, %)',
      metrics: brokers(props).map((b) => ({
        alarmFriendlyName: `MskBroker${b}Cpu`,
        metric: new cloudwatch.MathExpression({
          // Ids are unique per broker: all brokers share one graph.
          expression: `user${b} + system${b}`,
          usingMetrics: {
            [`user${b}`]: brokerMetric(props, b, 'CpuUser', cloudwatch.Stats.AVERAGE),
            [`system${b}`]: brokerMetric(props, b, 'CpuSystem', cloudwatch.Stats.AVERAGE),
          },
          label: `broker ${b}`,
          period: Duration.minutes(1),
        }),
        addAlarm: {
          Warning: {
            threshold: BROKER_CPU_ALARM_PERCENT,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            ...FIVE_MINUTES,
          },
        },
      })),
    },
    {
      title: 'MSK broker data disk used (%)',
      metrics: brokers(props).map((b) => ({
        alarmFriendlyName: `MskBroker${b}Disk`,
        metric: brokerMetric(props, b, 'KafkaDataLogsDiskUsed', cloudwatch.Stats.MAXIMUM),
        addAlarm: {
          Critical: {
            threshold: BROKER_DISK_ALARM_PERCENT,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            ...FIVE_MINUTES,
          },
        },
      })),
    },
    {
      title: 'MSK bytes in per broker (bytes/s)',
      metrics: brokers(props).map((b) => brokerMetric(props, b, 'BytesInPerSec', cloudwatch.Stats.AVERAGE)),
    },
  ];
}
