/**
 * Kafka records in the shape Lambda delivers them from an Amazon MSK event source mapping: records
 * grouped under "<topic>-<partition>" in offset order, key and value base64 (absent when null), headers
 * as a list of one-entry objects whose value is the array of the header's bytes, signed as Java writes
 * them (header-bytes.ts).
 */
import type { KafkaMessage } from 'kafkajs';
import type { KafkaRecordRef } from '../esm/failure-record';
import { toMskHeaderBytes } from './header-bytes';

export type TimestampType = 'CREATE_TIME' | 'LOG_APPEND_TIME';

/** A consumed record, as the Kafka ESM twin keeps it between fetch and invocation. */
export interface KafkaRecord extends KafkaRecordRef {
  readonly topic: string;
  readonly partition: number;
  readonly timestampType: TimestampType;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly (readonly [string, Buffer])[];
  /** When the twin received it (for the batching window). */
  readonly arrivedAt: number;
  /** Approximate bytes this record adds to the invocation payload. */
  readonly payloadBytes: number;
}

export interface MskRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly timestampType: TimestampType;
  readonly key?: string;
  readonly value?: string;
  readonly headers: Record<string, number[]>[];
}

export interface MskEvent {
  readonly eventSource: 'aws:kafka';
  readonly eventSourceArn: string;
  readonly bootstrapServers: string;
  readonly records: Record<string, MskRecord[]>;
}

export const laneOf = (topic: string, partition: number) => `${topic}-${partition}`;

const base64Length = (bytes: number) => Math.ceil(bytes / 3) * 4;

/** kafkajs decodes batch attributes into `batchContext` (not in its public types). */
interface BatchContext {
  readonly timestampType?: number;
}

export function fromKafkajs(topic: string, partition: number, message: KafkaMessage, now = Date.now()): KafkaRecord {
  const headers: [string, Buffer][] = [];
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    // kafkajs folds repeated headers into an array; MSK lists each occurrence.
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined) headers.push([name, Buffer.isBuffer(v) ? v : Buffer.from(String(v))]);
    }
  }
  const batchContext = (message as { batchContext?: BatchContext }).batchContext;
  const key = message.key ?? null;
  const value = message.value ?? null;
  const headerBytes = headers.reduce((n, [name, v]) => n + name.length + 8 + v.length * 4, 0);
  return {
    lane: laneOf(topic, partition),
    position: BigInt(message.offset),
    topic,
    partition,
    timestampMs: Number(message.timestamp),
    timestampType: batchContext?.timestampType === 1 ? 'LOG_APPEND_TIME' : 'CREATE_TIME',
    key,
    value,
    headers,
    arrivedAt: now,
    payloadBytes: 160 + base64Length(key?.length ?? 0) + base64Length(value?.length ?? 0) + headerBytes,
  };
}

function toMskRecord(r: KafkaRecord): MskRecord {
  return {
    topic: r.topic,
    partition: r.partition,
    offset: Number(r.position),
    timestamp: r.timestampMs,
    timestampType: r.timestampType,
    ...(r.key !== null ? { key: r.key.toString('base64') } : {}),
    ...(r.value !== null ? { value: r.value.toString('base64') } : {}),
    headers: r.headers.map(([name, v]) => ({ [name]: toMskHeaderBytes(v) })),
  };
}

export function mskEvent(
  records: readonly KafkaRecord[],
  source: { eventSourceArn: string; bootstrapServers: string },
): MskEvent {
  const grouped: Record<string, MskRecord[]> = {};
  for (const r of records) {
    const list = grouped[r.lane] ?? [];
    list.push(toMskRecord(r));
    grouped[r.lane] = list;
  }
  for (const list of Object.values(grouped)) list.sort((a, b) => a.offset - b.offset);
  return {
    eventSource: 'aws:kafka',
    eventSourceArn: source.eventSourceArn,
    bootstrapServers: source.bootstrapServers,
    records: grouped,
  };
}

/** The ARN-like source of a local cluster, shaped like an MSK cluster ARN. */
export const localClusterArn = (region: string, accountId: string, clusterName = 'local') =>
  `arn:aws:kafka:${region}:${accountId}:cluster/${clusterName}/00000000-0000-0000-0000-000000000000-1`;
