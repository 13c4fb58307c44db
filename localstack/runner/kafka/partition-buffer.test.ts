import type { KafkaMessage } from 'kafkajs';
import { LAMBDA_LIMITS } from '../../../lib/aws-limits';
import { fromKafkajs, type KafkaRecord } from './msk-event';
import { PartitionBuffer } from './partition-buffer';

const rec = (partition: number, offset: number, arrivedAt = 0, valueBytes = 10): KafkaRecord =>
  fromKafkajs(
    'orders',
    partition,
    { offset: String(offset), timestamp: '0', key: null, value: Buffer.alloc(valueBytes), headers: {} } as KafkaMessage,
    arrivedAt,
  );
const ids = (records: KafkaRecord[]) => records.map((r) => `${r.partition}:${r.position}`);

describe('PartitionBuffer', () => {
  it('is due when batchSize records wait, else when the oldest has waited the window', () => {
    const b = new PartitionBuffer();
    expect(b.dueIn(1000, 3, 500)).toBeUndefined();
    b.add([rec(0, 0, 1000), rec(1, 0, 1100)]);
    expect(b.dueIn(1200, 3, 500)).toBe(300);
    expect(b.dueIn(1600, 3, 500)).toBe(0);
    b.add([rec(1, 1, 1300)]);
    expect(b.dueIn(1300, 3, 500)).toBe(0);
  });

  it('cuts batches across partitions, in offset order, up to batchSize', () => {
    const b = new PartitionBuffer();
    b.add([rec(0, 0, 1), rec(0, 1, 1), rec(1, 5, 2), rec(1, 6, 2), rec(2, 9, 3)]);
    expect(ids(b.take(3))).toEqual(['0:0', '0:1', '1:5']);
    // partitions 0 and 1 have a batch in flight: only partition 2 is free
    expect(ids(b.take(10))).toEqual(['2:9']);
    expect(b.take(10)).toEqual([]);
    b.release(['orders-1']);
    expect(ids(b.take(10))).toEqual(['1:6']);
  });

  it('never gives a partition with a batch in flight to another batch', () => {
    const b = new PartitionBuffer();
    b.add([rec(0, 0)]);
    expect(ids(b.take(10))).toEqual(['0:0']);
    b.add([rec(0, 1), rec(0, 2)]);
    expect(b.dueIn(10_000, 1, 0)).toBeUndefined();
    expect(b.take(10)).toEqual([]);
    b.release(['orders-0']);
    expect(ids(b.take(10))).toEqual(['0:1', '0:2']);
  });

  it('ignores records it already holds (a re-fetch after a rebalance) until the partition is dropped', () => {
    const b = new PartitionBuffer();
    expect(b.add([rec(0, 0), rec(0, 1)])).toBe(2);
    expect(b.add([rec(0, 1), rec(0, 2)])).toBe(1);
    expect(b.waiting('orders-0')).toBe(3);
    b.drop('orders-0');
    expect(b.waiting('orders-0')).toBe(0);
    expect(b.add([rec(0, 1)])).toBe(1);
  });

  it('keeps a batch under the 6 MB invocation payload', () => {
    const b = new PartitionBuffer();
    const big = 2 * 1024 * 1024; // 2 MB values, ~2.7 MB each in base64
    b.add([rec(0, 0, 0, big), rec(0, 1, 0, big), rec(0, 2, 0, big)]);
    expect(b.dueIn(0, 100, 500)).toBe(0);
    const first = b.take(100);
    expect(ids(first)).toEqual(['0:0', '0:1']);
    expect(first.reduce((n, r) => n + r.payloadBytes, 0)).toBeLessThanOrEqual(LAMBDA_LIMITS.syncPayloadBytes);
  });
});
