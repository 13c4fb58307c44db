/**
 * Processes the records of one MSK batch with per-key ordered concurrency:
 * - records of one key (within a topic-partition) run strictly in offset order;
 * - different keys run concurrently, at most `concurrency` at a time;
 * - a transient failure stops its key: that record and every later record of the key in this batch
 *   are reported in the partial batch response, so a retry replays them in order;
 * - a permanent failure (PermanentError) is handed to `onPermanentFailure` (the DLQ) and counts as
 *   handled, so the partition keeps flowing. If the DLQ itself fails, the record is reported instead:
 *   nothing is dropped.
 * Powertools' batch utility has no Kafka support in TypeScript, hence this module.
 */
import { isPermanent, type PermanentError } from './errors';

export interface KafkaRecordRef {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export interface KafkaItemIdentifier {
  readonly partition: string;
  readonly offset: number;
}

export interface KafkaBatchResponse {
  batchItemFailures: { itemIdentifier: KafkaItemIdentifier }[];
}

export type RecordOutcome = 'processed' | 'duplicate' | 'ignored';

export interface BatchSummary {
  readonly processed: number;
  readonly duplicates: number;
  readonly ignored: number;
  readonly deadLettered: number;
  readonly failed: number;
  readonly notAttempted: number;
}

export interface BatchProcessorOptions<R extends KafkaRecordRef> {
  /** Grouping key; records with the same key are processed in offset order. */
  readonly keyOf: (record: R) => string;
  readonly handle: (record: R) => Promise<RecordOutcome>;
  /** Sends a permanently failed record to the DLQ; a rejection makes the record transient instead. */
  readonly onPermanentFailure: (record: R, error: PermanentError) => Promise<void>;
  readonly onTransientFailure?: (record: R, error: unknown) => void;
  /** Maximum number of keys processed at once. */
  readonly concurrency: number;
}

const partitionId = (r: KafkaRecordRef): string => `${r.topic}-${r.partition}`;

export async function processKafkaRecords<R extends KafkaRecordRef>(
  records: readonly R[],
  options: BatchProcessorOptions<R>,
): Promise<{ response: KafkaBatchResponse; summary: BatchSummary }> {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
  }
  const groups = groupInOffsetOrder(records, options.keyOf);
  const failures: R[] = [];
  const counts = { processed: 0, duplicates: 0, ignored: 0, deadLettered: 0, failed: 0, notAttempted: 0 };

  const runGroup = async (group: R[]): Promise<void> => {
    for (let i = 0; i < group.length; i++) {
      const record = group[i] as R;
      const ok = await runOne(record);
      if (!ok) {
        // Keep the key's order on retry: the failed record and everything after it go back.
        counts.failed++;
        counts.notAttempted += group.length - i - 1;
        failures.push(...group.slice(i));
        return;
      }
    }
  };

  const runOne = async (record: R): Promise<boolean> => {
    try {
      const outcome = await options.handle(record);
      if (outcome === 'processed') counts.processed++;
      else if (outcome === 'duplicate') counts.duplicates++;
      else counts.ignored++;
      return true;
    } catch (err) {
      if (isPermanent(err)) {
        try {
          await options.onPermanentFailure(record, err);
          counts.deadLettered++;
          return true;
        } catch (dlqErr) {
          options.onTransientFailure?.(record, dlqErr);
          return false;
        }
      }
      options.onTransientFailure?.(record, err);
      return false;
    }
  };

  await runWithConcurrency(groups, options.concurrency, runGroup);

  failures.sort((a, b) => partitionId(a).localeCompare(partitionId(b)) || a.offset - b.offset);
  return {
    response: {
      batchItemFailures: failures.map((r) => ({ itemIdentifier: { partition: partitionId(r), offset: r.offset } })),
    },
    summary: counts,
  };
}

/** Groups by partition + key, each group sorted by offset; groups ordered by their first offset. */
function groupInOffsetOrder<R extends KafkaRecordRef>(records: readonly R[], keyOf: (r: R) => string): R[][] {
  const groups = new Map<string, R[]>();
  for (const record of records) {
    const id = `${partitionId(record)}\u0000${keyOf(record)}`;
    const group = groups.get(id);
    if (group) group.push(record);
    else groups.set(id, [record]);
  }
  const list = [...groups.values()];
  for (const g of list) g.sort((a, b) => a.offset - b.offset);
  return list;
}

async function runWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
