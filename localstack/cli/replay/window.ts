/**
 * The window of a replay: where each partition starts (a time, as AT_TIMESTAMP does, or an offset) and
 * where it ends (the first offset at or after --to, or the log end when the replay began), and when a
 * replay group has got through it. Pure apart from the Kafka admin calls it is given.
 */
import type { Admin } from 'kafkajs';
import { UsageError } from '../io';

export type ReplayStart =
  | { readonly kind: 'time'; readonly ms: number }
  | { readonly kind: 'offset'; readonly offset: bigint };

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseTime(raw: string, option: string): number {
  const ms = ISO_TIME.test(raw) ? Date.parse(raw) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new UsageError(`${option} must be an ISO-8601 time with a zone, e.g. 2026-01-01T12:00:00Z, got "${raw}"`);
  }
  return ms;
}

/** `--from`: an ISO time, or an offset (every partition from that offset, or from its first retained record). */
export function parseStart(raw: string): ReplayStart {
  if (/^\d+$/.test(raw)) return { kind: 'offset', offset: BigInt(raw) };
  return { kind: 'time', ms: parseTime(raw, '--from') };
}

export interface PartitionWindow {
  readonly partition: number;
  /** First offset replayed. */
  readonly from: bigint;
  /** First offset not replayed (exclusive end). */
  readonly to: bigint;
}

const big = (s: string) => BigInt(s);

/** Per partition: [from, to). `toMs` undefined = up to the log end as it is now. */
export async function planWindow(
  admin: Admin,
  topic: string,
  start: ReplayStart,
  toMs: number | undefined,
): Promise<PartitionWindow[]> {
  const bounds = await admin.fetchTopicOffsets(topic); // [{partition, low, high}]
  const byTime = async (ms: number) =>
    new Map((await admin.fetchTopicOffsetsByTimestamp(topic, ms)).map((p) => [p.partition, big(p.offset)]));
  const starts = start.kind === 'time' ? await byTime(start.ms) : undefined;
  const ends = toMs === undefined ? undefined : await byTime(toMs);
  return bounds
    .map((b) => {
      const low = big(b.low);
      const high = big(b.high);
      const from = starts
        ? (starts.get(b.partition) ?? high)
        : maxOf(low, start.kind === 'offset' ? start.offset : low);
      const to = minOf(high, ends?.get(b.partition) ?? high);
      return { partition: b.partition, from: minOf(from, to), to };
    })
    .sort((a, b) => a.partition - b.partition);
}

const maxOf = (a: bigint, b: bigint) => (a > b ? a : b);
const minOf = (a: bigint, b: bigint) => (a < b ? a : b);

export const recordsIn = (window: readonly PartitionWindow[]): bigint =>
  window.reduce((n, w) => n + (w.to - w.from), 0n);

/** Partitions whose committed offset (next to read) has not reached the window's end yet. */
export function pendingPartitions(
  window: readonly PartitionWindow[],
  committed: ReadonlyMap<number, bigint>,
): number[] {
  return window.filter((w) => w.to > w.from && (committed.get(w.partition) ?? -1n) < w.to).map((w) => w.partition);
}

/** A group's committed offsets on a topic (-1 = none). */
export async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Map<number, bigint>> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map((offsets?.partitions ?? []).map((p) => [p.partition, big(p.offset)]));
}

export function describeWindow(window: readonly PartitionWindow[]): string {
  return window
    .map((w) => (w.to > w.from ? `p${w.partition} ${w.from}..${w.to - 1n}` : `p${w.partition} -`))
    .join(', ');
}
