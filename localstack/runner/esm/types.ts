/** Shared vocabulary of the event source mapping twins (Kafka and DynamoDB Streams). */

import { ESM_LIMITS } from '../../../lib/aws-limits';
import type { HopsOf } from '../lambda/hops';

/**
 * One record of a source, as the retry logic sees it: a lane (Kafka `<topic>-<partition>`, or a stream
 * shard id) and a position inside that lane (offset or sequence number) that grows with arrival order.
 */
export interface EsmRecord {
  readonly lane: string;
  readonly position: bigint;
}

/** What one Lambda invocation returned: its JSON result, or a function error (uncaught error, timeout). */
export type FunctionOutcome =
  | { readonly ok: true; readonly payload: unknown; readonly requestId: string }
  | {
      readonly ok: false;
      readonly errorType: string;
      readonly errorMessage: string;
      readonly requestId: string;
    };

/** The error-handling settings of a mapping (lib/topology.ts EsmErrorHandling). */
export interface RetryPolicy {
  /** -1 = infinite, which Lambda caps at 10 when an on-failure destination is configured (always, here). */
  readonly retryAttempts: number;
  readonly bisectBatchOnError: boolean;
  readonly reportBatchItemFailures: boolean;
}

/** Retries before exhaustion: "infinite" is capped, since every mapping has an on-failure destination. */
export const retryLimit = (p: RetryPolicy) =>
  p.retryAttempts === ESM_LIMITS.infinite ? ESM_LIMITS.infiniteRetryCap : p.retryAttempts;

/** Records whose retries are exhausted: they go to the on-failure destination, then the source moves on. */
export interface Exhaustion<R extends EsmRecord> {
  readonly records: readonly R[];
  readonly condition: 'RetryAttemptsExhausted';
  /** Invocations that included these records (first attempt, retries, and the batches they were split from). */
  readonly approximateInvokeCount: number;
  /** The last invocation's outcome (its request id and whether it was a function error). */
  readonly last: FunctionOutcome;
}

/** The function an event source mapping invokes (a LocalFunction, or a test double). */
export interface Invokable {
  readonly arn: string;
  invoke(event: unknown, meta: { trigger: string; batchSize: number; hops?: HopsOf }): Promise<FunctionOutcome>;
}
