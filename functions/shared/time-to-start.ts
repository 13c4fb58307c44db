/**
 * Never start a once-only effect at the very end of an invocation. Powertools idempotency gives an
 * in-progress record an expiry from the invocation's remaining time, and gives it none when that time is
 * 0 (getRemainingTimeInMillis() is 0 once the deadline has passed and the environment is about to be
 * stopped). Such a record blocks its key until the record's own expiry (a day): every retry of the event
 * (or of the client's Idempotency-Key) is refused as in progress. The 10k-order soak on a loaded machine
 * left 46 such records, and their orders expired. So an effect with less than MIN_START_MS left is not
 * started; the caller's retry runs it in an invocation with time to finish.
 * https://docs.aws.amazon.com/powertools/typescript/latest/features/idempotency/#handling-lambda-timeout
 */
import type { Context } from 'aws-lambda';

/** Time an effect needs at the least: its idempotency record, the effect's transaction, the record's completion. */
export const MIN_START_MS = 3000;

/** Transient: the record is reported for retry (a batch item failure), or the request answered 503. */
export class InvocationEndingError extends Error {
  override readonly name = 'InvocationEndingError';
  constructor(readonly remainingMs: number) {
    super(`only ${remainingMs} ms left in this invocation: not starting a once-only effect (retried later)`);
  }
}

/** Throws InvocationEndingError when the invocation has less than MIN_START_MS left. */
export function ensureTimeToStart(context: Pick<Context, 'getRemainingTimeInMillis'> | undefined): void {
  if (!context) return;
  const remainingMs = context.getRemainingTimeInMillis();
  if (remainingMs < MIN_START_MS) throw new InvocationEndingError(remainingMs);
}
