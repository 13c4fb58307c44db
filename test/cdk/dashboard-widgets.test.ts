/**
 * One widget list feeds both dashboards: the synthesized CloudWatch dashboard's graph widgets (up to the
 * AWS-only part) are exactly lib/monitoring/widgets.ts, series by series, and so is the widget list the
 * local dashboard page serves (GET /api/widgets).
 */
import { AWS_ONLY_HEADER } from '../../lib/monitoring/monitoring-stack';
import { DASHBOARD_WIDGETS, type SeriesSpec } from '../../lib/monitoring/widgets';
import { functions, kafkaMappings, topics } from '../../lib/topology';
import { LocalMetrics } from '../../localstack/dashboard/local-metrics';
import { startDashboardServer } from '../../localstack/dashboard/server';
import { endpointsFromEnv } from '../../localstack/runner/endpoints';
import { localNames, withQueueUrls } from '../../localstack/runner/names';
import { resourcesOf, synthPipeline } from './support';

const pipeline = synthPipeline();
const { monitoring } = pipeline.stacks;
const template = pipeline.template(monitoring);

/** A token as plain text that keeps the logical ids / export names it refers to. */
const tokenText = (t: unknown) => `TOKEN:${JSON.stringify(t).replace(/[^A-Za-z0-9:.-]/g, '')}`;

/** CloudFormation value → string, each token replaced by tokenText. */
function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map((p) => (typeof p === 'string' ? p : tokenText(p))).join(join[0]);
  return tokenText(value);
}

interface Widget {
  type: string;
  properties: { title?: string; markdown?: string; metrics?: unknown[][] };
}
const [, dashboard] = Object.entries(resourcesOf(template, 'AWS::CloudWatch::Dashboard'))[0] ?? [];
const body = JSON.parse(flat(dashboard?.Properties.DashboardBody)) as { widgets: Widget[] };
const awsOnlyAt = body.widgets.findIndex(
  (w) => w.type === 'text' && (w.properties.markdown ?? '').includes(AWS_ONLY_HEADER),
);
const sharedPart = body.widgets.slice(0, awsOnlyAt).filter((w) => w.type === 'metric');

interface Row {
  namespace: string;
  metric: string;
  dims: Record<string, string>;
  label: string;
  stat: string;
}
function rowOf(row: unknown[]): Row {
  const strings = row.filter((x): x is string => typeof x === 'string');
  const options = row.find((x) => typeof x === 'object') as { label: string; stat: string };
  const [namespace = '', metric = '', ...rest] = strings;
  const dims: Record<string, string> = {};
  for (let i = 0; i + 1 < rest.length; i += 2) dims[rest[i] as string] = rest[i + 1] as string;
  return { namespace, metric, dims, label: options.label, stat: options.stat };
}

/** What the CloudWatch row of a shared series must be. */
function expectRow(s: SeriesSpec, row: Row): void {
  expect({ label: row.label, stat: row.stat }).toEqual({ label: s.label, stat: s.stat });
  const r = s.ref;
  switch (r.source) {
    case 'api':
      expect([row.namespace, row.metric, Object.keys(row.dims)]).toEqual([
        'AWS/ApiGateway',
        r.metric,
        ['ApiName', 'Stage'],
      ]);
      break;
    case 'lambda':
      expect([row.namespace, row.metric]).toEqual(['AWS/Lambda', r.metric]);
      expect(row.dims.FunctionName).toContain(pipeline.logicalIds.function(r.function));
      break;
    case 'kafka-lag': {
      const m = kafkaMappings.find((k) => k.id === r.mapping);
      expect([row.namespace, row.metric]).toEqual(['AWS/Kafka', 'SumOffsetLag']);
      expect(row.dims).toEqual({
        'Cluster Name': pipeline.stacks.streaming.cluster.clusterName,
        'Consumer Group': m?.consumerGroupId,
        Topic: m ? topics[m.topic].name : '',
      });
      break;
    }
    case 'dlq':
      expect([row.namespace, row.metric, Object.keys(row.dims)]).toEqual([
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        ['QueueName'],
      ]);
      break;
    case 'emf':
      expect(row).toMatchObject({ namespace: pipeline.config.prefix, metric: r.metric, dims: { service: r.service } });
      break;
  }
}

describe('Dashboard widgets shared by CloudWatch and the local page', () => {
  it('the CloudWatch dashboard shows the shared widgets, in order, before its AWS-only part', () => {
    expect(awsOnlyAt).toBeGreaterThan(0);
    expect(sharedPart.map((w) => w.properties.title)).toEqual(DASHBOARD_WIDGETS.map((w) => w.title));
    const awsOnly = body.widgets.slice(awsOnlyAt).filter((w) => w.type === 'metric');
    for (const w of awsOnly)
      expect((w.properties.metrics ?? []).map((r) => rowOf(r).namespace)).not.toContain('OrderSaga');
  });

  it.each(DASHBOARD_WIDGETS.map((w, i) => [w.id, i] as const))('%s: every series is the shared one', (_id, i) => {
    const spec = DASHBOARD_WIDGETS[i];
    const rows = (sharedPart[i]?.properties.metrics ?? []).map(rowOf);
    expect(rows).toHaveLength(spec?.series.length ?? -1);
    for (const [j, s] of (spec?.series ?? []).entries()) expectRow(s, rows[j] as Row);
  });

  it('graphs every function, every Kafka mapping and every DLQ', () => {
    const labels = (id: string) => DASHBOARD_WIDGETS.find((w) => w.id === id)?.series.map((s) => s.label);
    expect(labels('fn-invocations')).toEqual(Object.keys(functions));
    expect(labels('consumer-lag')).toEqual(kafkaMappings.map((m) => m.consumerGroupId));
    expect(labels('dlq-depth')?.sort()).toEqual([
      'inventory-dlq',
      'notification-dlq',
      'order-view-dlq',
      'outbox-relay-dlq',
      'payment-dlq',
    ]);
  });

  it('the local page serves the same widgets: titles, series labels and statistics, in order', async () => {
    const names = withQueueUrls(localNames(''), new Map());
    const metrics = new LocalMetrics({ names, endpoints: endpointsFromEnv() });
    const server = await startDashboardServer({ metrics, port: 0 });
    try {
      const res = await fetch(new URL('api/widgets', server.url));
      const page = (await res.json()) as {
        sections: { widgets: { id: string; title: string; series: { label: string; stat: string }[] }[] }[];
      };
      const local = page.sections.flatMap((s) => s.widgets);
      const cloud = sharedPart.map((w) => ({
        title: w.properties.title,
        series: (w.properties.metrics ?? []).map((r) => {
          const row = rowOf(r);
          return { label: row.label, stat: row.stat };
        }),
      }));
      expect(
        local.map((w) => ({ title: w.title, series: w.series.map(({ label, stat }) => ({ label, stat })) })),
      ).toEqual(cloud);
      // The page and its plotting library are served locally.
      for (const asset of ['', 'dashboard.js', 'uplot.js', 'uplot.css']) {
        expect({ asset, status: (await fetch(new URL(asset, server.url))).status }).toEqual({ asset, status: 200 });
      }
    } finally {
      await server.close();
    }
  });
});
