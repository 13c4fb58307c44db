/**
 * Kafka for the redrive: reading given offset ranges back from a topic (what an ESM failure record points
 * at) and re-publishing records with exactly their key, value and headers. Reading uses a throwaway
 * consumer group that commits nothing and is deleted afterwards; it seeks to each range's first offset.
 */
import { randomUUID } from 'node:crypto';
import type { IHeaders, Kafka, Message, Producer } from 'kafkajs';
import { fromMskHeaderBytes } from '../../runner/kafka/header-bytes';
import { CliError } from '../io';

export interface OffsetRangeRequest {
  readonly topic: string;
  readonly partition: number;
  readonly firstOffset: bigint;
  readonly lastOffset: bigint;
}

export interface FetchedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly message: Message;
}

const describeRange = (r: OffsetRangeRequest) => `${r.topic}[${r.partition}] offsets ${r.firstOffset}..${r.lastOffset}`;

/**
 * Checks the ranges are still on the topic. Records older than the topic's retention (retention.ms) are
 * deleted by Kafka: the log then starts after them and they cannot be read back from anywhere.
 */
export async function checkRanges(kafka: Kafka, ranges: readonly OffsetRangeRequest[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    for (const r of ranges) {
      if (!existing.has(r.topic)) {
        throw new CliError(`topic "${r.topic}" does not exist (any more), so ${describeRange(r)} cannot be read back`);
      }
      const offsets = await admin.fetchTopicOffsets(r.topic);
      const p = offsets.find((o) => o.partition === r.partition);
      if (!p) throw new CliError(`topic "${r.topic}" has no partition ${r.partition}`);
      const low = BigInt(p.low);
      const high = BigInt(p.high);
      if (r.firstOffset < low) {
        throw new CliError(
          `${describeRange(r)} are past the topic's retention: partition ${r.partition} now starts at offset ${low}` +
            `${r.lastOffset >= low ? ` (offsets ${r.firstOffset}..${low - 1n} are gone)` : ''}. ` +
            'Kafka has deleted them, so they cannot be redriven; the message stays in the DLQ as a record of the loss.',
        );
      }
      if (r.lastOffset >= high) {
        throw new CliError(
          `${describeRange(r)} are beyond the end of the partition (next offset ${high}): ` +
            'was the topic deleted and re-created since the failure?',
        );
      }
    }
  } finally {
    await admin.disconnect();
  }
}

export async function readRanges(
  kafka: Kafka,
  ranges: readonly OffsetRangeRequest[],
  options: { readonly timeoutMs: number; readonly onRecord?: (got: number, total: bigint) => void },
): Promise<FetchedRecord[]> {
  const wanted = new Map(ranges.map((r) => [`${r.topic}\u0000${r.partition}`, r]));
  const total = ranges.reduce((n, r) => n + (r.lastOffset - r.firstOffset + 1n), 0n);
  const done = new Set<string>();
  const got: FetchedRecord[] = [];
  const groupId = `order-cli-redrive-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
  await consumer.connect();
  try {
    for (const topic of new Set(ranges.map((r) => r.topic))) await consumer.subscribe({ topic, fromBeginning: false });
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const key = `${topic}\u0000${partition}`;
        const range = wanted.get(key);
        if (!range || done.has(key)) return;
        const offset = BigInt(message.offset);
        if (offset >= range.firstOffset && offset <= range.lastOffset) {
          got.push({ topic, partition, offset: message.offset, message: copyMessage(message) });
          options.onRecord?.(got.length, total);
        }
        if (offset >= range.lastOffset) {
          done.add(key);
          if (done.size === wanted.size) finish();
        }
      },
    });
    for (const r of ranges) consumer.seek({ topic: r.topic, partition: r.partition, offset: String(r.firstOffset) });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
    });
    const outcome = await Promise.race([finished, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      const missing = ranges.filter((r) => !done.has(`${r.topic}\u0000${r.partition}`)).map(describeRange);
      throw new CliError(
        `read ${got.length} of ${total} records within ${options.timeoutMs / 1000} s; still missing ${missing.join(', ')}`,
      );
    }
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await deleteGroup(kafka, groupId);
  }
  return got.sort(byTopicPartitionOffset);
}

/** Topic, then partition, then offset: each partition's records in order, partitions one after the other. */
export function byTopicPartitionOffset(a: FetchedRecord, b: FetchedRecord): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.partition !== b.partition) return a.partition - b.partition;
  const [x, y] = [BigInt(a.offset), BigInt(b.offset)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A consumed message as a producer message: same key, value and headers (timestamp is the broker's anew). */
function copyMessage(m: { key: Buffer | null; value: Buffer | null; headers?: IHeaders }): Message {
  return { key: m.key, value: m.value, headers: { ...(m.headers ?? {}) } };
}

export async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteGroups([groupId]);
  } catch {
    // Best effort: an empty group without offsets expires by itself.
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Header byte arrays as the MSK event carries them (`[{name: [bytes]}]`, signed or unsigned) back to
 * kafkajs headers; a repeated name keeps every occurrence, in order.
 */
export function headersFromByteArrays(entries: readonly Readonly<Record<string, readonly number[]>>[]): IHeaders {
  const headers: Record<string, Buffer[]> = {};
  for (const entry of entries) {
    for (const [name, bytes] of Object.entries(entry)) {
      const value = fromMskHeaderBytes(bytes);
      if (!value) throw new CliError(`dead letter header ${name} is not an array of bytes (-128..255)`);
      headers[name] = [...(headers[name] ?? []), value];
    }
  }
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.length === 1 ? (v[0] as Buffer) : v]));
}

/** One idempotent producer (acks=all, one request in flight, so a key's records keep their order) per session. */
export interface Republisher {
  send(topic: string, messages: readonly Message[]): Promise<void>;
  close(): Promise<void>;
}

export function republisher(kafka: Kafka): Republisher {
  let producer: Promise<Producer> | undefined;
  const connect = async () => {
    const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await p.connect();
    return p;
  };
  return {
    async send(topic, messages) {
      producer ??= connect();
      await (await producer).send({ topic, acks: -1, messages: [...messages] });
    },
    async close() {
      await producer?.then((p) => p.disconnect()).catch(() => undefined);
      producer = undefined;
    },
  };
}

/** Fails clearly when a topic is missing (the producer would otherwise retry for a long while). */
export async function requireTopics(kafka: Kafka, names: Iterable<string>): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(names)].filter((n) => !existing.has(n));
    if (missing.length > 0) {
      throw new CliError(
        `topic${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} do${missing.length > 1 ? '' : 'es'} not exist ` +
          `(known: ${
            [...existing]
              .filter((t) => !t.startsWith('__'))
              .sort()
              .join(', ') || 'none'
          })`,
      );
    }
  } finally {
    await admin.disconnect();
  }
}
