/**
 * Idempotency per event: @aws-lambda-powertools/idempotency on the idempotency table, keyed by the
 * event's eventId with a per-function prefix (the same event is processed once by each function).
 * The wrapped function must also make its domain write conditional (a business key), because a crash
 * between that write and the idempotency record's completion re-runs it after the in-progress record
 * expires; the conditional write turns that re-run into a detected duplicate.
 */

import { randomUUID } from 'node:crypto';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyItemNotFoundError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { dynamoDb } from './aws-clients';
import { ensureTimeToStart, MIN_START_MS } from './time-to-start';

export interface IdempotentEventProcessor<E extends { eventId: string }> {
  /** Runs `fn` once per eventId; returns whether this call ran it ('processed') or found it done ('duplicate'). */
  run(event: E): Promise<'processed' | 'duplicate'>;
  /** Call once per invocation so in-progress records expire with the invocation's remaining time. */
  registerLambdaContext(context: Context): void;
}

export interface IdempotencyOptions {
  readonly tableName: string;
  /** Per-function prefix of the idempotency key, e.g. the function id. */
  readonly keyPrefix: string;
}

/** Redeliveries after a full retention cycle are not expected; a day covers every retry path. */
const EXPIRES_AFTER_SECONDS = 24 * 60 * 60;

export function idempotentEventProcessor<E extends { eventId: string }>(
  fn: (event: E) => Promise<'processed' | 'duplicate'>,
  options: IdempotencyOptions,
): IdempotentEventProcessor<E> {
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName: options.tableName, awsSdkV3Client: dynamoDb() });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'eventId',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: EXPIRES_AFTER_SECONDS,
  });
  // The second argument is a per-call token outside the hashed payload (argument 0): when the stored
  // result carries another call's token, this call was answered from the idempotency record.
  const wrapped = makeIdempotent(async (event: E, token: string) => ({ token, outcome: await fn(event) }), {
    persistenceStore,
    config,
    keyPrefix: options.keyPrefix,
    dataIndexArgument: 0,
  });
  let lambdaContext: Context | undefined;

  /**
   * How long to wait before trying an event whose idempotency record is in progress again, or undefined
   * to give up (the record is reported and the event source mapping retries it later). An attempt that
   * crashed (its environment killed, out of memory) leaves its record in progress until that attempt's
   * deadline; the mapping's retries would hit it again and again and could exhaust their budget, so the
   * event is better waited for here, when the record expires early enough to leave time to process it.
   * A duplicate still running elsewhere completes meanwhile, and the next try reports 'duplicate'.
   */
  async function waitBeforeRetry(event: E): Promise<number | undefined> {
    const remainingMs = lambdaContext?.getRemainingTimeInMillis();
    if (remainingMs === undefined) return undefined;
    let expiresAt: number | undefined;
    try {
      const record = await persistenceStore.getRecord(event);
      if (record.getStatus() !== 'INPROGRESS') return 0; // completed or expired meanwhile: try again now
      expiresAt = record.inProgressExpiryTimestamp;
    } catch (err) {
      if (err instanceof IdempotencyItemNotFoundError) return 0; // the other attempt failed and let go
      return undefined;
    }
    if (expiresAt === undefined) return undefined;
    const untilExpiry = Math.max(0, expiresAt - Date.now());
    if (untilExpiry + PROCESSING_MARGIN_MS > remainingMs) return undefined;
    return Math.min(untilExpiry + 20, MAX_POLL_MS);
  }

  return {
    async run(event) {
      const token = randomUUID();
      for (;;) {
        ensureTimeToStart(lambdaContext); // also after a wait: the record must get an in-progress expiry
        try {
          const result = await wrapped(event, token);
          return result.token === token ? result.outcome : 'duplicate';
        } catch (err) {
          if (!(err instanceof IdempotencyAlreadyInProgressError)) throw err;
          const waitMs = await waitBeforeRetry(event);
          if (waitMs === undefined) throw err;
          await new Promise((r) => setTimeout(r, waitMs));
        }
      }
    },
    registerLambdaContext(context) {
      lambdaContext = context;
      config.registerLambdaContext(context);
    },
  };
}

/** Time this invocation keeps for processing an event after waiting for its in-progress record. */
const PROCESSING_MARGIN_MS = MIN_START_MS;
/** A wait re-checks the record at least this often (a live duplicate may complete before it expires). */
const MAX_POLL_MS = 1000;
