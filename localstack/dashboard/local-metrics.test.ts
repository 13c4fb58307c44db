import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { BusinessMetric } from '../../functions/shared/metric-names';
import { DASHBOARD_WIDGETS } from '../../lib/monitoring/widgets';
import { endpointsFromEnv } from '../runner/endpoints';
import { localNames, withQueueUrls } from '../runner/names';
import { LocalMetrics } from './local-metrics';

/** The EMF line Powertools Metrics really prints (captured from stdout). */
function powertoolsLine(emit: (m: Metrics) => void): string {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const m = new Metrics({ namespace: 'OrderSaga', serviceName: 'order-view' });
    emit(m);
    m.publishStoredMetrics();
  } finally {
    spy.mockRestore();
  }
  const line = lines
    .join('')
    .split('\n')
    .find((l) => l.includes('"_aws"'));
  if (!line) throw new Error(`Powertools printed no EMF line: ${lines.join('')}`);
  return line;
}

/** A fixed clock in the middle of a minute: every datapoint lands in the last one-minute bucket. */
const NOW = Date.UTC(2026, 0, 1, 10, 0, 30);
const metricsFor = (prefix: string) =>
  new LocalMetrics({
    names: withQueueUrls(localNames(prefix), new Map()),
    endpoints: endpointsFromEnv(),
    now: () => NOW,
  });

const lastBucket = (m: LocalMetrics, widget: string) =>
  (m.data(1, 60).widgets[widget] ?? []).map((series) => series[series.length - 1]);

describe('LocalMetrics', () => {
  beforeAll(() => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  });

  it('turns the EMF Powertools prints into the business widgets', () => {
    const m = metricsFor('');
    const line = powertoolsLine((pm) => {
      pm.addMetric(BusinessMetric.confirmed, MetricUnit.Count, 1);
      pm.addMetric(BusinessMetric.sagaDuration, MetricUnit.Milliseconds, 1200);
      pm.addMetric(BusinessMetric.sagaDuration, MetricUnit.Milliseconds, 800);
    });
    // Stamped at the fixed clock's time, so it lands in the bucket read below.
    const doc = JSON.parse(line) as { _aws: { Timestamp: number } };
    doc._aws.Timestamp = NOW;
    expect(m.onFunctionOutput(JSON.stringify(doc))).toBe(true);
    expect(m.onFunctionOutput('{"level":"WARN","message":"not a metric"}')).toBe(false);
    // created, confirmed, rejected, cancelled, expired
    expect(lastBucket(m, 'orders-by-outcome')).toEqual([0, 1, 0, 0, 0]);
    expect(lastBucket(m, 'saga-duration')).toEqual([800, 1200]); // p50, p99
  });

  it('counts invocations, errors and duration by function, from physical names', () => {
    const m = metricsFor('t1-');
    const base = { trigger: 'api POST /orders', requestId: 'r', coldStart: false } as const;
    m.onInvocation({ ...base, function: 't1-order-api', durationMs: 40, outcome: 'ok' });
    m.onInvocation({ ...base, function: 't1-order-api', durationMs: 90, outcome: 'error' });
    m.onInvocation({ ...base, function: 'other-order-api', durationMs: 10, outcome: 'ok' }); // not this copy
    const at = DASHBOARD_WIDGETS.find((w) => w.id === 'fn-invocations')?.series.findIndex(
      (s) => s.label === 'order-api',
    );
    expect(lastBucket(m, 'fn-invocations')[at ?? -1]).toBe(2);
    expect(lastBucket(m, 'fn-errors')[at ?? -1]).toBe(1);
    expect(lastBucket(m, 'fn-duration-p99')[at ?? -1]).toBe(90);
  });

  it('counts API responses by class and their latency', () => {
    const m = metricsFor('');
    m.onApiResponse({ statusCode: 202, latencyMs: 30 });
    m.onApiResponse({ statusCode: 400, latencyMs: 5 });
    m.onApiResponse({ statusCode: 502, latencyMs: 100 });
    expect(lastBucket(m, 'api-requests')).toEqual([3, 1, 1]);
    expect(lastBucket(m, 'api-latency')).toEqual([30, 100]);
  });
});
