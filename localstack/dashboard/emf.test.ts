import { parseEmfLine } from './emf';

describe('parseEmfLine', () => {
  it('reads every metric of a Powertools EMF line with its dimensions and values', () => {
    const line = JSON.stringify({
      _aws: {
        Timestamp: 1700000000000,
        CloudWatchMetrics: [
          {
            Namespace: 'OrderSaga',
            Dimensions: [['service']],
            Metrics: [
              { Name: 'RecordsDeadLettered', Unit: 'Count' },
              { Name: 'SagaDuration', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      service: 'order-view',
      RecordsDeadLettered: 2,
      SagaDuration: [120, 340],
    });
    expect(parseEmfLine(line)).toEqual([
      {
        namespace: 'OrderSaga',
        name: 'RecordsDeadLettered',
        dimensions: { service: 'order-view' },
        values: [2],
        timestamp: 1700000000000,
      },
      {
        namespace: 'OrderSaga',
        name: 'SagaDuration',
        dimensions: { service: 'order-view' },
        values: [120, 340],
        timestamp: 1700000000000,
      },
    ]);
  });

  it('ignores log lines, text and malformed EMF', () => {
    expect(parseEmfLine('{"level":"INFO","message":"batch done"}')).toEqual([]);
    expect(parseEmfLine('inventory ← kafka inventory.orders · 3 records')).toEqual([]);
    expect(parseEmfLine('{"_aws": {"Timestamp": "yesterday"}}')).toEqual([]);
    expect(parseEmfLine('{"_aws": ')).toEqual([]);
  });
});
