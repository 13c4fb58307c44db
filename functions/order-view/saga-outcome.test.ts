import { BusinessMetric } from '../shared/metric-names';
import { sagaOutcome } from './saga-outcome';

const createdAt = '2026-01-01T10:00:00.000Z';

describe('sagaOutcome', () => {
  it.each([
    ['CONFIRMED', BusinessMetric.confirmed],
    ['REJECTED', BusinessMetric.rejected],
    ['CANCELLED', BusinessMetric.cancelled],
    ['EXPIRED', BusinessMetric.expired],
  ] as const)('counts an order becoming %s with its duration since creation', (to, metric) => {
    expect(sagaOutcome({ from: 'RESERVED', to, createdAt, endedAt: '2026-01-01T10:00:02.500Z' })).toEqual({
      metric,
      durationMs: 2500,
    });
  });

  it('ignores transitions that do not end the saga, and a final order changing again', () => {
    expect(sagaOutcome({ from: 'PENDING', to: 'RESERVED', createdAt, endedAt: createdAt })).toBeUndefined();
    expect(sagaOutcome({ from: 'RESERVED', to: 'CANCELLING', createdAt, endedAt: createdAt })).toBeUndefined();
    expect(sagaOutcome({ from: 'EXPIRED', to: 'CANCELLED', createdAt, endedAt: createdAt })).toBeUndefined();
  });

  it('counts the outcome but no duration when the creation time is missing or after the end', () => {
    expect(sagaOutcome({ from: 'PENDING', to: 'REJECTED', createdAt: undefined, endedAt: createdAt })).toEqual({
      metric: BusinessMetric.rejected,
      durationMs: undefined,
    });
    expect(
      sagaOutcome({ from: 'PENDING', to: 'REJECTED', createdAt: '2026-01-01T11:00:00Z', endedAt: createdAt }),
    ).toEqual({ metric: BusinessMetric.rejected, durationMs: undefined });
  });
});
