import { MetricStore, percentile, statOf } from './metric-store';

const T0 = 1_000_000;
const q = { from: T0, bucketMs: 1000, buckets: 3 };

describe('MetricStore', () => {
  it('reads counters per bucket as sums, 0 where nothing happened', () => {
    const store = new MetricStore(60_000, () => T0 + 3000);
    store.record('c', 'counter', 1, T0 + 100);
    store.record('c', 'counter', 2, T0 + 900);
    store.record('c', 'counter', 1, T0 + 2500);
    expect(store.series('c', 'Sum', q)).toEqual([3, 0, 1]);
  });

  it('reads samples with their statistic and leaves gaps where there is none', () => {
    const store = new MetricStore(60_000, () => T0 + 3000);
    for (const v of [10, 20, 30, 40]) store.record('d', 'sample', v, T0 + 10);
    store.record('d', 'sample', 7, T0 + 2100);
    expect(store.series('d', 'p50', q)).toEqual([20, null, 7]);
    expect(store.series('d', 'Maximum', q)).toEqual([40, null, 7]);
    expect(store.series('d', 'Average', q)).toEqual([25, null, 7]);
  });

  it('forgets datapoints older than its window', () => {
    let now = T0;
    const store = new MetricStore(1000, () => now);
    store.record('g', 'gauge', 5, T0);
    now = T0 + 5000;
    store.record('g', 'gauge', 6, now);
    expect(store.series('g', 'Maximum', { from: T0, bucketMs: 1000, buckets: 6 })).toEqual([
      null,
      null,
      null,
      null,
      null,
      6,
    ]);
  });

  it('counts invocations running at once per bucket; back-to-back ones are not concurrent', () => {
    const store = new MetricStore(60_000, () => T0 + 3000);
    store.recordInterval('f', T0 + 100, T0 + 600);
    store.recordInterval('f', T0 + 200, T0 + 1500);
    store.recordInterval('f', T0 + 1500, T0 + 1800);
    expect(store.concurrency('f', q)).toEqual([2, 1, 0]);
  });

  it('computes nearest-rank percentiles as CloudWatch does on raw values', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 50)).toBe(50);
    expect(statOf([3], 'p99')).toBe(3);
  });
});
