/**
 * The one way a Kafka consumer function is put together: its environment validated at cold start (the
 * variables every consumer has — IDEMPOTENCY_TABLE, DLQ_URL, POWERTOOLS_SERVICE_NAME — plus its own), the
 * per-key record concurrency from RECORD_CONCURRENCY, and createEventConsumer's Powertools logging,
 * metrics, tracing and idempotency. A consumer's handler.ts only names its variables and its reactions.
 */
import { intFromEnv, loadConfig } from './config';
import {
  createEventConsumer,
  type EventConsumerOptions,
  type KafkaHandler,
  type OrderEndings,
  type Reactions,
} from './kafka-consumer';
import { schemaVersionIdsFromEnv } from './schema-ids';

/** Required variables only (an optional one would not be a string). */
type VariableSpec = Readonly<Record<string, { readonly default?: string }>>;

/** Keys of one batch processed at once (kafka-batch-processor.ts); RECORD_CONCURRENCY overrides it. */
export const DEFAULT_RECORD_CONCURRENCY = 16;
export const MAX_RECORD_CONCURRENCY = 256;

export interface ConsumerConfig {
  readonly IDEMPOTENCY_TABLE: string;
  readonly DLQ_URL: string;
  /** The function's topology id unless the environment says otherwise: also the idempotency key prefix. */
  readonly POWERTOOLS_SERVICE_NAME: string;
}

export interface ConsumerHandlerSpec<S extends VariableSpec> {
  /** The function's topology id (the default service name). */
  readonly functionId: string;
  /** The consumer's own variables, beyond those of every consumer. */
  readonly variables: S;
  /** How redeliveries are made harmless (createEventConsumer's onceOnly; Powertools idempotency by default). */
  readonly onceOnly?: EventConsumerOptions['onceOnly'];
  /** The schema versions this build reads (createEventConsumer's; default the whole catalog). */
  readonly knownSchemaVersions?: EventConsumerOptions['knownSchemaVersions'];
  readonly reactions: (config: ConsumerConfig & { readonly [K in keyof S]: string }) => {
    readonly reactions: Reactions;
    readonly endOrder?: OrderEndings;
  };
}

export function createConsumerHandler<S extends VariableSpec>(
  spec: ConsumerHandlerSpec<S>,
  env: NodeJS.ProcessEnv = process.env,
): KafkaHandler {
  const config = loadConfig(
    {
      ...spec.variables,
      IDEMPOTENCY_TABLE: {},
      DLQ_URL: {},
      POWERTOOLS_SERVICE_NAME: { default: spec.functionId },
    },
    env,
  ) as unknown as ConsumerConfig & { readonly [K in keyof S]: string }; // loadConfig's mapped type loses the intersection
  const { reactions, endOrder } = spec.reactions(config);
  return createEventConsumer({
    functionName: config.POWERTOOLS_SERVICE_NAME,
    idempotencyTable: config.IDEMPOTENCY_TABLE,
    dlqUrl: config.DLQ_URL,
    concurrency: intFromEnv('RECORD_CONCURRENCY', DEFAULT_RECORD_CONCURRENCY, 1, MAX_RECORD_CONCURRENCY, env),
    reactions,
    // The registry's ids from the same environment as the rest of the configuration (cold start).
    schemaVersionIds: schemaVersionIdsFromEnv(env),
    ...(endOrder ? { endOrder } : {}),
    ...(spec.onceOnly ? { onceOnly: spec.onceOnly } : {}),
    ...(spec.knownSchemaVersions ? { knownSchemaVersions: spec.knownSchemaVersions } : {}),
  });
}
