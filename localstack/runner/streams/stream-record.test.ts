import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { TTL_IDENTITY, toLambdaRecord } from './stream-record';

const ctx = {
  region: 'us-east-1',
  streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T00:00:00.000',
};
const created = new Date('2026-01-01T00:00:05.000Z');

const apiRecord = (over: Partial<_Record> = {}): _Record => ({
  eventID: 'e-1',
  eventName: 'INSERT',
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'us-east-1',
  dynamodb: {
    ApproximateCreationDateTime: created,
    Keys: { pk: { S: 'OUTBOX#o-1' }, sk: { S: 'evt-1' } },
    NewImage: {
      pk: { S: 'OUTBOX#o-1' },
      sk: { S: 'evt-1' },
      version: { N: '1' },
      blob: { B: new Uint8Array([1, 2, 255]) },
      nested: { M: { list: { L: [{ BS: [new Uint8Array([0])] }, { NULL: true }, { BOOL: false }] } } },
      tags: { SS: ['a'] },
    },
    SequenceNumber: '400000000000000000001',
    SizeBytes: 99,
    StreamViewType: 'NEW_IMAGE',
  },
  ...over,
});

describe('toLambdaRecord', () => {
  it('produces the Lambda DynamoDB Streams record, field by field', () => {
    const r = toLambdaRecord(apiRecord(), ctx);
    expect(Object.keys(r)).toEqual([
      'eventID',
      'eventName',
      'eventVersion',
      'eventSource',
      'awsRegion',
      'dynamodb',
      'eventSourceARN',
    ]);
    expect(r).toEqual({
      eventID: 'e-1',
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: created.getTime() / 1000,
        Keys: { pk: { S: 'OUTBOX#o-1' }, sk: { S: 'evt-1' } },
        NewImage: {
          pk: { S: 'OUTBOX#o-1' },
          sk: { S: 'evt-1' },
          version: { N: '1' },
          blob: { B: Buffer.from([1, 2, 255]).toString('base64') },
          nested: { M: { list: { L: [{ BS: ['AA=='] }, { NULL: true }, { BOOL: false }] } } },
          tags: { SS: ['a'] },
        },
        SequenceNumber: '400000000000000000001',
        SizeBytes: 99,
        StreamViewType: 'NEW_IMAGE',
      },
      eventSourceARN: ctx.streamArn,
    });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r); // plain JSON, as Lambda delivers it
  });

  it('normalises a DynamoDB Local TTL deletion to what AWS sends: REMOVE by the service principal', () => {
    const ttl = toLambdaRecord(
      apiRecord({
        eventName: 'UNKNOWN_TO_SDK_VERSION' as _Record['eventName'],
        dynamodb: {
          ...apiRecord().dynamodb,
          NewImage: undefined,
          OldImage: { pk: { S: 'OUTBOX#o-1' } },
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      }),
      ctx,
    );
    expect(ttl.eventName).toBe('REMOVE');
    expect(ttl.userIdentity).toEqual(TTL_IDENTITY);
    expect(ttl.dynamodb.OldImage).toEqual({ pk: { S: 'OUTBOX#o-1' } });
    expect('NewImage' in ttl.dynamodb).toBe(false);
  });

  it('keeps a userIdentity the stream reports and adds none to ordinary removes', () => {
    expect(toLambdaRecord(apiRecord({ eventName: 'REMOVE' }), ctx).userIdentity).toBeUndefined();
    const aws = toLambdaRecord(
      apiRecord({ eventName: 'REMOVE', userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' } }),
      ctx,
    );
    expect(aws.userIdentity).toEqual(TTL_IDENTITY);
  });

  it('fails clearly on a record without a sequence number', () => {
    expect(() => toLambdaRecord(apiRecord({ dynamodb: { Keys: {} } }), ctx)).toThrow(/SequenceNumber/);
  });
});
