import { LAMBDA_LIMITS } from '../../../lib/aws-limits';
import { batchDue, cutBatch, type Pending } from './stream-batching';
import type { StreamTwinRecord } from './stream-record';

const pending = (seq: number, kept: boolean, arrivedAt = 0, bytes = 100): Pending => ({
  twin: { lane: 'shard-1', position: BigInt(seq), sequenceNumber: String(seq) } as StreamTwinRecord,
  kept,
  arrivedAt,
  bytes,
});
const seqs = (ps: Pending[]) => ps.map((p) => Number(p.twin.position));
const limits = { batchSize: 2, windowMs: 500 };

describe('batchDue', () => {
  it('waits for batchSize kept records or the window; filtered records do not count', () => {
    const queue = [pending(1, true, 1000), pending(2, false, 1000)];
    expect(batchDue(queue, false, limits, 1100)).toBe(false);
    expect(batchDue(queue, false, limits, 1500)).toBe(true);
    expect(batchDue([...queue, pending(3, true, 1200)], false, limits, 1200)).toBe(true);
  });

  it('is due at once with a zero window, when the shard closed, or when only filtered records wait', () => {
    expect(batchDue([pending(1, true, 1000)], false, { batchSize: 100, windowMs: 0 }, 1000)).toBe(true);
    expect(batchDue([pending(1, true, 1000)], true, limits, 1000)).toBe(true);
    expect(batchDue([pending(1, false, 1000)], false, limits, 1000)).toBe(true);
  });

  it('is due when the kept records reach the 6 MB payload', () => {
    expect(
      batchDue(
        [pending(1, true, 1000, LAMBDA_LIMITS.syncPayloadBytes)],
        false,
        { batchSize: 100, windowMs: 9999 },
        1000,
      ),
    ).toBe(true);
  });
});

describe('cutBatch', () => {
  it('takes up to batchSize kept records with the filtered ones between them', () => {
    const queue = [
      pending(1, false),
      pending(2, true),
      pending(3, false),
      pending(4, true),
      pending(5, false),
      pending(6, true),
    ];
    expect(seqs(cutBatch(queue, 2))).toEqual([1, 2, 3, 4, 5]);
    expect(seqs(cutBatch(queue, 10))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('only filtered records: all of them (to checkpoint past)', () => {
    expect(seqs(cutBatch([pending(1, false), pending(2, false)], 2))).toEqual([1, 2]);
  });

  it('stops before a record that would take the payload past 6 MB', () => {
    const big = LAMBDA_LIMITS.syncPayloadBytes / 2 + 1;
    expect(seqs(cutBatch([pending(1, true, 0, big), pending(2, true, 0, big)], 10))).toEqual([1]);
  });
});
