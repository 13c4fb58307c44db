/**
 * The shared widget list (widgets.ts) as CloudWatch metrics: one cdk-monitoring-constructs custom
 * metric group per widget, one custom monitoring segment per section. Where each metric comes from:
 * - API Gateway Count/Latency/4XXError/5XXError by ApiName + Stage,
 * - Lambda Invocations/Errors/Duration/ConcurrentExecutions by FunctionName,
 *   https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 * - MSK consumer lag SumOffsetLag by Cluster Name + Consumer Group + Topic (DEFAULT monitoring level:
 *   the lag of one consumer group on one topic, i.e. of one event source mapping),
 *   https://docs.aws.amazon.com/msk/latest/developerguide/consumer-lag.html,
 *   https://docs.aws.amazon.com/msk/latest/developerguide/metrics-details.html
 * - SQS ApproximateNumberOfMessagesVisible by QueueName,
 * - the functions' EMF metrics by service under the deployment's namespace.
 * Every one is in documented-metrics.ts (test/cdk/documented-metrics.test.ts).
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { CustomMetricGroup } from 'cdk-monitoring-constructs';
import { type FunctionId, type KafkaMappingSpec, kafkaMappings, type QueueId, topics } from '../topology';
import type { MetricRef, SeriesSpec, WidgetSpec } from './widgets';

/** Physical names the CloudWatch metrics are published under. */
export interface CloudWatchNames {
  readonly apiName: string;
  readonly apiStage: string;
  readonly functionName: (f: FunctionId) => string;
  readonly queueName: (q: QueueId) => string;
  readonly clusterName: string;
  readonly metricsNamespace: string;
}

export const DASHBOARD_PERIOD = Duration.minutes(1);

const mappingOf = (id: string): KafkaMappingSpec => {
  const m = kafkaMappings.find((k) => k.id === id);
  if (!m) throw new Error(`dashboard: no Kafka mapping ${id}`);
  return m;
};

function metricOf(
  ref: MetricRef,
  names: CloudWatchNames,
): { namespace: string; metricName: string; dims: Record<string, string> } {
  switch (ref.source) {
    case 'api':
      return {
        namespace: 'AWS/ApiGateway',
        metricName: ref.metric,
        dims: { ApiName: names.apiName, Stage: names.apiStage },
      };
    case 'lambda':
      return {
        namespace: 'AWS/Lambda',
        metricName: ref.metric,
        dims: { FunctionName: names.functionName(ref.function) },
      };
    case 'kafka-lag': {
      const m = mappingOf(ref.mapping);
      return {
        namespace: 'AWS/Kafka',
        metricName: 'SumOffsetLag',
        dims: { 'Cluster Name': names.clusterName, 'Consumer Group': m.consumerGroupId, Topic: topics[m.topic].name },
      };
    }
    case 'dlq':
      return {
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dims: { QueueName: names.queueName(ref.queue) },
      };
    case 'emf':
      return { namespace: names.metricsNamespace, metricName: ref.metric, dims: { service: ref.service } };
  }
}

export function cloudWatchMetric(
  series: SeriesSpec,
  names: CloudWatchNames,
  period = DASHBOARD_PERIOD,
): cloudwatch.Metric {
  const { namespace, metricName, dims } = metricOf(series.ref, names);
  return new cloudwatch.Metric({
    namespace,
    metricName,
    dimensionsMap: dims,
    statistic: series.stat,
    period,
    label: series.label,
  });
}

export function widgetMetricGroup(widget: WidgetSpec, names: CloudWatchNames): CustomMetricGroup {
  return {
    title: widget.title,
    graphWidgetAxis: { label: widget.unit, min: 0 },
    metrics: widget.series.map((s) => cloudWatchMetric(s, names)),
  };
}
