/**
 * The error handling of a Lambda event source mapping for one batch, as AWS documents it for stream and
 * Kafka sources (provisioned mode):
 * - success (or an empty partial batch response) → the batch is done and the source checkpoints past it;
 * - partial batch response → records before each reported lane's lowest reported position are done, the
 *   rest is retried ("bisected at the returned sequence number"); it counts as a retry;
 * - function error (or a malformed partial response) → with bisect on and more than one record, the batch
 *   is split in two halves, retried one after the other (splitting does not consume a retry); otherwise
 *   it is retried whole;
 * - more retries than `retryAttempts` → the records go to the on-failure destination and count as done.
 * A lane's records are always delivered in order: halves and retries run one after the other.
 */
import { type Identify, judgeResponse } from './partial-response';
import { type EsmRecord, type Exhaustion, type FunctionOutcome, type RetryPolicy, retryLimit } from './types';

export interface DriverDeps<R extends EsmRecord> {
  invoke(batch: readonly R[]): Promise<FunctionOutcome>;
  identify: Identify;
  /** These records are finished (processed, or sent to the failure destination): checkpoint past them. */
  complete(records: readonly R[]): Promise<void>;
  /** Send the failure record for records whose retries are exhausted (before they are completed). */
  exhausted(exhaustion: Exhaustion<R>): Promise<void>;
  /** Back off before retry number `retry` (1-based) so a failing lane does not spin. */
  backoff(retry: number): Promise<void>;
  /** False once the twin is stopping: no further invocation; unfinished records stay uncommitted. */
  shouldContinue(): boolean;
}

export type DriveResult = 'done' | 'aborted';

export function driveBatch<R extends EsmRecord>(
  batch: readonly R[],
  policy: RetryPolicy,
  deps: DriverDeps<R>,
): Promise<DriveResult> {
  if (batch.length === 0) return Promise.resolve('done');
  return attempt(batch, 0, 0, policy, deps);
}

async function attempt<R extends EsmRecord>(
  batch: readonly R[],
  retriesSoFar: number,
  invokesSoFar: number,
  policy: RetryPolicy,
  deps: DriverDeps<R>,
): Promise<DriveResult> {
  let records = batch;
  let retries = retriesSoFar;
  let invokes = invokesSoFar;
  for (;;) {
    if (!deps.shouldContinue()) return 'aborted';
    const outcome = await deps.invoke(records);
    invokes++;
    let functionError = !outcome.ok;
    if (outcome.ok) {
      const verdict = policy.reportBatchItemFailures
        ? judgeResponse(outcome.payload, records, deps.identify)
        : ({ kind: 'success' } as const);
      if (verdict.kind === 'success') {
        await deps.complete(records);
        return 'done';
      }
      if (verdict.kind === 'partial') {
        const failed = (r: R) => {
          const from = verdict.resumeFrom.get(r.lane);
          return from !== undefined && r.position >= from;
        };
        const succeeded = records.filter((r) => !failed(r));
        if (succeeded.length > 0) await deps.complete(succeeded);
        records = records.filter(failed);
      } else {
        functionError = true; // a malformed partial response fails the whole batch
      }
    }
    if (functionError && policy.bisectBatchOnError && records.length > 1) {
      const middle = Math.ceil(records.length / 2);
      const first = await attempt(records.slice(0, middle), retries, invokes, policy, deps);
      if (first === 'aborted') return first;
      return attempt(records.slice(middle), retries, invokes, policy, deps);
    }
    retries++;
    if (retries > retryLimit(policy)) {
      await deps.exhausted({
        records,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: invokes,
        last: outcome,
      });
      await deps.complete(records);
      return 'done';
    }
    await deps.backoff(retries);
  }
}

/** Exponential backoff between retries, bounded: base · 2^(retry-1), at most `capMs`. */
export const backoffDelay = (retry: number, baseMs: number, capMs: number) =>
  Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1));

/** A mapping twin's backoff setting: delay before retry n is base · 2^(n-1), at most cap. */
export interface Backoff {
  readonly baseMs: number;
  readonly capMs: number;
}

/** The twins' default backoff: 100 ms doubling to 1 s. */
const DEFAULT_BACKOFF: Backoff = { baseMs: 100, capMs: 1000 };

/** The delay before retry `retry` under a twin's backoff setting (DEFAULT_BACKOFF when none is given). */
export const retryDelay = (retry: number, backoff: Backoff = DEFAULT_BACKOFF) =>
  backoffDelay(retry, backoff.baseMs, backoff.capMs);
