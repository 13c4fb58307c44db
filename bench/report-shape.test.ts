import * as shapes from './report-shape';

const shape: shapes.Shape = {
  rate: shapes.positive,
  latencyMs: { p50: shapes.finite },
  cpu: { kafka: shapes.finiteOrNull },
  byFunction: shapes.entries({ perOrder: shapes.finite }),
  top: shapes.list({ group: shapes.text }),
  identical: shapes.equals(true),
};
const good = {
  rate: 2,
  latencyMs: { p50: 812 },
  cpu: { kafka: null },
  byFunction: { inventory: { perOrder: 1.5 } },
  top: [{ group: 'tsx' }],
  identical: true,
  extra: 'not in the shape: allowed',
};

describe('report shapes (the smoke check of benchmark reports)', () => {
  it('accepts a report with every figure present and finite', () => {
    expect(shapes.check(shape, good)).toEqual([]);
  });

  it('names the path of every figure missing, not finite, or of the wrong kind', () => {
    const bad = {
      ...good,
      rate: 0,
      latencyMs: { p50: Number.NaN },
      byFunction: {},
      top: [{ group: 7 }],
      identical: false,
    };
    expect(shapes.check(shape, bad)).toEqual([
      'rate: 0 is not a finite number > 0',
      'latencyMs.p50: null is not a finite number',
      'byFunction: {} is not an object of at least 1 entries',
      'top[0].group: 7 is not a string',
      'identical: false is not true',
    ]);
    expect(shapes.check(shape, { ...good, latencyMs: undefined })).toEqual(['latencyMs: undefined is not an object']);
  });

  it('refuses a timestamp from before the run', () => {
    const since = Date.parse('2026-12-04T00:00:00Z');
    expect(shapes.timeNotBefore(since)('2026-12-04T00:00:01Z', 'measuredAt')).toEqual([]);
    expect(shapes.timeNotBefore(since)('2026-12-03T23:59:59Z', 'measuredAt')).toHaveLength(1);
  });
});
