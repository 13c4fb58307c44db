import type { KafkaRecord } from '../kafka/msk-event';
import type { LambdaStreamRecord } from '../streams/stream-record';
import { apiHops, kafkaHops, reconcilerHops, streamHops } from './hops';

const W3C = '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01';
const kafkaRecord = (partition: number, offset: number, key: string | null): KafkaRecord => ({
  lane: `orders-${partition}`,
  position: BigInt(offset),
  timestampMs: 0,
  topic: 'orders',
  partition,
  timestampType: 'CREATE_TIME',
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from('{}'),
  headers: [
    ['event-type', Buffer.from('OrderCreated')],
    ['event-id', Buffer.from(`e-${offset}`)],
    ['traceparent', Buffer.from(W3C)],
  ],
  arrivedAt: 0,
  payloadBytes: 10,
});

describe('invocation hops', () => {
  it('Kafka: one hop per keyed record, failed exactly when the partial batch response names it', () => {
    const hops = kafkaHops([kafkaRecord(0, 7, 'o-1'), kafkaRecord(1, 3, 'o-2'), kafkaRecord(1, 4, null)]);
    const partial = { batchItemFailures: [{ itemIdentifier: { partition: 'orders-1', offset: 3 } }] };
    expect(hops(partial)).toEqual([
      {
        orderId: 'o-1',
        eventType: 'OrderCreated',
        eventId: 'e-7',
        topic: 'orders',
        partition: 0,
        offset: 7,
        traceId: '1-5759e988-bd862e3fe1be46a994272793',
        outcome: 'ok',
      },
      {
        orderId: 'o-2',
        eventType: 'OrderCreated',
        eventId: 'e-3',
        topic: 'orders',
        partition: 1,
        offset: 3,
        traceId: '1-5759e988-bd862e3fe1be46a994272793',
        outcome: 'failed',
      },
    ]);
    // A function error fails every record of the batch.
    expect(hops(undefined).map((h) => h.outcome)).toEqual(['failed', 'failed']);
  });

  it('stream: outbox items only, with their topic and trace, failed by sequence number', () => {
    const item = (pk: string, seq: string): LambdaStreamRecord => ({
      eventID: seq,
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn',
      dynamodb: {
        ApproximateCreationDateTime: 0,
        Keys: { pk: { S: pk }, sk: { S: `e-${seq}` } },
        NewImage: {
          type: { S: 'InventoryReserved' },
          topic: { S: 'inventory' },
          traceHeader: { S: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0' },
        },
        SequenceNumber: seq,
        SizeBytes: 1,
        StreamViewType: 'NEW_IMAGE',
      },
    });
    const hops = streamHops([item('OUTBOX#o-1', '100'), item('ORDER#o-1', '101'), item('OUTBOX#o-2', '102')]);
    expect(hops({ batchItemFailures: [{ itemIdentifier: '102' }] })).toEqual([
      {
        orderId: 'o-1',
        eventType: 'InventoryReserved',
        eventId: 'e-100',
        topic: 'inventory',
        traceId: '1-5759e988-bd862e3fe1be46a994272793',
        sequenceNumber: '100',
        outcome: 'ok',
      },
      {
        orderId: 'o-2',
        eventType: 'InventoryReserved',
        eventId: 'e-102',
        topic: 'inventory',
        traceId: '1-5759e988-bd862e3fe1be46a994272793',
        sequenceNumber: '102',
        outcome: 'failed',
      },
    ]);
  });

  it('API: the order a POST created, in the request trace; reads and refusals are no hops', () => {
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0';
    expect(apiHops({ httpMethod: 'POST' }, trace)({ statusCode: 202, body: '{"orderId":"o-9"}' })).toEqual([
      { orderId: 'o-9', eventType: 'OrderCreated', traceId: '1-5759e988-bd862e3fe1be46a994272793', outcome: 'ok' },
    ]);
    expect(apiHops({ httpMethod: 'POST' }, trace)({ statusCode: 400, body: '{"error":{}}' })).toEqual([]);
    expect(apiHops({ httpMethod: 'GET' }, trace)({ statusCode: 200, body: '{"orderId":"o-9"}' })).toEqual([]);
  });

  it('reconciler: the orders its summary re-drove and expired', () => {
    expect(reconcilerHops({ redriven: ['o-1'], expired: ['o-2'], settled: [] })).toEqual([
      { orderId: 'o-1', eventType: 'OrderRedriven', outcome: 'ok' },
      { orderId: 'o-2', eventType: 'OrderExpired', outcome: 'ok' },
    ]);
    expect(reconcilerHops(undefined)).toEqual([]);
  });
});
