/**
 * The pipeline dashboard, once: every widget the CloudWatch dashboard (lib/monitoring/dashboard.ts) and
 * the local dashboard (localstack/dashboard/) show, as plain data. Each series names a metric by what
 * it measures (a function by topology id, a mapping, a queue), not by a physical name: each target
 * resolves it to its own source (CloudWatch metric, or the local runner's records), so the two pages
 * cannot drift. test/cdk/dashboard-widgets.test.ts compares the synthesized dashboard and the local
 * page's widget list with this one.
 */

import { ReconcilerMetric } from '../../functions/reconciler/metrics';
import { BusinessMetric, ConsumerMetric } from '../../functions/shared/metric-names';
import { type FunctionId, functions, kafkaMappings, type QueueId, queues } from '../topology';

export type Stat = 'Sum' | 'Average' | 'Maximum' | 'p50' | 'p99';

/** What a series measures; the target decides where it comes from. */
export type MetricRef =
  /** AWS/ApiGateway by ApiName + Stage; locally the API twin's responses. */
  | { readonly source: 'api'; readonly metric: 'Count' | 'Latency' | '4XXError' | '5XXError' }
  /** AWS/Lambda by FunctionName; locally the runner's invocation records. */
  | {
      readonly source: 'lambda';
      readonly metric: 'Invocations' | 'Errors' | 'Duration' | 'ConcurrentExecutions';
      readonly function: FunctionId;
    }
  /** AWS/Kafka SumOffsetLag of one mapping's consumer group; locally committed offsets vs log end. */
  | { readonly source: 'kafka-lag'; readonly mapping: string }
  /** AWS/SQS ApproximateNumberOfMessagesVisible; locally GetQueueAttributes on ElasticMQ. */
  | { readonly source: 'dlq'; readonly queue: QueueId }
  /** The functions' own EMF metrics (namespace per deployment, dimension service); locally parsed from their output. */
  | { readonly source: 'emf'; readonly metric: string; readonly service: FunctionId };

export interface SeriesSpec {
  readonly label: string;
  readonly ref: MetricRef;
  readonly stat: Stat;
}

export interface WidgetSpec {
  /** Stable id (HTML id locally, test key). */
  readonly id: string;
  readonly title: string;
  /** Axis label. */
  readonly unit: string;
  readonly series: readonly SeriesSpec[];
}

export interface WidgetSection {
  readonly title: string;
  readonly widgets: readonly WidgetSpec[];
}

const functionIds = Object.keys(functions) as FunctionId[];
const consumers = [...new Set(kafkaMappings.map((m) => m.function))];
/** Functions that process records and emit the per-record metrics (stream relay and Kafka consumers). */
const recordProcessors: FunctionId[] = ['outbox-relay', ...consumers];

const perFunction = (
  id: string,
  title: string,
  unit: string,
  metric: 'Invocations' | 'Errors' | 'Duration' | 'ConcurrentExecutions',
  stat: Stat,
): WidgetSpec => ({
  id,
  title,
  unit,
  series: functionIds.map((f) => ({ label: f, ref: { source: 'lambda', metric, function: f }, stat })),
});

const perProcessor = (
  id: string,
  title: string,
  metric: string,
  of: readonly FunctionId[] = recordProcessors,
): WidgetSpec => ({
  id,
  title,
  unit: 'records',
  series: of.map((f) => ({ label: f, ref: { source: 'emf', metric, service: f }, stat: 'Sum' })),
});

const emf = (label: string, metric: string, service: FunctionId, stat: Stat = 'Sum'): SeriesSpec => ({
  label,
  ref: { source: 'emf', metric, service },
  stat,
});

export const DASHBOARD_SECTIONS: readonly WidgetSection[] = [
  {
    title: 'Orders API',
    widgets: [
      {
        id: 'api-requests',
        title: 'API requests',
        unit: 'requests',
        series: [
          { label: 'requests', ref: { source: 'api', metric: 'Count' }, stat: 'Sum' },
          { label: '4xx', ref: { source: 'api', metric: '4XXError' }, stat: 'Sum' },
          { label: '5xx', ref: { source: 'api', metric: '5XXError' }, stat: 'Sum' },
        ],
      },
      {
        id: 'api-latency',
        title: 'API latency',
        unit: 'ms',
        series: [
          { label: 'p50', ref: { source: 'api', metric: 'Latency' }, stat: 'p50' },
          { label: 'p99', ref: { source: 'api', metric: 'Latency' }, stat: 'p99' },
        ],
      },
    ],
  },
  {
    title: 'Business',
    widgets: [
      {
        id: 'orders-by-outcome',
        title: 'Orders created and ended, by outcome',
        unit: 'orders',
        series: [
          emf('created', BusinessMetric.created, 'order-api'),
          emf('confirmed', BusinessMetric.confirmed, 'order-view'),
          emf('rejected', BusinessMetric.rejected, 'order-view'),
          emf('cancelled', BusinessMetric.cancelled, 'order-view'),
          emf('expired', BusinessMetric.expired, 'order-view'),
        ],
      },
      {
        id: 'saga-duration',
        title: 'Saga duration, created to final status',
        unit: 'ms',
        series: [
          emf('p50', BusinessMetric.sagaDuration, 'order-view', 'p50'),
          emf('p99', BusinessMetric.sagaDuration, 'order-view', 'p99'),
        ],
      },
      {
        id: 'events-published',
        title: 'Events published to Kafka (relay)',
        unit: 'events',
        series: [emf('published', BusinessMetric.eventsPublished, 'outbox-relay')],
      },
      perProcessor('records-dead-lettered', 'Records dead-lettered per function', ConsumerMetric.deadLettered),
      perProcessor('records-retried', 'Records failed transiently (retried) per function', ConsumerMetric.retried),
      {
        id: 'reconciler',
        title: 'Saga reconciler: orders re-driven and expired',
        unit: 'orders',
        series: [
          emf('re-driven', ReconcilerMetric.redriven, 'reconciler'),
          emf('expired', ReconcilerMetric.expired, 'reconciler'),
        ],
      },
      {
        id: 'oldest-open-order',
        title: 'Oldest open order (seconds)',
        unit: 's',
        series: [emf('oldest open', ReconcilerMetric.oldestOpenAge, 'reconciler', 'Maximum')],
      },
      perProcessor(
        'duplicates-skipped',
        'Records skipped as duplicate per function',
        ConsumerMetric.duplicates,
        consumers,
      ),
    ],
  },
  {
    title: 'Functions',
    widgets: [
      perFunction('fn-invocations', 'Invocations per function', 'invocations', 'Invocations', 'Sum'),
      perFunction('fn-errors', 'Errors per function', 'errors', 'Errors', 'Sum'),
      perFunction('fn-duration-p99', 'Duration p99 per function', 'ms', 'Duration', 'p99'),
      perFunction(
        'fn-concurrency',
        'Concurrent executions per function',
        'executions',
        'ConcurrentExecutions',
        'Maximum',
      ),
    ],
  },
  {
    title: 'Kafka and dead letters',
    widgets: [
      {
        id: 'consumer-lag',
        title: 'Consumer lag per mapping (records)',
        unit: 'records',
        series: kafkaMappings.map((m) => ({
          label: m.consumerGroupId,
          ref: { source: 'kafka-lag', mapping: m.id },
          stat: 'Maximum',
        })),
      },
      {
        id: 'dlq-depth',
        title: 'Dead-letter queue depth',
        unit: 'messages',
        series: (Object.keys(queues) as QueueId[]).map((q) => ({
          label: q,
          ref: { source: 'dlq', queue: q },
          stat: 'Maximum',
        })),
      },
    ],
  },
];

export const DASHBOARD_WIDGETS: readonly WidgetSpec[] = DASHBOARD_SECTIONS.flatMap((s) => s.widgets);

/** A series' identity across targets, e.g. `lambda:Duration:order-api:p99` (comparison tests, local data keys). */
export function seriesKey(s: SeriesSpec): string {
  const r = s.ref;
  switch (r.source) {
    case 'api':
      return `api:${r.metric}:${s.stat}`;
    case 'lambda':
      return `lambda:${r.metric}:${r.function}:${s.stat}`;
    case 'kafka-lag':
      return `kafka-lag:${r.mapping}:${s.stat}`;
    case 'dlq':
      return `dlq:${r.queue}:${s.stat}`;
    case 'emf':
      return `emf:${r.metric}:${r.service}:${s.stat}`;
  }
}
