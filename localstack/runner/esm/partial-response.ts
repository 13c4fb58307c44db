/**
 * Reads a function's partial batch response the way Lambda does for stream and Kafka sources:
 * no response / null / empty `batchItemFailures` = complete success; a malformed entry, an empty or
 * null `itemIdentifier`, or one naming a record outside the batch = complete failure; otherwise each
 * reported lane resumes from its lowest reported position (records before it count as processed).
 */
import type { EsmRecord } from './types';

export type PartialVerdict =
  | { readonly kind: 'success' }
  | { readonly kind: 'partial'; readonly resumeFrom: ReadonlyMap<string, bigint> }
  | { readonly kind: 'invalid'; readonly reason: string };

/** Turns one `itemIdentifier` into a lane and position, or says why it cannot be one. */
export type Identify = (itemIdentifier: unknown) => EsmRecord | { readonly error: string };

export function judgeResponse(payload: unknown, batch: readonly EsmRecord[], identify: Identify): PartialVerdict {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return { kind: 'success' };
  const failures = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'invalid', reason: 'batchItemFailures is not an array' };
  if (failures.length === 0) return { kind: 'success' };

  const inBatch = new Set(batch.map(key));
  const resumeFrom = new Map<string, bigint>();
  for (const [i, failure] of failures.entries()) {
    if (failure === null || typeof failure !== 'object') {
      return { kind: 'invalid', reason: `batchItemFailures[${i}] is not an object` };
    }
    const raw = (failure as { itemIdentifier?: unknown }).itemIdentifier;
    if (raw === undefined || raw === null || raw === '') {
      return { kind: 'invalid', reason: `batchItemFailures[${i}].itemIdentifier is empty` };
    }
    const id = identify(raw);
    if ('error' in id) return { kind: 'invalid', reason: `batchItemFailures[${i}].itemIdentifier ${id.error}` };
    if (!inBatch.has(key(id))) {
      return {
        kind: 'invalid',
        reason: `batchItemFailures[${i}].itemIdentifier ${JSON.stringify(raw)} is not in the batch`,
      };
    }
    const seen = resumeFrom.get(id.lane);
    if (seen === undefined || id.position < seen) resumeFrom.set(id.lane, id.position);
  }
  return { kind: 'partial', resumeFrom };
}

const key = (r: EsmRecord) => `${r.lane}\u0000${r.position}`;

const DIGITS = /^\d+$/;

/** Kafka: `{ partition: "<topic>-<partition>", offset: <number | numeric string> }`. */
export const identifyKafkaItem: Identify = (raw) => {
  if (typeof raw !== 'object' || raw === null) return { error: 'is not an object {partition, offset}' };
  const { partition, offset } = raw as { partition?: unknown; offset?: unknown };
  if (typeof partition !== 'string' || !/^.+-\d+$/.test(partition)) {
    return { error: 'has no "partition" of the form "<topic>-<partition>"' };
  }
  const text = typeof offset === 'number' && Number.isSafeInteger(offset) ? String(offset) : offset;
  if (typeof text !== 'string' || !DIGITS.test(text)) return { error: 'has no integer "offset"' };
  return { lane: partition, position: BigInt(text) };
};

/** DynamoDB Streams: the record's `dynamodb.SequenceNumber` string; the lane is the batch's shard. */
export const identifyStreamItem =
  (shardId: string): Identify =>
  (raw) => {
    if (typeof raw !== 'string' || !DIGITS.test(raw)) return { error: 'is not a sequence number' };
    return { lane: shardId, position: BigInt(raw) };
  };
