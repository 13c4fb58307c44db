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
type ApiMetric = 'Count' | 'Latency' | '4XXError' | '5XXError';
type LambdaMetric = 'Invocations' | 'Errors' | 'Duration' | 'ConcurrentExecutions';

export type MetricRef =
  /** AWS/ApiGateway by ApiName + Stage; locally the API twin's responses. */
  | { readonly source: 'api'; readonly metric: ApiMetric }
  /** AWS/Lambda by FunctionName; locally the runner's invocation records. */
  | { readonly source: 'lambda'; readonly metric: LambdaMetric; readonly function: FunctionId }
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

// Builders rather than object literals: every widget and series has the same few fields, and a
// literal per series made the sections near-copies of each other.
const widget = (id: string, title: string, unit: string, series: readonly SeriesSpec[]): WidgetSpec => ({
  id,
  title,
  unit,
  series,
});

const seriesOf = (label: string, ref: MetricRef, stat: Stat): SeriesSpec => ({ label, ref, stat });

const api = (label: string, metric: ApiMetric, stat: Stat = 'Sum'): SeriesSpec =>
  seriesOf(label, { source: 'api', metric }, stat);

const emf = (label: string, metric: string, service: FunctionId, stat: Stat = 'Sum'): SeriesSpec =>
  seriesOf(label, { source: 'emf', metric, service }, stat);

const perFunction = (id: string, title: string, unit: string, metric: LambdaMetric, stat: Stat): WidgetSpec =>
  widget(
    id,
    title,
    unit,
    functionIds.map((f) => seriesOf(f, { source: 'lambda', metric, function: f }, stat)),
  );

const perProcessor = (
  id: string,
  title: string,
  metric: string,
  of: readonly FunctionId[] = recordProcessors,
): WidgetSpec =>
  widget(
    id,
    title,
    'records',
    of.map((f) => emf(f, metric, f)),
  );

export const DASHBOARD_SECTIONS: readonly WidgetSection[] = [
  {
    title: 'Orders API',
    widgets: [
      widget('api-requests', 'API requests', 'requests', [
        api('requests', 'Count'),
        api('4xx', '4XXError'),
        api('5xx', '5XXError'),
      ]),
      widget('api-latency', 'API latency', 'ms', [api('p50', 'Latency', 'p50'), api('p99', 'Latency', 'p99')]),
    ],
  },
  {
    title: 'Business',
    widgets: [
      widget('orders-by-outcome', 'Orders created and ended, by outcome', 'orders', [
        emf('created', BusinessMetric.created, 'order-api'),
        emf('confirmed', BusinessMetric.confirmed, 'order-view'),
        emf('rejected', BusinessMetric.rejected, 'order-view'),
        emf('cancelled', BusinessMetric.cancelled, 'order-view'),
        emf('expired', BusinessMetric.expired, 'order-view'),
      ]),
      widget('saga-duration', 'Saga duration, created to final status', 'ms', [
        emf('p50', BusinessMetric.sagaDuration, 'order-view', 'p50'),
        emf('p99', BusinessMetric.sagaDuration, 'order-view', 'p99'),
      ]),
      widget('events-published', 'Events published to Kafka (relay)', 'events', [
        emf('published', BusinessMetric.eventsPublished, 'outbox-relay'),
      ]),
      perProcessor('records-dead-lettered', 'Records dead-lettered per function', ConsumerMetric.deadLettered),
      perProcessor('records-retried', 'Records failed transiently (retried) per function', ConsumerMetric.retried),
      widget('reconciler', 'Saga reconciler: orders re-driven and expired', 'orders', [
        emf('re-driven', ReconcilerMetric.redriven, 'reconciler'),
        emf('expired', ReconcilerMetric.expired, 'reconciler'),
      ]),
      widget('oldest-open-order', 'Oldest open order (seconds)', 's', [
        emf('oldest open', ReconcilerMetric.oldestOpenAge, 'reconciler', 'Maximum'),
      ]),
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
      widget(
        'consumer-lag',
        'Consumer lag per mapping (records)',
        'records',
        kafkaMappings.map((m) => seriesOf(m.consumerGroupId, { source: 'kafka-lag', mapping: m.id }, 'Maximum')),
      ),
      widget(
        'dlq-depth',
        'Dead-letter queue depth',
        'messages',
        (Object.keys(queues) as QueueId[]).map((q) => seriesOf(q, { source: 'dlq', queue: q }, 'Maximum')),
      ),
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
