/**
 * Deployment settings read from CDK context (`cdk.json` or `-c key=value`). Everything that differs
 * between sandboxes lives here; what the pipeline *is* (topics, tables, functions...) lives in
 * topology.ts. Values from `-c` arrive as strings, values from cdk.json as JSON: both are accepted.
 * Bad values fail the synth with a message naming the key.
 */
import * as logs from 'aws-cdk-lib/aws-logs';
import { API_GATEWAY_LIMITS, LAMBDA_LIMITS, MSK_LIMITS } from './aws-limits';
import { boolean, integer, integerIn, optionalString, string } from './context-values';
import { DEFAULT_SAGA_DEADLINES, resolveSagaDeadlines, type SagaDeadlines } from './topology';

/** Context keys, documented in README "Deploy to a sandbox". */
export const CONTEXT_KEYS = {
  prefix: 'prefix',
  mskInstanceType: 'mskInstanceType',
  mskBrokerCount: 'mskBrokerCount',
  mskVolumeGiB: 'mskVolumeGiB',
  mskKafkaVersion: 'mskKafkaVersion',
  alarmEmail: 'alarmEmail',
  retainData: 'retainData',
  logRetentionDays: 'logRetentionDays',
  apiRateLimit: 'apiRateLimit',
  apiBurstLimit: 'apiBurstLimit',
  apiQuotaPerDay: 'apiQuotaPerDay',
  /** Region the stacks are synthesized for (they are pinned to it); see resolveRegion. */
  region: 'region',
  /** AZ IDs of the VPC and the brokers: comma-separated from -c, or a JSON array in cdk.json. */
  mskAzIds: 'mskAzIds',
  relayReservedConcurrency: 'relayReservedConcurrency',
  sagaRedriveAfterSeconds: 'sagaRedriveAfterSeconds',
  sagaExpireAfterSeconds: 'sagaExpireAfterSeconds',
  sagaReconcileEverySeconds: 'sagaReconcileEverySeconds',
} as const;

export interface MskSettings {
  readonly instanceType: string;
  /** A multiple of the number of AZs (2): MSK spreads brokers evenly over the client subnets. */
  readonly brokerCount: number;
  readonly volumeGiB: number;
  readonly kafkaVersion: string;
  /**
   * Availability Zone IDs (use1-az1, not us-east-1a) for the subnets and so the brokers; AZ_COUNT of them.
   * Unset: the region's default (lib/network/msk-availability-zones.ts), which the network stack resolves
   * and validates against `region`.
   */
  readonly azIds?: readonly string[];
}

export interface ApiSettings {
  /** Steady-state requests per second (stage and usage plan). */
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly quotaPerDay: number;
}

export interface DeploymentConfig {
  /** Stack-name and physical-name prefix, so two sandboxes can share an account. */
  readonly prefix: string;
  /**
   * The region every stack is pinned to (the account stays deploy-time). AZ IDs are per region, so the
   * template must know it at synth: see resolveRegion.
   */
  readonly region: string;
  readonly msk: MskSettings;
  /** Email subscribed to the alarm topic (the subscription must be confirmed from the inbox). */
  readonly alarmEmail?: string;
  /** Keep tables and log groups when the stacks are destroyed (default: delete them, it is a sandbox). */
  readonly retainData: boolean;
  readonly logRetentionDays: number;
  readonly api: ApiSettings;
  /**
   * Reserved concurrency of the Kafka producer (outbox relay); unset by default. A reservation may not
   * leave the account less than 100 unreserved executions, so it fails where the quota is small:
   * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
   */
  readonly relayReservedConcurrency?: number;
  /** Saga deadlines (lib/topology.ts SagaDeadlines); the reconciler's schedule is whole minutes here. */
  readonly saga: SagaDeadlines;
}

/** Availability zones the VPC spans; MSK broker count must be a multiple of it. */
export const AZ_COUNT = 2;
/** Oldest Kafka version whose clusters support the MSK topic APIs behind AWS::MSK::Topic. */
const MIN_KAFKA_VERSION: readonly [number, number] = [3, 6];

/** The CDK CLI's own fallback when no profile, variable or flag names a region. */
const DEFAULT_REGION = 'us-east-1';

export const DEFAULTS: DeploymentConfig = {
  prefix: 'OrderSaga',
  region: DEFAULT_REGION,
  msk: { instanceType: 'kafka.t3.small', brokerCount: 2, volumeGiB: 10, kafkaVersion: '3.9.x' },
  retainData: false,
  logRetentionDays: 14,
  api: { rateLimit: 20, burstLimit: 40, quotaPerDay: 50_000 },
  saga: DEFAULT_SAGA_DEADLINES,
};

/**
 * The retention periods CloudWatch Logs accepts, in days, ascending: aws-cdk-lib's RetentionDays
 * without INFINITE (never expire), which this setting does not offer.
 */
const LOG_RETENTION_DAYS: readonly number[] = Object.values(logs.RetentionDays).filter(
  (days): days is logs.RetentionDays => typeof days === 'number' && days !== logs.RetentionDays.INFINITE,
);

export interface ContextSource {
  tryGetContext(key: string): unknown;
}

/** Environment variables the region may come from (process.env by default). */
export type RegionEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * The region to synthesize for, first found of: context `region`; CDK_DEFAULT_REGION (the CDK CLI sets it
 * from --profile / AWS_REGION / the profile's config, without credentials); AWS_REGION; AWS_DEFAULT_REGION;
 * else us-east-1, the CDK CLI's own default. So `cdk deploy` goes where `cdk synth` planned, and synth
 * stays offline.
 */
export function resolveRegion(context: ContextSource, env: RegionEnvironment): string {
  const fromContext = context.tryGetContext(CONTEXT_KEYS.region);
  const candidates: [string, unknown][] = [
    [`context ${CONTEXT_KEYS.region}`, fromContext === '' ? undefined : fromContext],
    ['CDK_DEFAULT_REGION', env.CDK_DEFAULT_REGION],
    ['AWS_REGION', env.AWS_REGION],
    ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION],
  ];
  for (const [source, value] of candidates) {
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string' || !/^[a-z]{2}(-gov)?-[a-z]+-\d+$/.test(value)) {
      throw new Error(`${source}: must be an AWS region code such as us-east-1, got ${JSON.stringify(value)}`);
    }
    return value;
  }
  return DEFAULT_REGION;
}

export function loadDeploymentConfig(context: ContextSource, env: RegionEnvironment = process.env): DeploymentConfig {
  const get = (key: string): unknown => {
    const value = context.tryGetContext(key);
    return value === '' ? undefined : value;
  };
  const k = CONTEXT_KEYS;
  const relayReserved = get(k.relayReservedConcurrency);
  const alarmEmail = optionalString(k.alarmEmail, get(k.alarmEmail), /^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an email address');
  const config: DeploymentConfig = {
    prefix: string(
      k.prefix,
      get(k.prefix),
      DEFAULTS.prefix,
      /^[A-Za-z][A-Za-z0-9]{0,19}$/,
      '1-20 letters/digits, starting with a letter',
    ),
    region: resolveRegion(context, env),
    msk: {
      instanceType: string(
        k.mskInstanceType,
        get(k.mskInstanceType),
        DEFAULTS.msk.instanceType,
        /^kafka\.[a-z0-9]+\.[a-z0-9]+$/,
        'an MSK broker type such as kafka.t3.small',
      ),
      brokerCount: integer(k.mskBrokerCount, get(k.mskBrokerCount), DEFAULTS.msk.brokerCount, AZ_COUNT, 30),
      volumeGiB: integerIn(k.mskVolumeGiB, get(k.mskVolumeGiB), DEFAULTS.msk.volumeGiB, MSK_LIMITS.volumeGiB),
      kafkaVersion: kafkaVersion(get(k.mskKafkaVersion)),
      ...optionalAzIds(get(k.mskAzIds)),
    },
    ...(alarmEmail ? { alarmEmail } : {}),
    retainData: boolean(k.retainData, get(k.retainData), DEFAULTS.retainData),
    logRetentionDays: integer(
      k.logRetentionDays,
      get(k.logRetentionDays),
      DEFAULTS.logRetentionDays,
      Math.min(...LOG_RETENTION_DAYS),
      Math.max(...LOG_RETENTION_DAYS),
    ),
    api: {
      rateLimit: integerIn(k.apiRateLimit, get(k.apiRateLimit), DEFAULTS.api.rateLimit, API_GATEWAY_LIMITS.rateLimit),
      burstLimit: integerIn(
        k.apiBurstLimit,
        get(k.apiBurstLimit),
        DEFAULTS.api.burstLimit,
        API_GATEWAY_LIMITS.burstLimit,
      ),
      quotaPerDay: integer(k.apiQuotaPerDay, get(k.apiQuotaPerDay), DEFAULTS.api.quotaPerDay, 1, 100_000_000),
    },
    // 0 would throttle every invocation (a paused relay), so 1 is the least; at most the default account quota.
    ...(relayReserved === undefined
      ? {}
      : {
          relayReservedConcurrency: integer(
            k.relayReservedConcurrency,
            relayReserved,
            0,
            1,
            LAMBDA_LIMITS.defaultAccountConcurrency,
          ),
        }),
    saga: sagaDeadlines(get),
  };
  if (config.msk.brokerCount % AZ_COUNT !== 0) {
    throw new Error(
      `context ${k.mskBrokerCount}: must be a multiple of ${AZ_COUNT} (one broker set per AZ), got ${config.msk.brokerCount}`,
    );
  }
  if (!LOG_RETENTION_DAYS.includes(config.logRetentionDays)) {
    throw new Error(
      `context ${k.logRetentionDays}: must be one of ${LOG_RETENTION_DAYS.join(', ')}, got ${config.logRetentionDays}`,
    );
  }
  if (config.api.burstLimit < config.api.rateLimit) {
    throw new Error(
      `context ${k.apiBurstLimit}: must be >= ${k.apiRateLimit} (${config.api.rateLimit}), got ${config.api.burstLimit}`,
    );
  }
  return config;
}

const SAGA_KEYS: { readonly [K in keyof SagaDeadlines]: string } = {
  redriveAfterSeconds: CONTEXT_KEYS.sagaRedriveAfterSeconds,
  expireAfterSeconds: CONTEXT_KEYS.sagaExpireAfterSeconds,
  reconcileEverySeconds: CONTEXT_KEYS.sagaReconcileEverySeconds,
};

function sagaDeadlines(get: (key: string) => unknown): SagaDeadlines {
  const saga = resolveSagaDeadlines(
    {
      redriveAfterSeconds: get(SAGA_KEYS.redriveAfterSeconds),
      expireAfterSeconds: get(SAGA_KEYS.expireAfterSeconds),
      reconcileEverySeconds: get(SAGA_KEYS.reconcileEverySeconds),
    },
    (key) => `context ${SAGA_KEYS[key]}`,
  );
  // EventBridge schedule rates are whole minutes.
  if (saga.reconcileEverySeconds % 60 !== 0) {
    throw new Error(
      `context ${SAGA_KEYS.reconcileEverySeconds}: must be a multiple of 60 (EventBridge rates are whole minutes), got ${saga.reconcileEverySeconds}`,
    );
  }
  return saga;
}

function kafkaVersion(value: unknown): string {
  const key = CONTEXT_KEYS.mskKafkaVersion;
  const version = string(
    key,
    value,
    DEFAULTS.msk.kafkaVersion,
    /^\d+\.\d+\.[0-9x]+(\.kraft)?$/,
    'an MSK Kafka version such as 3.9.x',
  );
  const [major, minor] = version.split('.').map(Number) as [number, number];
  const [minMajor, minMinor] = MIN_KAFKA_VERSION;
  if (major < minMajor || (major === minMajor && minor < minMinor)) {
    throw new Error(`context ${key}: AWS::MSK::Topic needs Kafka >= ${minMajor}.${minMinor}, got ${version}`);
  }
  return version;
}

/** `mskAzIds`: "use1-az1,use1-az2" from -c or ["use1-az1","use1-az2"] from cdk.json; region checks come later. */
function optionalAzIds(value: unknown): { azIds?: readonly string[] } {
  const key = CONTEXT_KEYS.mskAzIds;
  if (value === undefined) return {};
  const list =
    typeof value === 'string'
      ? value.split(',').map((id) => id.trim())
      : Array.isArray(value) && value.every((id) => typeof id === 'string')
        ? (value as string[])
        : undefined;
  if (!list || list.some((id) => !/^[a-z0-9]+-az\d+$/.test(id))) {
    throw new Error(
      `context ${key}: must be AZ IDs such as use1-az1,use1-az2 (a comma-separated string or a JSON array), got ${JSON.stringify(value)}`,
    );
  }
  return { azIds: list };
}
