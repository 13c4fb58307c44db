import { PermanentError } from './errors';
import { type KafkaRecordRef, processKafkaRecords, type RecordOutcome } from './kafka-batch-processor';

interface TestRecord extends KafkaRecordRef {
  readonly key: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 2 partitions, `keys` keys, `perKey` records each, interleaved as Kafka would deliver them. */
function batch(keys: number, perKey: number): TestRecord[] {
  const records: TestRecord[] = [];
  const nextOffset = [0, 0];
  for (let n = 0; n < perKey; n++) {
    for (let k = 0; k < keys; k++) {
      const partition = k % 2;
      records.push({ topic: 'orders', partition, offset: nextOffset[partition]++, key: `k${k}` });
    }
  }
  return records;
}

const base = {
  keyOf: (r: TestRecord) => r.key,
  onPermanentFailure: async () => {},
  concurrency: 8,
};

describe('processKafkaRecords', () => {
  it('keeps offset order per key under random delays while keys run concurrently', async () => {
    const records = batch(20, 10);
    const seen = new Map<string, number[]>();
    let inFlight = 0;
    let maxInFlight = 0;
    const { response, summary } = await processKafkaRecords(records, {
      ...base,
      handle: async (r) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(Math.random() * 5);
        seen.set(r.key, [...(seen.get(r.key) ?? []), r.offset]);
        inFlight--;
        return 'processed';
      },
    });
    expect(response.batchItemFailures).toEqual([]);
    expect(summary.processed).toBe(200);
    for (const [key, offsets] of seen) {
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
      expect(offsets).toHaveLength(10);
      expect(key).toMatch(/^k\d+$/);
    }
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(8);
  });

  it('reports the failed record and every later record of its key, and nothing else', async () => {
    const records = batch(4, 3); // k0,k2 on partition 0; k1,k3 on partition 1
    const handled: string[] = [];
    const { response, summary } = await processKafkaRecords(records, {
      ...base,
      handle: async (r) => {
        const k1Second = r.key === 'k1' && r.offset === records.filter((x) => x.key === 'k1')[1]?.offset;
        if (k1Second) throw new Error('throttled');
        handled.push(`${r.key}@${r.offset}`);
        return 'processed';
      },
    });
    const k1 = records.filter((r) => r.key === 'k1');
    expect(response.batchItemFailures).toEqual(
      k1.slice(1).map((r) => ({ itemIdentifier: { partition: 'orders-1', offset: r.offset } })),
    );
    // the failing key's later record was never attempted; other keys finished
    expect(handled).not.toContain(`k1@${k1[2]?.offset}`);
    expect(handled.filter((h) => h.startsWith('k3@'))).toHaveLength(3);
    expect(summary).toMatchObject({ processed: 10, failed: 1, notAttempted: 1 });
  });

  it('sends permanent failures to the DLQ sink and keeps processing the key', async () => {
    const records = batch(1, 3);
    const dlq: { offset: number; reason: string }[] = [];
    const outcomes: RecordOutcome[] = ['processed', 'duplicate'];
    const { response, summary } = await processKafkaRecords(records, {
      ...base,
      onPermanentFailure: async (r, err) => {
        dlq.push({ offset: r.offset, reason: err.reason });
      },
      handle: async (r) => {
        if (r.offset === 0) throw new PermanentError('INVALID_EVENT', 'bad schema');
        return outcomes[r.offset - 1] ?? 'ignored';
      },
    });
    expect(response.batchItemFailures).toEqual([]);
    expect(dlq).toEqual([{ offset: 0, reason: 'INVALID_EVENT' }]);
    expect(summary).toMatchObject({ processed: 1, duplicates: 1, deadLettered: 1, failed: 0 });
  });

  it('reports a permanent failure as transient when the DLQ cannot take it (nothing is dropped)', async () => {
    const records = batch(1, 2);
    const { response } = await processKafkaRecords(records, {
      ...base,
      onPermanentFailure: async () => {
        throw new Error('SQS unavailable');
      },
      handle: async (r) => {
        if (r.offset === 0) throw new PermanentError('MALFORMED_JSON', 'not json');
        return 'processed';
      },
    });
    expect(response.batchItemFailures.map((f) => f.itemIdentifier.offset)).toEqual([0, 1]);
  });

  it('treats the same key on different partitions as independent groups', async () => {
    const records: TestRecord[] = [
      { topic: 't', partition: 0, offset: 5, key: 'a' },
      { topic: 't', partition: 1, offset: 5, key: 'a' },
    ];
    const { response } = await processKafkaRecords(records, {
      ...base,
      handle: async (r) => {
        if (r.partition === 0) throw new Error('boom');
        return 'processed';
      },
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: { partition: 't-0', offset: 5 } }]);
  });

  it('rejects a non-positive concurrency', async () => {
    await expect(
      processKafkaRecords([], { ...base, concurrency: 0, handle: async () => 'processed' as const }),
    ).rejects.toThrow(RangeError);
  });
});
