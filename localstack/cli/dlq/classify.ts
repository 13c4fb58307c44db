/**
 * What a DLQ message is. One DLQ per function receives three kinds of messages (docs/design.md "Failures"):
 * - a processor dead letter: a record the function could never process, with its reason and the original
 *   record (functions/shared/dead-letter.ts; Kafka consumers and the relay each send their own `source`);
 * - a Kafka ESM failure record: retries exhausted, KafkaBatchInfo with offset ranges, no records;
 * - a DynamoDB Streams ESM failure record: DDBStreamBatchInfo with a sequence-number range, no records.
 * Anything else is `unknown` with the reason it was not recognised (it is listed, never redriven).
 */
import { isMskHeaderByte } from '../../runner/kafka/header-bytes';

/**
 * A Kafka record as the MSK event carried it: base64 key/value, headers as byte arrays (signed as AWS
 * writes them, or unsigned: both are accepted, localstack/runner/kafka/header-bytes.ts).
 */
export interface KafkaRecordCopy {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp?: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: readonly Readonly<Record<string, readonly number[]>>[];
}

interface DeadLetterCommon {
  readonly reason: string;
  readonly errorName: string;
  readonly errorMessage: string;
  readonly functionName: string;
  readonly failedAt?: string;
}

export interface KafkaDeadLetter extends DeadLetterCommon {
  readonly kind: 'kafka-dead-letter';
  readonly source: { readonly topic: string; readonly partition: number; readonly offset: string };
  /** Undefined when the record was too large for SQS (`recordOmitted` says so): read it back by coordinates. */
  readonly record?: KafkaRecordCopy;
  readonly recordOmitted?: string;
}

export interface StreamDeadLetter extends DeadLetterCommon {
  readonly kind: 'stream-dead-letter';
  readonly source: { readonly sequenceNumber: string; readonly pk?: string; readonly sk?: string };
  /** The DynamoDB stream record as the relay received it. */
  readonly record: unknown;
}

export interface OffsetRange {
  /** `<topic>-<partition>`, as in the MSK event and recordsInfo. */
  readonly lane: string;
  readonly topic: string;
  readonly partition: number;
  readonly firstOffset: string;
  readonly lastOffset: string;
  readonly firstTimestamp?: string;
  readonly lastTimestamp?: string;
}

interface FailureCommon {
  readonly condition: string;
  readonly functionArn: string;
  readonly approximateInvokeCount?: number;
  readonly functionError?: string;
  readonly timestamp?: string;
}

export interface KafkaFailureRecord extends FailureCommon {
  readonly kind: 'kafka-failure';
  readonly batchSize: number;
  readonly eventSourceArn: string;
  readonly ranges: readonly OffsetRange[];
}

export interface StreamFailureRecord extends FailureCommon {
  readonly kind: 'stream-failure';
  readonly batchSize: number;
  readonly streamArn: string;
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly approximateArrivalOfFirstRecord?: string;
  readonly approximateArrivalOfLastRecord?: string;
}

export interface UnknownMessage {
  readonly kind: 'unknown';
  readonly problem: string;
}

export type DlqEntry = KafkaDeadLetter | StreamDeadLetter | KafkaFailureRecord | StreamFailureRecord | UnknownMessage;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const isDigits = (v: string) => /^\d+$/.test(v);

/** Offsets and sequence numbers arrive as numbers or digit strings; kept as strings (they outgrow 2^53). */
function counter(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === 'string' && isDigits(v)) return v;
  return undefined;
}

class ShapeProblem extends Error {}
const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new ShapeProblem(what);
  return value;
};

export function classifyMessage(body: string | undefined): DlqEntry {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return { kind: 'unknown', problem: 'body is not JSON' };
  }
  if (!isObj(parsed)) return { kind: 'unknown', problem: 'body is not a JSON object' };
  try {
    if ('KafkaBatchInfo' in parsed) return kafkaFailure(parsed);
    if ('DDBStreamBatchInfo' in parsed) return streamFailure(parsed);
    if (typeof parsed.reason === 'string' && isObj(parsed.source)) {
      if (parsed.source.kind === 'kafka') return kafkaDeadLetter(parsed);
      if (parsed.source.kind === 'dynamodb-stream') return streamDeadLetter(parsed);
      return { kind: 'unknown', problem: `dead letter with unknown source.kind ${JSON.stringify(parsed.source.kind)}` };
    }
    return { kind: 'unknown', problem: 'neither a dead letter (reason, source) nor an ESM failure record' };
  } catch (err) {
    if (err instanceof ShapeProblem) return { kind: 'unknown', problem: err.message };
    throw err;
  }
}

function deadLetterCommon(m: Obj): DeadLetterCommon {
  const failedAt = str(m.failedAt);
  return {
    reason: need(str(m.reason), 'dead letter without reason'),
    errorName: str(m.errorName) ?? '',
    errorMessage: str(m.errorMessage) ?? '',
    functionName: str(m.functionName) ?? '',
    ...(failedAt ? { failedAt } : {}),
  };
}

function kafkaDeadLetter(m: Obj): KafkaDeadLetter {
  const s = m.source as Obj;
  const source = {
    topic: need(str(s.topic), 'dead letter source.topic missing'),
    partition: need(num(s.partition), 'dead letter source.partition missing'),
    offset: need(counter(s.offset), 'dead letter source.offset missing'),
  };
  const r = m.record;
  if (isObj(r) && typeof r.omitted === 'string') {
    return { kind: 'kafka-dead-letter', ...deadLetterCommon(m), source, recordOmitted: r.omitted };
  }
  return { kind: 'kafka-dead-letter', ...deadLetterCommon(m), source, record: kafkaRecordCopy(r, source) };
}

function kafkaRecordCopy(r: unknown, source: KafkaDeadLetter['source']): KafkaRecordCopy {
  if (!isObj(r)) throw new ShapeProblem('dead letter record missing');
  const bytes = (field: string): string | null => {
    const v = r[field];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') throw new ShapeProblem(`dead letter record.${field} is not base64 text`);
    return v;
  };
  const headers = r.headers ?? [];
  if (!Array.isArray(headers) || !headers.every(isHeaderEntry)) {
    throw new ShapeProblem('dead letter record.headers is not an array of {name: [bytes]}');
  }
  const timestamp = num(r.timestamp);
  return {
    topic: str(r.topic) ?? source.topic,
    partition: num(r.partition) ?? source.partition,
    offset: counter(r.offset) ?? source.offset,
    ...(timestamp !== undefined ? { timestamp } : {}),
    key: bytes('key'),
    value: bytes('value'),
    headers,
  };
}

const isHeaderEntry = (h: unknown): h is Record<string, number[]> =>
  isObj(h) && Object.values(h).every((v) => Array.isArray(v) && v.every(isMskHeaderByte));

function streamDeadLetter(m: Obj): StreamDeadLetter {
  const s = m.source as Obj;
  const pk = str(s.pk);
  const sk = str(s.sk);
  return {
    kind: 'stream-dead-letter',
    ...deadLetterCommon(m),
    source: {
      sequenceNumber: need(counter(s.sequenceNumber), 'dead letter source.sequenceNumber missing'),
      ...(pk ? { pk } : {}),
      ...(sk ? { sk } : {}),
    },
    record: m.record,
  };
}

function failureCommon(m: Obj): FailureCommon {
  const rq = isObj(m.requestContext) ? m.requestContext : {};
  const rs = isObj(m.responseContext) ? m.responseContext : {};
  const count = num(rq.approximateInvokeCount);
  const functionError = str(rs.functionError);
  const timestamp = str(m.timestamp);
  return {
    condition: need(str(rq.condition), 'failure record without requestContext.condition'),
    functionArn: str(rq.functionArn) ?? '',
    ...(count !== undefined ? { approximateInvokeCount: count } : {}),
    ...(functionError ? { functionError } : {}),
    ...(timestamp ? { timestamp } : {}),
  };
}

/** Splits `<topic>-<partition>` at the last dash: topic names may contain dashes (`t1234-orders-0`). */
export function parseLane(lane: string): { topic: string; partition: number } | undefined {
  const m = /^(.+)-(\d+)$/.exec(lane);
  return m ? { topic: m[1] as string, partition: Number(m[2]) } : undefined;
}

function kafkaFailure(m: Obj): KafkaFailureRecord {
  const info = m.KafkaBatchInfo;
  if (!isObj(info) || !isObj(info.recordsInfo)) throw new ShapeProblem('KafkaBatchInfo.recordsInfo missing');
  const ranges = Object.entries(info.recordsInfo).map(([lane, v]): OffsetRange => {
    const where = need(parseLane(lane), `KafkaBatchInfo.recordsInfo key "${lane}" is not <topic>-<partition>`);
    if (!isObj(v)) throw new ShapeProblem(`KafkaBatchInfo.recordsInfo["${lane}"] is not an object`);
    const firstOffset = need(counter(v.firstRecordOffset), `recordsInfo["${lane}"].firstRecordOffset missing`);
    const lastOffset = need(counter(v.lastRecordOffset), `recordsInfo["${lane}"].lastRecordOffset missing`);
    if (BigInt(lastOffset) < BigInt(firstOffset)) {
      throw new ShapeProblem(
        `recordsInfo["${lane}"]: lastRecordOffset ${lastOffset} < firstRecordOffset ${firstOffset}`,
      );
    }
    const firstTimestamp = str(v.firstRecordTimestamp);
    const lastTimestamp = str(v.lastRecordTimestamp);
    return {
      lane,
      ...where,
      firstOffset,
      lastOffset,
      ...(firstTimestamp ? { firstTimestamp } : {}),
      ...(lastTimestamp ? { lastTimestamp } : {}),
    };
  });
  if (ranges.length === 0) throw new ShapeProblem('KafkaBatchInfo.recordsInfo is empty');
  return {
    kind: 'kafka-failure',
    ...failureCommon(m),
    batchSize: num(info.batchSize) ?? 0,
    eventSourceArn: str(info.eventSourceArn) ?? '',
    ranges,
  };
}

function streamFailure(m: Obj): StreamFailureRecord {
  const info = m.DDBStreamBatchInfo;
  if (!isObj(info)) throw new ShapeProblem('DDBStreamBatchInfo is not an object');
  const start = need(counter(info.startSequenceNumber), 'DDBStreamBatchInfo.startSequenceNumber missing');
  const end = need(counter(info.endSequenceNumber), 'DDBStreamBatchInfo.endSequenceNumber missing');
  if (BigInt(end) < BigInt(start))
    throw new ShapeProblem(`DDBStreamBatchInfo: endSequenceNumber < startSequenceNumber`);
  const first = str(info.approximateArrivalOfFirstRecord);
  const last = str(info.approximateArrivalOfLastRecord);
  return {
    kind: 'stream-failure',
    ...failureCommon(m),
    batchSize: num(info.batchSize) ?? 0,
    streamArn: need(str(info.streamArn), 'DDBStreamBatchInfo.streamArn missing'),
    shardId: need(str(info.shardId), 'DDBStreamBatchInfo.shardId missing'),
    startSequenceNumber: start,
    endSequenceNumber: end,
    ...(first ? { approximateArrivalOfFirstRecord: first } : {}),
    ...(last ? { approximateArrivalOfLastRecord: last } : {}),
  };
}

export const KIND_LABEL: { readonly [K in DlqEntry['kind']]: string } = {
  'kafka-dead-letter': 'dead letter (Kafka record)',
  'stream-dead-letter': 'dead letter (outbox stream record)',
  'kafka-failure': 'Kafka ESM failure record',
  'stream-failure': 'DynamoDB Streams ESM failure record',
  unknown: 'unrecognised message',
};
