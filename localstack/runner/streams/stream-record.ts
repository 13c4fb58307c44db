/**
 * DynamoDB Streams records (as the Streams API returns them) in the shape Lambda delivers them: attribute
 * values with binary as base64, ApproximateCreationDateTime in epoch seconds, eventVersion "1.1", the
 * stream ARN as eventSourceARN. DynamoDB Local reports TTL deletions as `UNKNOWN_TO_SDK_VERSION` without a
 * userIdentity; AWS sends REMOVE with the DynamoDB service principal, so that is what the function sees.
 */
import type { AttributeValue, _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import type { StreamRecordRef } from '../esm/failure-record';

type LambdaAttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { M: Record<string, LambdaAttributeValue> }
  | { L: LambdaAttributeValue[] }
  | { NULL: boolean }
  | { BOOL: boolean };

export type LambdaImage = Record<string, LambdaAttributeValue>;

export interface LambdaStreamRecord {
  readonly eventID: string;
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly eventVersion: '1.1';
  readonly eventSource: 'aws:dynamodb';
  readonly awsRegion: string;
  readonly dynamodb: {
    readonly ApproximateCreationDateTime: number;
    readonly Keys: LambdaImage;
    readonly NewImage?: LambdaImage;
    readonly OldImage?: LambdaImage;
    readonly SequenceNumber: string;
    readonly SizeBytes: number;
    readonly StreamViewType: string;
  };
  readonly eventSourceARN: string;
  readonly userIdentity?: { readonly type: string; readonly principalId: string };
}

/** What the stream twin keeps per record: the Lambda record plus its place in the shard. */
export interface StreamTwinRecord extends StreamRecordRef {
  readonly record: LambdaStreamRecord;
}

/** Who deletes expired items, as AWS reports it on TTL REMOVE records. */
export const TTL_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' } as const;

const KNOWN_EVENTS = new Set(['INSERT', 'MODIFY', 'REMOVE']);

function attribute(v: AttributeValue, path: string): LambdaAttributeValue {
  if (v.S !== undefined) return { S: v.S };
  if (v.N !== undefined) return { N: v.N };
  if (v.B !== undefined) return { B: Buffer.from(v.B).toString('base64') };
  if (v.SS !== undefined) return { SS: v.SS };
  if (v.NS !== undefined) return { NS: v.NS };
  if (v.BS !== undefined) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (v.M !== undefined) return { M: image(v.M, path) };
  if (v.L !== undefined) return { L: v.L.map((item, i) => attribute(item, `${path}[${i}]`)) };
  if (v.NULL !== undefined) return { NULL: v.NULL };
  if (v.BOOL !== undefined) return { BOOL: v.BOOL };
  throw new Error(`stream record attribute ${path} has no known type: ${JSON.stringify(v)}`);
}

function image(m: Record<string, AttributeValue>, path = ''): LambdaImage {
  const out: LambdaImage = {};
  for (const [k, v] of Object.entries(m)) out[k] = attribute(v, path ? `${path}.${k}` : k);
  return out;
}

export function toLambdaRecord(r: StreamsApiRecord, ctx: { region: string; streamArn: string }): LambdaStreamRecord {
  const d = r.dynamodb;
  if (!d?.SequenceNumber || !d.Keys) throw new Error(`stream record ${r.eventID} has no SequenceNumber or Keys`);
  const ttlDelete = !KNOWN_EVENTS.has(r.eventName ?? '');
  const created = d.ApproximateCreationDateTime;
  const identity = r.userIdentity?.PrincipalId
    ? { type: r.userIdentity.Type ?? 'Service', principalId: r.userIdentity.PrincipalId }
    : ttlDelete
      ? TTL_IDENTITY
      : undefined;
  return {
    eventID: r.eventID ?? d.SequenceNumber,
    eventName: ttlDelete ? 'REMOVE' : (r.eventName as LambdaStreamRecord['eventName']),
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    // DynamoDB Local says "ddblocal"; Lambda reports the stream's region.
    awsRegion: ctx.region,
    dynamodb: {
      ApproximateCreationDateTime: created
        ? Math.floor(new Date(created).getTime() / 1000)
        : Math.floor(Date.now() / 1000),
      Keys: image(d.Keys),
      ...(d.NewImage ? { NewImage: image(d.NewImage) } : {}),
      ...(d.OldImage ? { OldImage: image(d.OldImage) } : {}),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes ?? 0,
      StreamViewType: d.StreamViewType ?? 'NEW_IMAGE',
    },
    eventSourceARN: ctx.streamArn,
    ...(identity ? { userIdentity: identity } : {}),
  };
}

export function twinRecord(shardId: string, record: LambdaStreamRecord): StreamTwinRecord {
  return {
    lane: shardId,
    position: BigInt(record.dynamodb.SequenceNumber),
    sequenceNumber: record.dynamodb.SequenceNumber,
    approximateCreationSeconds: record.dynamodb.ApproximateCreationDateTime,
    record,
  };
}
