import { identifyKafkaItem } from './partial-response';
import { backoffDelay, type DriverDeps, driveBatch, retryDelay } from './retry-driver';
import type { EsmRecord, Exhaustion, FunctionOutcome, RetryPolicy } from './types';

const rec = (lane: string, position: number): EsmRecord => ({ lane, position: BigInt(position) });
const label = (r: EsmRecord) => `${r.lane}@${r.position}`;
const lane = (name: string, from: number, to: number) => {
  const out: EsmRecord[] = [];
  for (let p = from; p <= to; p++) out.push(rec(name, p));
  return out;
};

type Behaviour = (batch: readonly EsmRecord[], call: number) => FunctionOutcome;
const ok = (payload: unknown = null): FunctionOutcome => ({ ok: true, payload, requestId: 'req' });
const boom: FunctionOutcome = { ok: false, errorType: 'Error', errorMessage: 'boom', requestId: 'req-err' };
const failures = (...ids: [string, number][]) => ({
  batchItemFailures: ids.map(([partition, offset]) => ({ itemIdentifier: { partition, offset } })),
});

function harness(behaviour: Behaviour, opts: { stopAfterCalls?: number } = {}) {
  const invocations: string[][] = [];
  const completed: string[] = [];
  const exhausted: Exhaustion<EsmRecord>[] = [];
  const backoffs: number[] = [];
  const deps: DriverDeps<EsmRecord> = {
    invoke: async (batch) => {
      invocations.push(batch.map(label));
      return behaviour(batch, invocations.length);
    },
    identify: identifyKafkaItem,
    complete: async (records) => {
      completed.push(...records.map(label));
    },
    exhausted: async (e) => {
      exhausted.push(e);
    },
    backoff: async (retry) => {
      backoffs.push(retry);
    },
    shouldContinue: () => opts.stopAfterCalls === undefined || invocations.length < opts.stopAfterCalls,
  };
  return { deps, invocations, completed, exhausted, backoffs };
}

const policy = (p: Partial<RetryPolicy> = {}): RetryPolicy => ({
  retryAttempts: 10,
  bisectBatchOnError: false,
  reportBatchItemFailures: true,
  ...p,
});

describe('driveBatch', () => {
  it('completes a successful batch after one invocation', async () => {
    const h = harness(() => ok());
    expect(await driveBatch(lane('orders-0', 0, 2), policy(), h.deps)).toBe('done');
    expect(h.invocations).toEqual([['orders-0@0', 'orders-0@1', 'orders-0@2']]);
    expect(h.completed).toEqual(['orders-0@0', 'orders-0@1', 'orders-0@2']);
    expect(h.exhausted).toEqual([]);
  });

  it('retries a failing batch whole and succeeds when the error is transient', async () => {
    const h = harness((_b, call) => (call <= 2 ? boom : ok()));
    await driveBatch(lane('orders-0', 0, 1), policy(), h.deps);
    expect(h.invocations).toHaveLength(3);
    expect(h.backoffs).toEqual([1, 2]);
    expect(h.completed).toEqual(['orders-0@0', 'orders-0@1']);
    expect(h.exhausted).toEqual([]);
  });

  it('after retryAttempts retries hands the batch to the failure destination, then completes it', async () => {
    const h = harness(() => boom);
    await driveBatch(lane('orders-0', 0, 1), policy({ retryAttempts: 2 }), h.deps);
    expect(h.invocations).toHaveLength(3);
    expect(h.exhausted).toHaveLength(1);
    const [e] = h.exhausted;
    expect(e?.records.map(label)).toEqual(['orders-0@0', 'orders-0@1']);
    expect(e?.approximateInvokeCount).toBe(3);
    expect(e?.condition).toBe('RetryAttemptsExhausted');
    expect(e?.last).toEqual(boom);
    expect(h.completed).toEqual(['orders-0@0', 'orders-0@1']);
  });

  it('caps infinite retries (-1) at 10, as Lambda does with an on-failure destination', async () => {
    const h = harness(() => boom);
    await driveBatch([rec('orders-0', 7)], policy({ retryAttempts: -1 }), h.deps);
    expect(h.invocations).toHaveLength(11);
    expect(h.exhausted[0]?.approximateInvokeCount).toBe(11);
  });

  it('retryAttempts 0: one invocation, then the failure destination', async () => {
    const h = harness(() => boom);
    await driveBatch([rec('orders-0', 7)], policy({ retryAttempts: 0 }), h.deps);
    expect(h.invocations).toHaveLength(1);
    expect(h.exhausted).toHaveLength(1);
  });

  it('bisects on function error until the poison record is alone; only it is discarded, in order', async () => {
    const poison = 'orders-0@5';
    const h = harness((batch) => (batch.map(label).includes(poison) ? boom : ok()));
    await driveBatch(lane('orders-0', 0, 7), policy({ bisectBatchOnError: true, retryAttempts: 2 }), h.deps);
    expect(h.invocations).toEqual([
      ['orders-0@0', 'orders-0@1', 'orders-0@2', 'orders-0@3', 'orders-0@4', 'orders-0@5', 'orders-0@6', 'orders-0@7'],
      ['orders-0@0', 'orders-0@1', 'orders-0@2', 'orders-0@3'],
      ['orders-0@4', 'orders-0@5', 'orders-0@6', 'orders-0@7'],
      ['orders-0@4', 'orders-0@5'],
      ['orders-0@4'],
      ['orders-0@5'],
      ['orders-0@5'],
      ['orders-0@5'],
      ['orders-0@6', 'orders-0@7'],
    ]);
    // Splitting does not consume retries: the single poison record still gets its 2 retries.
    expect(h.exhausted.map((e) => e.records.map(label))).toEqual([[poison]]);
    expect(h.exhausted[0]?.approximateInvokeCount).toBe(6);
    expect(h.completed).toEqual(lane('orders-0', 0, 7).map(label));
  });

  it('partial response: completes records before the lowest reported offset, retries from there', async () => {
    const h = harness((_batch, call) =>
      call === 1 ? ok(failures(['orders-0', 5], ['orders-0', 3])) : ok({ batchItemFailures: [] }),
    );
    await driveBatch([...lane('orders-0', 1, 6), ...lane('orders-1', 0, 1)], policy(), h.deps);
    expect(h.invocations[1]).toEqual(['orders-0@3', 'orders-0@4', 'orders-0@5', 'orders-0@6']);
    expect(h.completed).toEqual([
      'orders-0@1',
      'orders-0@2',
      'orders-1@0',
      'orders-1@1',
      'orders-0@3',
      'orders-0@4',
      'orders-0@5',
      'orders-0@6',
    ]);
    expect(h.backoffs).toEqual([1]);
  });

  it('partial response per partition: each reported partition resumes from its own lowest offset', async () => {
    const h = harness((_b, call) => (call === 1 ? ok(failures(['orders-0', 2], ['orders-1', 1])) : ok()));
    await driveBatch([...lane('orders-0', 0, 3), ...lane('orders-1', 0, 2)], policy(), h.deps);
    expect(h.invocations[1]).toEqual(['orders-0@2', 'orders-0@3', 'orders-1@1', 'orders-1@2']);
  });

  it('partial responses count as retries: exhausted records are only the ones still failing', async () => {
    const h = harness(() => ok(failures(['orders-0', 2])));
    await driveBatch(lane('orders-0', 0, 3), policy({ retryAttempts: 1 }), h.deps);
    expect(h.invocations).toHaveLength(2);
    expect(h.exhausted.map((e) => e.records.map(label))).toEqual([['orders-0@2', 'orders-0@3']]);
    expect(h.exhausted[0]?.last.ok).toBe(true);
    expect(h.completed).toEqual(['orders-0@0', 'orders-0@1', 'orders-0@2', 'orders-0@3']);
  });

  it.each([
    ['an offset outside the batch', failures(['orders-0', 99])],
    ['a partition outside the batch', failures(['payments-0', 0])],
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a wrong key name', { batchItemFailures: [{ itemId: { partition: 'orders-0', offset: 0 } }] }],
    ['batchItemFailures not an array', { batchItemFailures: 'orders-0' }],
  ])('%s fails the whole batch', async (_name, response) => {
    const h = harness((_b, call) => (call === 1 ? ok(response) : ok()));
    await driveBatch(lane('orders-0', 0, 1), policy(), h.deps);
    expect(h.invocations).toEqual([
      ['orders-0@0', 'orders-0@1'],
      ['orders-0@0', 'orders-0@1'],
    ]);
  });

  it('ignores partial responses when ReportBatchItemFailures is off', async () => {
    const h = harness(() => ok(failures(['orders-0', 0])));
    await driveBatch(lane('orders-0', 0, 1), policy({ reportBatchItemFailures: false }), h.deps);
    expect(h.invocations).toHaveLength(1);
    expect(h.completed).toEqual(['orders-0@0', 'orders-0@1']);
  });

  it('stops retrying when the twin stops: unfinished records are neither completed nor discarded', async () => {
    const h = harness(() => boom, { stopAfterCalls: 2 });
    expect(await driveBatch(lane('orders-0', 0, 1), policy(), h.deps)).toBe('aborted');
    expect(h.invocations).toHaveLength(2);
    expect(h.completed).toEqual([]);
    expect(h.exhausted).toEqual([]);
  });

  it('backoff doubles from the base and is capped', () => {
    expect([1, 2, 3, 4, 5, 10].map((r) => backoffDelay(r, 100, 1000))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('the twins back off from 100 ms to 1 s unless given their own setting', () => {
    expect([1, 2, 3, 4, 5, 10].map((r) => retryDelay(r))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect([1, 2, 3, 4].map((r) => retryDelay(r, { baseMs: 10, capMs: 50 }))).toEqual([10, 20, 40, 50]);
  });
});
