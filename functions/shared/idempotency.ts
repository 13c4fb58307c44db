/**
 * Idempotency per event: @aws-lambda-powertools/idempotency on the idempotency table, keyed by the
 * event's eventId with a per-function prefix (the same event is processed once by each function).
 * The wrapped function must also make its domain write conditional (a business key), because a crash
 * between that write and the idempotency record's completion re-runs it after the in-progress record
 * expires; the conditional write turns that re-run into a detected duplicate.
 */

import { randomUUID } from 'node:crypto';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { dynamoDb } from './aws-clients';

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
  readonly expiresAfterSeconds?: number;
}

export function idempotentEventProcessor<E extends { eventId: string }>(
  fn: (event: E) => Promise<'processed' | 'duplicate'>,
  options: IdempotencyOptions,
): IdempotentEventProcessor<E> {
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName: options.tableName, awsSdkV3Client: dynamoDb() });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'eventId',
    throwOnNoIdempotencyKey: true,
    // Redeliveries after a full retention cycle are not expected; a day covers every retry path.
    expiresAfterSeconds: options.expiresAfterSeconds ?? 24 * 60 * 60,
  });
  // The second argument is a per-call token outside the hashed payload (argument 0): when the stored
  // result carries another call's token, this call was answered from the idempotency record.
  const wrapped = makeIdempotent(async (event: E, token: string) => ({ token, outcome: await fn(event) }), {
    persistenceStore,
    config,
    keyPrefix: options.keyPrefix,
    dataIndexArgument: 0,
  });
  return {
    async run(event) {
      const token = randomUUID();
      const result = await wrapped(event, token);
      return result.token === token ? result.outcome : 'duplicate';
    },
    registerLambdaContext(context) {
      config.registerLambdaContext(context);
    },
  };
}
