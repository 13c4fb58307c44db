/**
 * Records fetched but not yet finished, per partition, and the batching rules of the MSK event source
 * mapping: a batch is cut when `batchSize` records (or the 6 MB invocation payload) are waiting, or when
 * the oldest waiting record has waited `maxBatchingWindow`. A partition with a batch in flight gives no
 * records to another batch: at most one in-flight batch per partition, so its records stay in order.
 */
import { LAMBDA_LIMITS } from '../../../lib/aws-limits';
import type { KafkaRecord } from './msk-event';

export class PartitionBuffer {
  private readonly queues = new Map<string, KafkaRecord[]>();
  /** Next offset expected per partition: anything lower was already buffered (a re-fetch after rebalance). */
  private readonly next = new Map<string, bigint>();
  private readonly busy = new Set<string>();

  /** Adds fetched records; returns how many were new. */
  add(records: readonly KafkaRecord[]): number {
    let added = 0;
    for (const r of records) {
      const expected = this.next.get(r.lane);
      if (expected !== undefined && r.position < expected) continue;
      const queue = this.queues.get(r.lane) ?? [];
      queue.push(r);
      this.queues.set(r.lane, queue);
      this.next.set(r.lane, r.position + 1n);
      added++;
    }
    return added;
  }

  waiting(lane: string): number {
    return this.queues.get(lane)?.length ?? 0;
  }

  /** Partitions with waiting records and no batch in flight, oldest head first. */
  private freeLanes(): string[] {
    return [...this.queues.entries()]
      .filter(([lane, q]) => q.length > 0 && !this.busy.has(lane))
      .sort(([, a], [, b]) => (a[0]?.arrivedAt ?? 0) - (b[0]?.arrivedAt ?? 0))
      .map(([lane]) => lane);
  }

  /**
   * When the next batch is due: 0 = now, n = in n ms, undefined = nothing is waiting on a free partition.
   */
  dueIn(now: number, batchSize: number, windowMs: number): number | undefined {
    const lanes = this.freeLanes();
    if (lanes.length === 0) return undefined;
    let count = 0;
    let bytes = 0;
    for (const lane of lanes) {
      for (const r of this.queues.get(lane) ?? []) {
        count++;
        bytes += r.payloadBytes;
        if (count >= batchSize || bytes >= LAMBDA_LIMITS.syncPayloadBytes) return 0;
      }
    }
    const oldest = this.queues.get(lanes[0] as string)?.[0]?.arrivedAt ?? now;
    return Math.max(0, oldest + windowMs - now);
  }

  /** Cuts the next batch from free partitions (whole partition prefixes, in offset order) and marks them busy. */
  take(batchSize: number, maxBytes = LAMBDA_LIMITS.syncPayloadBytes): KafkaRecord[] {
    const batch: KafkaRecord[] = [];
    let bytes = 0;
    for (const lane of this.freeLanes()) {
      const queue = this.queues.get(lane) ?? [];
      let taken = 0;
      while (taken < queue.length && batch.length < batchSize) {
        const r = queue[taken] as KafkaRecord;
        if (batch.length > 0 && bytes + r.payloadBytes > maxBytes) break;
        batch.push(r);
        bytes += r.payloadBytes;
        taken++;
      }
      if (taken > 0) {
        queue.splice(0, taken);
        this.busy.add(lane);
      }
      const full = queue.length > 0; // this partition still has records: the batch is at its size limit
      if (full) break;
    }
    return batch;
  }

  /** The partitions' batch is finished: they may give records to the next batch. */
  release(lanes: Iterable<string>): void {
    for (const lane of lanes) this.busy.delete(lane);
  }

  /** Forgets a partition (revoked, or rewound to re-fetch from its committed offset). */
  drop(lane: string): void {
    this.queues.delete(lane);
    this.next.delete(lane);
  }

  lanes(): string[] {
    return [...new Set([...this.queues.keys(), ...this.busy])];
  }
}
