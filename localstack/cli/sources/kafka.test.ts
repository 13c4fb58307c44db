/** Reading records back from Kafka for the CLI (this folder: where the CLI reads records from, Kafka and DynamoDB Streams): offset ranges and header decoding. */
import { byTopicPartitionOffset, type FetchedRecord, headersFromByteArrays } from './kafka';

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

describe('headersFromByteArrays', () => {
  it('turns signed (as AWS writes them) and unsigned header bytes into the same kafkajs headers', () => {
    const binary = Buffer.from([0x00, 0x80, 0xc3, 0xff]);
    expect(
      headersFromByteArrays([
        { note: [-61, -85] },
        { bin: [0, -128, -61, -1] },
        { bin: [0x00, 0x80, 0xc3, 0xff] },
        { ascii: [104, 105] },
      ]),
    ).toEqual({ note: Buffer.from('ë'), bin: [binary, binary], ascii: Buffer.from('hi') });
  });

  it('refuses a value that is not bytes, naming the header', () => {
    expect(() => headersFromByteArrays([{ trace: [300] }])).toThrow(
      'dead letter header trace is not an array of bytes',
    );
  });
});
