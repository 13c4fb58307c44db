/**
 * The AWS limits the project relies on, named once: the CDK validation (lib/config.ts, the constructs)
 * and the local twins (localstack/runner) check against the same numbers, so a value the twin accepts
 * is one CloudFormation accepts. Pure data, no imports: functions, CDK and runner can all load it.
 * Pinned by lib/aws-limits.test.ts (the lib/ checks) and the twins' own tests.
 */

/** An inclusive range of accepted values. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

const inRange = (value: number, { min, max }: Range): boolean => value >= min && value <= max;
export const wholeInRange = (value: number, range: Range): boolean => Number.isInteger(value) && inRange(value, range);

/**
 * Event source mappings (Amazon MSK and DynamoDB Streams), from the CreateEventSourceMapping reference:
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
 */
export const ESM_LIMITS = {
  /** BatchSize: "Amazon MSK – Default 100. Max 10,000"; "DynamoDB Streams – Default 100. Max 10,000". */
  batchSize: { min: 1, max: 10_000 },
  /** MaximumBatchingWindowInSeconds: 0 to 300 (whole seconds in CloudFormation). */
  batchingWindowSeconds: { min: 0, max: 300 },
  /** MSK's own default window when none is set (a fraction of a second CloudFormation cannot express). */
  mskDefaultBatchingWindowSeconds: 0.5,
  /** MaximumRecordAgeInSeconds: -1 (infinite) or 60 to 604,800 (7 days). */
  recordAgeSeconds: { min: 60, max: 604_800 },
  /** MaximumRetryAttempts: -1 (infinite) or 0 to 10,000. */
  retryAttempts: { min: 0, max: 10_000 },
  /** The value both of the above use for "infinite". */
  infinite: -1,
  /**
   * "Infinite" retries end after 10 when the mapping has an on-failure destination (every mapping here):
   * https://docs.aws.amazon.com/lambda/latest/dg/kafka-retry-configurations.html
   */
  infiniteRetryCap: 10,
} as const;

/**
 * Lambda quotas: https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 * 6 MB for a synchronous invocation's request (what an event source mapping's batch must fit in), and
 * the default concurrency quota of an account (1,000 concurrent executions).
 */
export const LAMBDA_LIMITS = {
  syncPayloadBytes: 6 * 1024 * 1024,
  defaultAccountConcurrency: 1000,
} as const;

/**
 * API Gateway REST API quotas: https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
 * 10 MB payload; the account-level throttle of 10,000 requests per second with a burst of 5,000 (a stage
 * or usage plan cannot be configured above them).
 */
export const API_GATEWAY_LIMITS = {
  payloadBytes: 10 * 1024 * 1024,
  rateLimit: { min: 1, max: 10_000 },
  burstLimit: { min: 1, max: 5_000 },
} as const;

/**
 * SQS MessageRetentionPeriod: 60 seconds to 1,209,600 seconds (14 days):
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 */
export const SQS_LIMITS = {
  retentionSeconds: { min: 60, max: 1_209_600 },
} as const;

/**
 * Amazon MSK broker storage: 1 to 16,384 GiB per broker:
 * https://docs.aws.amazon.com/msk/latest/developerguide/limits.html
 */
export const MSK_LIMITS = {
  volumeGiB: { min: 1, max: 16_384 },
} as const;

/** The settings of an event source mapping that CreateEventSourceMapping bounds. */
export interface MappingSettings {
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly retryAttempts: number;
  readonly maxRecordAgeSeconds: number;
}

/**
 * What in a mapping's settings AWS would refuse (empty when nothing). The API and CloudFormation take
 * the window in whole seconds; the local twins also take fractions (tests use sub-second windows, and
 * MSK's own 0.5 s default is a fraction), hence `wholeSecondWindow`.
 */
export function mappingLimitProblems(
  m: MappingSettings,
  { wholeSecondWindow }: { wholeSecondWindow: boolean },
): string[] {
  const { batchSize, batchingWindowSeconds, recordAgeSeconds, retryAttempts, infinite } = ESM_LIMITS;
  const problems: string[] = [];
  if (!wholeInRange(m.batchSize, batchSize)) {
    problems.push(`batchSize must be a whole number ${batchSize.min}..${batchSize.max}, got ${m.batchSize}`);
  }
  const window = m.maxBatchingWindowSeconds;
  if (!inRange(window, batchingWindowSeconds) || (wholeSecondWindow && !Number.isInteger(window))) {
    const what = wholeSecondWindow ? 'a whole number ' : '';
    problems.push(
      `maxBatchingWindowSeconds must be ${what}${batchingWindowSeconds.min}..${batchingWindowSeconds.max}, got ${window}`,
    );
  }
  if (m.retryAttempts !== infinite && !wholeInRange(m.retryAttempts, retryAttempts)) {
    problems.push(
      `retryAttempts must be ${infinite} or ${retryAttempts.min}..${retryAttempts.max}, got ${m.retryAttempts}`,
    );
  }
  if (m.maxRecordAgeSeconds !== infinite && !wholeInRange(m.maxRecordAgeSeconds, recordAgeSeconds)) {
    problems.push(
      `maxRecordAgeSeconds must be ${infinite} or ${recordAgeSeconds.min}..${recordAgeSeconds.max}, got ${m.maxRecordAgeSeconds}`,
    );
  }
  return problems;
}
