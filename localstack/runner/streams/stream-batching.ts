/**
 * When a DynamoDB Streams mapping cuts a batch from what it has read of a shard, and which records go in
 * it. Records the filter criteria drop stay in the queue (so the checkpoint can pass them) but never
 * count towards a batch and are never delivered.
 */
import { LAMBDA_LIMITS } from '../../../lib/aws-limits';
import type { StreamTwinRecord } from './stream-record';

export interface Pending {
  readonly twin: StreamTwinRecord;
  /** Passed the mapping's filter criteria. */
  readonly kept: boolean;
  readonly arrivedAt: number;
  /** Size of the record in the invocation payload. */
  readonly bytes: number;
}

/**
 * Due when batchSize kept records wait, their payload reached 6 MB, the oldest waited the batching
 * window, the shard is closed (flush the rest), or only filtered records wait (checkpoint past them).
 */
export function batchDue(
  queue: readonly Pending[],
  closed: boolean,
  limits: { readonly batchSize: number; readonly windowMs: number },
  now: number,
): boolean {
  const kept = queue.filter((p) => p.kept);
  if (kept.length === 0 || closed || kept.length >= limits.batchSize) return true;
  const bytes = kept.reduce((n, p) => n + p.bytes, 0);
  return bytes >= LAMBDA_LIMITS.syncPayloadBytes || now - (kept[0] as Pending).arrivedAt >= limits.windowMs;
}

/** The head of the queue up to the batch's last kept record; filtered records in between ride along. */
export function cutBatch(queue: readonly Pending[], batchSize: number): Pending[] {
  let kept = 0;
  let bytes = 0;
  let end = 0;
  for (; end < queue.length; end++) {
    const p = queue[end] as Pending;
    if (p.kept) {
      if (kept === batchSize || (kept > 0 && bytes + p.bytes > LAMBDA_LIMITS.syncPayloadBytes)) break;
      kept++;
      bytes += p.bytes;
    }
  }
  return queue.slice(0, end);
}
