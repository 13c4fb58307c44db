import { byTopicPartitionOffset, type FetchedRecord } from './kafka';

const rec = (topic: string, partition: number, offset: string): FetchedRecord => ({
  topic,
  partition,
  offset,
  message: { key: null, value: null },
});

describe('byTopicPartitionOffset', () => {
  it('orders records read back by topic, then partition, then offset (numerically)', () => {
    const got = [
      rec('payments', 1, '10'),
      rec('orders', 1, '2'),
      rec('orders', 0, '10'),
      rec('payments', 0, '3'),
      rec('orders', 0, '9'),
      rec('orders', 1, '1'),
    ];
    expect(got.sort(byTopicPartitionOffset).map((r) => `${r.topic}[${r.partition}]@${r.offset}`)).toEqual([
      'orders[0]@9',
      'orders[0]@10',
      'orders[1]@1',
      'orders[1]@2',
      'payments[0]@3',
      'payments[1]@10',
    ]);
  });
});
