import type { KafkaMessage } from 'kafkajs';
import { documentedMskEvent, shapeOf } from '../esm/documented-shapes';
import { fromMskHeaderBytes, toMskHeaderBytes } from './header-bytes';
import { fromKafkajs, localClusterArn, mskEvent } from './msk-event';

const message = (offset: string, over: Partial<KafkaMessage> = {}): KafkaMessage =>
  ({
    offset,
    timestamp: '1767225600123',
    key: Buffer.from('order-1'),
    value: Buffer.from('{"type":"OrderCreated"}'),
    headers: { 'event-type': Buffer.from('OrderCreated') },
    attributes: 0,
    ...over,
  }) as KafkaMessage;

const source = { eventSourceArn: localClusterArn('us-east-1', '000000000000'), bootstrapServers: 'b-1:9092,b-2:9092' };

describe('mskEvent', () => {
  it('builds the documented MSK event: source, ARN, servers string, records keyed <topic>-<partition>', () => {
    const event = mskEvent(
      [
        fromKafkajs('orders', 0, message('15')),
        fromKafkajs('orders', 0, message('16')),
        fromKafkajs('orders', 3, message('2')),
      ],
      source,
    );
    expect(Object.keys(event)).toEqual(['eventSource', 'eventSourceArn', 'bootstrapServers', 'records']);
    expect(event.eventSource).toBe('aws:kafka');
    expect(event.eventSourceArn).toMatch(/^arn:aws:kafka:us-east-1:000000000000:cluster\/[^/]+\/[0-9a-f-]+$/);
    expect(event.bootstrapServers).toBe('b-1:9092,b-2:9092');
    expect(Object.keys(event.records)).toEqual(['orders-0', 'orders-3']);
    expect(event.records['orders-0']?.map((r) => r.offset)).toEqual([15, 16]);
    expect(event.records['orders-0']?.[0]).toEqual({
      topic: 'orders',
      partition: 0,
      offset: 15,
      timestamp: 1767225600123,
      timestampType: 'CREATE_TIME',
      key: Buffer.from('order-1').toString('base64'),
      value: Buffer.from('{"type":"OrderCreated"}').toString('base64'),
      headers: [{ 'event-type': [...Buffer.from('OrderCreated')] }],
    });
  });

  it('leaves key and value out when they are null (tombstones, keyless records)', () => {
    const record = mskEvent([fromKafkajs('orders', 1, message('7', { key: null, value: null, headers: {} }))], source)
      .records['orders-1']?.[0];
    expect(record).toBeDefined();
    expect(record && 'key' in record).toBe(false);
    expect(record && 'value' in record).toBe(false);
    expect(record?.headers).toEqual([]);
  });

  it('lists each occurrence of a repeated header, with its bytes', () => {
    const record = fromKafkajs(
      'orders',
      0,
      message('1', { headers: { trace: [Buffer.from('a'), Buffer.from('bc')], 'event-id': 'e1' } }),
    );
    expect(mskEvent([record], source).records['orders-0']?.[0]?.headers).toEqual([
      { trace: [97] },
      { trace: [98, 99] },
      { 'event-id': [101, 49] },
    ]);
  });

  it('reads LOG_APPEND_TIME from the record batch attributes', () => {
    const logAppend = { ...message('1'), batchContext: { timestampType: 1 } } as unknown as KafkaMessage;
    expect(fromKafkajs('orders', 0, logAppend).timestampType).toBe('LOG_APPEND_TIME');
  });

  it('orders records of a partition by offset', () => {
    const event = mskEvent([fromKafkajs('orders', 0, message('9')), fromKafkajs('orders', 0, message('3'))], source);
    expect(event.records['orders-0']?.map((r) => r.offset)).toEqual([3, 9]);
  });

  it('sends header values as signed bytes, as Java writes them: "ë" is [-61, -85], 0x80..0xff are negative', () => {
    const binary = Buffer.from([0x00, 0x7f, 0x80, 0xc3, 0xff]);
    const record = fromKafkajs('orders', 0, message('1', { headers: { note: Buffer.from('crème ë'), bin: binary } }));
    const headers = mskEvent([record], source).records['orders-0']?.[0]?.headers;
    expect(headers?.[0]).toEqual({ note: [99, 114, -61, -88, 109, 101, 32, -61, -85] });
    expect(headers?.[1]).toEqual({ bin: [0, 127, -128, -61, -1] });
    // And back, whichever sign a writer used.
    expect(fromMskHeaderBytes(headers?.[1]?.bin ?? [])).toEqual(binary);
    expect(fromMskHeaderBytes([...binary])).toEqual(binary);
    expect(fromMskHeaderBytes([256])).toBeUndefined();
    expect(fromMskHeaderBytes([-129])).toBeUndefined();
    expect(fromMskHeaderBytes([1.5])).toBeUndefined();
  });
});

describe('the twin against the MSK event AWS documents (Lambda guide, with-msk "Example event")', () => {
  const [doc] = documentedMskEvent.records['mytopic-0'];
  // The documented record, received by the twin from Kafka: same coordinates, bytes and header.
  const received = fromKafkajs(
    'mytopic',
    0,
    message(String(doc.offset), {
      timestamp: String(doc.timestamp),
      key: Buffer.from(doc.key, 'base64'),
      value: Buffer.from(doc.value, 'base64'),
      headers: { headerKey: Buffer.from('headerValue') },
    }),
  );
  const event = mskEvent([received], {
    eventSourceArn: documentedMskEvent.eventSourceArn,
    bootstrapServers: documentedMskEvent.bootstrapServers,
  });

  it('has exactly the documented fields, types and values', () => {
    expect(shapeOf(event, '', ['records'])).toEqual(shapeOf(documentedMskEvent, '', ['records']));
    const twin = event.records['mytopic-0']?.[0];
    // The example's key is not canonical base64 (its last digit carries stray bits): compare the bytes it stands for.
    expect(Buffer.from(twin?.key ?? '', 'base64')).toEqual(Buffer.from(doc.key, 'base64'));
    expect({ ...event, records: { 'mytopic-0': [{ ...twin, key: doc.key }] } }).toEqual(documentedMskEvent);
  });

  it('encodes the documented header as the documented bytes, and signed bytes only above 0x7f', () => {
    expect(toMskHeaderBytes(Buffer.from('headerValue'))).toEqual(doc.headers[0].headerKey);
    expect(toMskHeaderBytes(Buffer.from('ë'))).toEqual([-61, -85]);
  });
});
