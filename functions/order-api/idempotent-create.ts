/**
 * Idempotency-Key for POST /orders (Powertools idempotency on the idempotency table). The record is
 * keyed by the header value under a fixed prefix; the validated request is its payload hash (key order
 * does not matter: Powertools hashes a deep-sorted copy). So:
 *   same key, same body      → the original response, no second order;
 *   same key, different body → 422 IDEMPOTENCY_KEY_REUSED;
 *   same key while the first request is still running → 409 IDEMPOTENCY_REQUEST_IN_PROGRESS.
 * A failed create deletes its in-progress record (Powertools), so the client can retry with the same key.
 */
import { randomUUID } from 'node:crypto';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { dynamoDb } from '../shared/aws-clients';
import { ensureTimeToStart, InvocationEndingError } from '../shared/time-to-start';
import type { CreatedOrder, CreateOrderCommand } from './create-order';
import { ApiError } from './http';

/** Prefix of this API's records in the shared idempotency table (consumers use their function ids). */
export const IDEMPOTENCY_KEY_PREFIX = 'order-api#create-order';
/** How long a key is remembered: a client retries within minutes; a day covers every sane retry policy. */
const KEY_TTL_SECONDS = 24 * 60 * 60;

export interface IdempotentCreate {
  /** Runs `create` once per key; `replayed` tells whether this answer came from the stored record. */
  run(idempotencyKey: string, command: CreateOrderCommand): Promise<{ created: CreatedOrder; replayed: boolean }>;
  registerLambdaContext(context: Context): void;
}

export function idempotentCreate(
  create: (command: CreateOrderCommand) => Promise<CreatedOrder>,
  tableName: string,
): IdempotentCreate {
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: dynamoDb() });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'idempotencyKey',
    payloadValidationJmesPath: 'request',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: KEY_TTL_SECONDS,
  });
  // Argument 0 is the hashed data; argument 1 a per-call token, so a stored result carrying another
  // call's token shows that this call was answered from the record (a replay).
  const wrapped = makeIdempotent(
    async (input: { idempotencyKey: string } & CreateOrderCommand, token: string) => ({
      token,
      created: await create(input),
    }),
    { persistenceStore, config, keyPrefix: IDEMPOTENCY_KEY_PREFIX, dataIndexArgument: 0 },
  );

  let lambdaContext: Context | undefined;
  return {
    async run(idempotencyKey, command) {
      const token = randomUUID();
      try {
        ensureTimeToStart(lambdaContext);
        const result = await wrapped({ idempotencyKey, ...command }, token);
        return { created: result.created, replayed: result.token !== token };
      } catch (err) {
        throw translate(err) ?? err;
      }
    },
    registerLambdaContext(context) {
      lambdaContext = context;
      config.registerLambdaContext(context);
    },
  };
}

function translate(err: unknown): ApiError | undefined {
  if (err instanceof InvocationEndingError) {
    return new ApiError(
      503,
      'TRY_AGAIN',
      'the request could not be started in time; retry it with the same Idempotency-Key',
      undefined,
      { 'Retry-After': '1' },
    );
  }
  if (err instanceof IdempotencyValidationError) {
    return new ApiError(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was already used with a different request body; use a new key for a new order',
    );
  }
  if (err instanceof IdempotencyAlreadyInProgressError) {
    return new ApiError(
      409,
      'IDEMPOTENCY_REQUEST_IN_PROGRESS',
      'a request with this Idempotency-Key is still being processed; retry shortly',
      undefined,
      { 'Retry-After': '1' },
    );
  }
  return undefined;
}
