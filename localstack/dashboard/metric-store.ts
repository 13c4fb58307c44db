/**
 * The local dashboard's metrics: raw datapoints per metric key, kept for a window, and read back in
 * fixed buckets with CloudWatch's statistics (Sum, Average, Maximum, p50, p99). Counters (a value per
 * event) read 0 in a bucket without events, as CloudWatch's Sum of a metric published with 0s would;
 * gauges and samples read null (a gap) there.
 */
import type { Stat } from '../../lib/monitoring/widgets';

export type MetricKind = 'counter' | 'sample' | 'gauge';

interface Point {
  readonly t: number;
  readonly v: number;
}

export interface BucketQuery {
  /** Start of the first bucket (ms since epoch). */
  readonly from: number;
  readonly bucketMs: number;
  readonly buckets: number;
}

/** Nearest-rank percentile of sorted values (CloudWatch's pNN on raw values). */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function statOf(values: readonly number[], stat: Stat): number {
  switch (stat) {
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Maximum':
      return Math.max(...values);
    case 'p50':
    case 'p99':
      return percentile(
        [...values].sort((a, b) => a - b),
        stat === 'p50' ? 50 : 99,
      );
  }
}

export class MetricStore {
  private readonly points = new Map<string, Point[]>();
  private readonly kinds = new Map<string, MetricKind>();
  /** Invocation intervals per function, for ConcurrentExecutions. */
  private readonly intervals = new Map<string, { start: number; end: number }[]>();

  constructor(
    private readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  record(key: string, kind: MetricKind, value: number, at = this.now()): void {
    if (!Number.isFinite(value)) return;
    this.kinds.set(key, kind);
    const list = this.points.get(key) ?? [];
    this.points.set(key, list);
    list.push({ t: at, v: value });
    this.prune(list);
  }

  /** One invocation of a function that ran from `start` to `end` (ms since epoch). */
  recordInterval(key: string, start: number, end: number): void {
    const list = this.intervals.get(key) ?? [];
    this.intervals.set(key, list);
    list.push({ start, end });
    const horizon = this.now() - this.windowMs;
    while (list.length > 0 && (list[0] as { end: number }).end < horizon) list.shift();
  }

  /** The statistic per bucket; null where a gauge or sample has no datapoint. */
  series(key: string, stat: Stat, q: BucketQuery): (number | null)[] {
    const byBucket: number[][] = Array.from({ length: q.buckets }, () => []);
    for (const p of this.points.get(key) ?? []) {
      const i = Math.floor((p.t - q.from) / q.bucketMs);
      if (i >= 0 && i < q.buckets) byBucket[i]?.push(p.v);
    }
    const fillZero = this.kinds.get(key) === 'counter' || (stat === 'Sum' && !this.kinds.has(key));
    return byBucket.map((values) => (values.length > 0 ? statOf(values, stat) : fillZero ? 0 : null));
  }

  /** Most invocations running at once in each bucket (Lambda's ConcurrentExecutions, Maximum). */
  concurrency(key: string, q: BucketQuery): number[] {
    const list = this.intervals.get(key) ?? [];
    return Array.from({ length: q.buckets }, (_, i) => {
      const b0 = q.from + i * q.bucketMs;
      const b1 = b0 + q.bucketMs;
      const edges: [number, number][] = [];
      for (const { start, end } of list) {
        if (end < b0 || start >= b1) continue;
        edges.push([Math.max(start, b0), 1], [end, -1]);
      }
      // Ends sort before starts at the same instant: back-to-back invocations are not concurrent.
      edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      let running = 0;
      let max = 0;
      for (const [, delta] of edges) {
        running += delta;
        max = Math.max(max, running);
      }
      return max;
    });
  }

  private prune(list: Point[]): void {
    const horizon = this.now() - this.windowMs;
    while (list.length > 0 && (list[0] as Point).t < horizon) list.shift();
  }
}
