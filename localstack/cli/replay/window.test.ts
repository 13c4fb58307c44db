import type { Admin } from 'kafkajs';
import { UsageError } from '../io';
import { parseStart, pendingPartitions, planWindow, recordsIn } from './window';

/** An admin over a fixed topic: partition → offsets and the time of each record. */
function fakeAdmin(partitions: Record<number, { low: number; times: number[] }>): Admin {
  const byTime = (ms: number) =>
    Object.entries(partitions).map(([p, { low, times }]) => {
      const i = times.findIndex((t) => t >= ms);
      return { partition: Number(p), offset: String(i < 0 ? low + times.length : low + i) };
    });
  return {
    fetchTopicOffsets: async () =>
      Object.entries(partitions).map(([p, { low, times }]) => ({
        partition: Number(p),
        offset: String(low + times.length),
        high: String(low + times.length),
        low: String(low),
      })),
    fetchTopicOffsetsByTimestamp: async (_t: string, ms: number) => byTime(ms),
  } as unknown as Admin;
}

describe('replay window', () => {
  const admin = fakeAdmin({
    0: { low: 0, times: [100, 200, 300] },
    1: { low: 5, times: [150] },
    2: { low: 0, times: [] },
  });

  it('parses --from as an ISO time with a zone or an offset', () => {
    expect(parseStart('2026-01-01T12:00:00Z')).toEqual({ kind: 'time', ms: Date.parse('2026-01-01T12:00:00Z') });
    expect(parseStart('42')).toEqual({ kind: 'offset', offset: 42n });
    expect(() => parseStart('yesterday')).toThrow(UsageError);
    expect(() => parseStart('2026-01-01T12:00:00')).toThrow(/with a zone/);
  });

  it('from a time: each partition from its first record at or after it, to the log end', async () => {
    const w = await planWindow(admin, 't', { kind: 'time', ms: 150 }, undefined);
    expect(w).toEqual([
      { partition: 0, from: 1n, to: 3n },
      { partition: 1, from: 5n, to: 6n },
      { partition: 2, from: 0n, to: 0n },
    ]);
    expect(recordsIn(w)).toBe(3n);
  });

  it('--to ends each partition before its first record at or after that time', async () => {
    const w = await planWindow(admin, 't', { kind: 'time', ms: 150 }, 250);
    expect(w.map((p) => [p.from, p.to])).toEqual([
      [1n, 2n],
      [5n, 6n],
      [0n, 0n],
    ]);
  });

  it("from an offset: never before a partition's first retained record", async () => {
    const w = await planWindow(admin, 't', { kind: 'offset', offset: 2n }, undefined);
    expect(w.map((p) => [p.from, p.to])).toEqual([
      [2n, 3n],
      [5n, 6n],
      [0n, 0n],
    ]);
  });

  it('is done when every non-empty partition is committed up to its end', async () => {
    const w = await planWindow(admin, 't', { kind: 'time', ms: 0 }, undefined);
    expect(pendingPartitions(w, new Map())).toEqual([0, 1]);
    expect(
      pendingPartitions(
        w,
        new Map([
          [0, 3n],
          [1, 5n],
        ]),
      ),
    ).toEqual([1]);
    expect(
      pendingPartitions(
        w,
        new Map([
          [0, 3n],
          [1, 6n],
        ]),
      ),
    ).toEqual([]);
  });
});
