/**
 * Every alarm and every dashboard widget of the monitoring stack uses a metric AWS documents, with a
 * dimension set AWS publishes it under (lib/monitoring/documented-metrics.ts); no alarm watches a metric
 * that this deployment never causes to be published.
 */
import { DOCUMENTED_METRICS, undocumentedUse } from '../../../lib/monitoring/documented-metrics';
import { resourcesOf, synthPipeline } from '../support';

const pipeline = synthPipeline();
const template = pipeline.template(pipeline.stacks.monitoring);

/** A CloudFormation string value with every token replaced by TOKEN. */
function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(join[0]);
  return 'TOKEN';
}

interface MetricUse {
  readonly where: string;
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: string[];
}

/** A Metrics Insights query: `SELECT FN(metric) FROM "namespace" WHERE dim = '...' [AND ...]`. */
function queryUse(where: string, expression: string): MetricUse | undefined {
  const m = /^SELECT (?:AVG|MAX|MIN|SUM|COUNT)\((\w+)\) FROM "([^"]+)"(?: WHERE (.+))?$/.exec(expression);
  if (!m) return undefined;
  const dimensions = (m[3] ?? '').split(' AND ').flatMap((c) => (c ? [c.split(' = ')[0]?.trim() ?? ''] : []));
  return { where, namespace: m[2] ?? '', name: m[1] ?? '', dimensions };
}

type Dim = { Name: string; Value: unknown };
type MetricStat = { Metric: { Namespace: string; MetricName: string; Dimensions?: Dim[] } };
const alarms = Object.entries(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map(([id, a]) => ({
  id,
  props: a.Properties as {
    Namespace?: string;
    MetricName?: string;
    Dimensions?: Dim[];
    Metrics?: { Expression?: unknown; MetricStat?: MetricStat }[];
  },
}));

function alarmUses(): { uses: MetricUse[]; queries: string[] } {
  const uses: MetricUse[] = [];
  const queries: string[] = [];
  for (const { id, props } of alarms) {
    if (props.MetricName && props.Namespace) {
      uses.push({
        where: id,
        namespace: props.Namespace,
        name: props.MetricName,
        dimensions: (props.Dimensions ?? []).map((d) => d.Name),
      });
    }
    for (const m of props.Metrics ?? []) {
      if (m.MetricStat) {
        const metric = m.MetricStat.Metric;
        uses.push({
          where: id,
          namespace: metric.Namespace,
          name: metric.MetricName,
          dimensions: (metric.Dimensions ?? []).map((d) => d.Name),
        });
      } else if (m.Expression !== undefined) {
        const expression = flat(m.Expression);
        const query = queryUse(id, expression);
        if (query) {
          uses.push(query);
          queries.push(expression);
        }
      }
    }
  }
  return { uses, queries };
}

function widgetUses(): MetricUse[] {
  const [, dashboard] = Object.entries(resourcesOf(template, 'AWS::CloudWatch::Dashboard'))[0] ?? [];
  const body = JSON.parse(flat(dashboard?.Properties.DashboardBody)) as {
    widgets: { properties?: { title?: string; metrics?: unknown[][] } }[];
  };
  return body.widgets.flatMap((w) =>
    (w.properties?.metrics ?? []).flatMap((row): MetricUse[] => {
      const where = `widget "${w.properties?.title ?? ''}"`;
      const [first] = row;
      if (typeof first === 'object' && first !== null) {
        const query = queryUse(where, flat((first as { expression?: unknown }).expression));
        return query ? [query] : [];
      }
      const strings = row.filter((x): x is string => typeof x === 'string');
      const [namespace, name, ...dims] = strings;
      return [{ where, namespace: namespace ?? '', name: name ?? '', dimensions: dims.filter((_, i) => i % 2 === 0) }];
    }),
  );
}

describe('Documented metrics', () => {
  it('every alarm watches a documented metric with a documented dimension set', () => {
    const { uses } = alarmUses();
    expect(uses.length).toBeGreaterThanOrEqual(alarms.length);
    const problems = uses.flatMap((u) => {
      const why = undocumentedUse(u.namespace, u.name, u.dimensions);
      return why ? [`${u.where}: ${why}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('no alarm watches a metric this deployment never causes to be published', () => {
    const conditional = alarmUses().uses.filter(
      (u) => DOCUMENTED_METRICS[u.namespace]?.metrics[u.name]?.publishedOnlyWhen !== undefined,
    );
    expect(conditional).toEqual([]);
  });

  it('every dashboard widget graphs a documented metric with a documented dimension set', () => {
    const uses = widgetUses();
    expect(uses.length).toBeGreaterThan(20);
    const problems = uses.flatMap((u) => {
      const why = undocumentedUse(u.namespace, u.name, u.dimensions);
      return why ? [`${u.where}: ${why}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('alarms on OffsetLag through a Metrics Insights query by FunctionName, one per Kafka consumer', () => {
    const { queries } = alarmUses();
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) expect(q).toBe(`SELECT MAX(OffsetLag) FROM "AWS/Lambda" WHERE FunctionName = 'TOKEN'`);
  });

  it('rejects what the stack used before: OffsetLag split by EventSourceMappingUUID is not documented', () => {
    expect(undocumentedUse('AWS/Lambda', 'OffsetLag', ['FunctionName', 'EventSourceMappingUUID'])).toMatch(
      /not published with dimensions/,
    );
    expect(undocumentedUse('AWS/Lambda', 'NoSuchMetric', ['FunctionName'])).toMatch(/not in documented-metrics/);
  });
});
