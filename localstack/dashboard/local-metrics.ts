/**
 * The local twin of the dashboard's CloudWatch metrics, fed by what the local pipeline does:
 * - API requests and latency: every response of the API Gateway twin;
 * - function invocations, errors, duration, concurrency: the runner's invocation records (concurrency from
 *   the invocations' start/end times, as Lambda's ConcurrentExecutions counts environments busy at once);
 * - the business metrics: the EMF lines the functions print (what CloudWatch Logs turns into metrics);
 * - consumer lag: every mapping's consumer group's committed offsets vs the partitions' log end offsets,
 *   read from Kafka (a group that committed nothing yet lags by the whole log);
 * - DLQ depth: ApproximateNumberOfMessages of every queue, read from ElasticMQ.
 * Series are read back through the shared widget list (lib/monitoring/widgets.ts).
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import {
  DASHBOARD_SECTIONS,
  DASHBOARD_WIDGETS,
  type MetricRef,
  type SeriesSpec,
  seriesKey,
} from '../../lib/monitoring/widgets';
import {
  DEFAULT_METRICS_NAMESPACE,
  type FunctionId,
  functions,
  kafkaMappings,
  type QueueId,
  queues,
} from '../../lib/topology';
import { clientConfig, type LocalEndpoints } from '../runner/endpoints';
import type { InvocationRecord } from '../runner/lambda/invocation-log';
import type { ProvisionedNames } from '../runner/names';
import { parseEmfLine } from './emf';
import { type BucketQuery, MetricStore } from './metric-store';

/** Where a series' datapoints are kept (the statistic is applied when read). */
export function storeKey(ref: MetricRef): string {
  switch (ref.source) {
    case 'api':
      return `api:${ref.metric}`;
    case 'lambda':
      return `lambda:${ref.metric}:${ref.function}`;
    case 'kafka-lag':
      return `kafka-lag:${ref.mapping}`;
    case 'dlq':
      return `dlq:${ref.queue}`;
    case 'emf':
      return `emf:${ref.metric}:${ref.service}`;
  }
}

export interface DashboardData {
  readonly bucketSeconds: number;
  /** Bucket start times, seconds since epoch. */
  readonly x: readonly number[];
  /** Per widget id: one array per series (the widget's order), one value per bucket. */
  readonly widgets: Readonly<Record<string, readonly (readonly (number | null)[])[]>>;
}

/** The widget list as the local page shows it (ids, titles, series labels and keys). */
export function localWidgetList() {
  return DASHBOARD_SECTIONS.map((section) => ({
    title: section.title,
    widgets: section.widgets.map((w) => ({
      id: w.id,
      title: w.title,
      unit: w.unit,
      series: w.series.map((s) => ({ label: s.label, stat: s.stat, key: seriesKey(s) })),
    })),
  }));
}

export interface LocalMetricsOptions {
  readonly names: ProvisionedNames;
  readonly endpoints: LocalEndpoints;
  readonly namespace?: string;
  readonly store?: MetricStore;
  /** Clock (tests). */
  readonly now?: () => number;
}

export class LocalMetrics {
  readonly store: MetricStore;
  private readonly byPhysicalName = new Map<string, FunctionId>();
  private readonly namespace: string;
  private readonly sqs: SQSClient;
  private admin: Admin | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly options: LocalMetricsOptions) {
    this.now = options.now ?? Date.now;
    this.store = options.store ?? new MetricStore(undefined, this.now);
    this.namespace = options.namespace ?? DEFAULT_METRICS_NAMESPACE;
    for (const id of Object.keys(functions) as FunctionId[])
      this.byPhysicalName.set(options.names.functionName(id), id);
    this.sqs = new SQSClient(clientConfig(options.endpoints, options.endpoints.sqs));
  }

  onInvocation(r: InvocationRecord): void {
    const fn = this.byPhysicalName.get(r.function);
    if (!fn) return;
    const end = this.now();
    this.store.record(`lambda:Invocations:${fn}`, 'counter', 1, end);
    this.store.record(`lambda:Errors:${fn}`, 'counter', r.outcome === 'error' || r.outcome === 'timeout' ? 1 : 0, end);
    this.store.record(`lambda:Duration:${fn}`, 'sample', r.durationMs, end);
    this.store.recordInterval(`lambda:ConcurrentExecutions:${fn}`, end - r.durationMs, end);
  }

  onApiResponse(r: { readonly statusCode: number; readonly latencyMs: number }): void {
    const at = this.now();
    this.store.record('api:Count', 'counter', 1, at);
    this.store.record('api:4XXError', 'counter', r.statusCode >= 400 && r.statusCode < 500 ? 1 : 0, at);
    this.store.record('api:5XXError', 'counter', r.statusCode >= 500 ? 1 : 0, at);
    this.store.record('api:Latency', 'sample', r.latencyMs, at);
  }

  /** Records the EMF metrics of one output line of a function; true when the line was EMF. */
  onFunctionOutput(line: string): boolean {
    const points = parseEmfLine(line);
    for (const p of points) {
      const service = p.dimensions.service;
      if (p.namespace !== this.namespace || !service) continue;
      const kind = p.name === 'SagaDuration' || p.name.endsWith('Seconds') ? 'sample' : 'counter';
      for (const v of p.values) this.store.record(`emf:${p.name}:${service}`, kind, v, p.timestamp);
    }
    return points.length > 0;
  }

  /** Samples consumer lag and DLQ depth every `everyMs` until stop(). */
  async start(everyMs = 2000): Promise<void> {
    this.admin = new Kafka({
      clientId: 'local-dashboard',
      brokers: [...this.options.endpoints.kafkaBrokers],
      logLevel: logLevel.NOTHING,
    }).admin();
    await this.admin.connect();
    await this.sample();
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample()).catch(() => undefined);
    }, everyMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sampling;
    await this.admin?.disconnect().catch(() => undefined);
    this.sqs.destroy();
  }

  async sample(): Promise<void> {
    const at = this.now();
    const { names } = this.options;
    const admin = this.admin;
    const lags = admin
      ? kafkaMappings.map(async (m) => {
          const topic = names.topic(m.topic);
          const [ends, committed] = await Promise.all([
            admin.fetchTopicOffsets(topic),
            admin.fetchOffsets({ groupId: names.consumerGroup(m), topics: [topic] }),
          ]);
          const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
          const lag = ends.reduce((sum, p) => {
            const position = done.get(p.partition) ?? -1;
            return sum + Math.max(0, Number(p.high) - (position >= 0 ? position : Number(p.low)));
          }, 0);
          this.store.record(`kafka-lag:${m.id}`, 'gauge', lag, at);
        })
      : [];
    const depths = (Object.keys(queues) as QueueId[]).map(async (q) => {
      const out = await this.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: names.queueUrl(q), AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      this.store.record(`dlq:${q}`, 'gauge', Number(out.Attributes?.ApproximateNumberOfMessages ?? 0), at);
    });
    await Promise.allSettled([...lags, ...depths]);
  }

  data(minutes = 5, bucketSeconds = 5): DashboardData {
    const bucketMs = bucketSeconds * 1000;
    const buckets = Math.round((minutes * 60) / bucketSeconds);
    const from = (Math.floor(this.now() / bucketMs) - buckets + 1) * bucketMs;
    const q: BucketQuery = { from, bucketMs, buckets };
    const read = (s: SeriesSpec) =>
      s.ref.source === 'lambda' && s.ref.metric === 'ConcurrentExecutions'
        ? this.store.concurrency(storeKey(s.ref), q)
        : this.store.series(storeKey(s.ref), s.stat, q);
    return {
      bucketSeconds,
      x: Array.from({ length: buckets }, (_, i) => (from + i * bucketMs) / 1000),
      widgets: Object.fromEntries(DASHBOARD_WIDGETS.map((w) => [w.id, w.series.map(read)])),
    };
  }
}
