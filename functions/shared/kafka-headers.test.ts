/**
 * The consumers read Kafka headers through Powertools' kafkaConsumer (kafka-consumer.ts): it must decode
 * the signed bytes AWS sends ("ë" is [-61, -85]) and the unsigned ones a hand-made event may carry to the
 * same text, and keep the original arrays untouched for the dead letter (which redrive re-publishes).
 */
import { kafkaConsumer } from '@aws-lambda-powertools/kafka';
import type { ConsumerRecord } from '@aws-lambda-powertools/kafka/types';
import { lambdaContext, mskEvent } from '../../test/support/aws-events';

type Seen = Pick<ConsumerRecord<unknown, unknown>, 'headers' | 'originalHeaders'>;

const decodeHeaders = kafkaConsumer<unknown, unknown>(
  async (event) => event.records.map((r): Seen => ({ headers: r.headers, originalHeaders: r.originalHeaders })),
  { value: { type: 'json' } },
);

describe('Kafka header decoding in the functions (Powertools kafkaConsumer)', () => {
  it('decodes signed header bytes as UTF-8 text and keeps the original signed arrays', async () => {
    const event = mskEvent([
      { topic: 'orders', key: 'o-1', value: { a: 1 }, headers: { 'correlation-id': 'crème-ë', 'event-type': 'A' } },
    ]);
    const [record] = Object.values(event.records).flat();
    expect(record?.headers?.[0]).toEqual({ 'correlation-id': [99, 114, -61, -88, 109, 101, 45, -61, -85] });
    const [seen] = (await decodeHeaders(event, lambdaContext('inventory'))) as Seen[];
    expect(seen?.headers).toEqual([{ 'correlation-id': 'crème-ë' }, { 'event-type': 'A' }]);
    expect(seen?.originalHeaders).toEqual(record?.headers);
  });

  it('decodes unsigned bytes of the same text to the same string', async () => {
    const event = mskEvent([{ topic: 'orders', key: 'o-1', value: { a: 1 } }]);
    const [record] = Object.values(event.records).flat();
    if (!record) throw new Error('no record built');
    record.headers = [{ 'correlation-id': [...Buffer.from('crème-ë')] }];
    const [seen] = (await decodeHeaders(event, lambdaContext('inventory'))) as Seen[];
    expect(seen?.headers).toEqual([{ 'correlation-id': 'crème-ë' }]);
  });
});
