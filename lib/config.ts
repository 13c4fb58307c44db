/**
 * Deployment settings read from CDK context (`cdk.json` or `-c key=value`). Everything that differs
 * between sandboxes lives here; what the pipeline *is* (topics, tables, functions...) lives in
 * topology.ts. Values from `-c` arrive as strings, values from cdk.json as JSON: both are accepted.
 * Bad values fail the synth with a message naming the key.
 */
import * as logs from 'aws-cdk-lib/aws-logs';
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
  readonly msk: MskSettings;
  /** Email subscribed to the alarm topic (the subscription must be confirmed from the inbox). */
  readonly alarmEmail?: string;
  /** Keep tables and log groups when the stacks are destroyed (default: delete them, it is a sandbox). */
  readonly retainData: boolean;
  readonly logRetentionDays: number;
  readonly api: ApiSettings;
  /** Saga deadlines (lib/topology.ts SagaDeadlines); the reconciler's schedule is whole minutes here. */
  readonly saga: SagaDeadlines;
}

/** Availability zones the VPC spans; MSK broker count must be a multiple of it. */
export const AZ_COUNT = 2;
/** Oldest Kafka version whose clusters support the MSK topic APIs behind AWS::MSK::Topic. */
export const MIN_KAFKA_VERSION: readonly [number, number] = [3, 6];

export const DEFAULTS: DeploymentConfig = {
  prefix: 'OrderSaga',
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

export function loadDeploymentConfig(context: ContextSource): DeploymentConfig {
  const get = (key: string): unknown => {
    const value = context.tryGetContext(key);
    return value === '' ? undefined : value;
  };
  const k = CONTEXT_KEYS;
  const alarmEmail = optionalString(k.alarmEmail, get(k.alarmEmail), /^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an email address');
  const config: DeploymentConfig = {
    prefix: string(
      k.prefix,
      get(k.prefix),
      DEFAULTS.prefix,
      /^[A-Za-z][A-Za-z0-9]{0,19}$/,
      '1-20 letters/digits, starting with a letter',
    ),
    msk: {
      instanceType: string(
        k.mskInstanceType,
        get(k.mskInstanceType),
        DEFAULTS.msk.instanceType,
        /^kafka\.[a-z0-9]+\.[a-z0-9]+$/,
        'an MSK broker type such as kafka.t3.small',
      ),
      brokerCount: integer(k.mskBrokerCount, get(k.mskBrokerCount), DEFAULTS.msk.brokerCount, AZ_COUNT, 30),
      volumeGiB: integer(k.mskVolumeGiB, get(k.mskVolumeGiB), DEFAULTS.msk.volumeGiB, 1, 16384),
      kafkaVersion: kafkaVersion(get(k.mskKafkaVersion)),
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
      rateLimit: integer(k.apiRateLimit, get(k.apiRateLimit), DEFAULTS.api.rateLimit, 1, 10_000),
      burstLimit: integer(k.apiBurstLimit, get(k.apiBurstLimit), DEFAULTS.api.burstLimit, 1, 5_000),
      quotaPerDay: integer(k.apiQuotaPerDay, get(k.apiQuotaPerDay), DEFAULTS.api.quotaPerDay, 1, 100_000_000),
    },
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

function string(key: string, value: unknown, fallback: string, pattern: RegExp, what: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !pattern.test(value))
    throw new Error(`context ${key}: must be ${what}, got ${JSON.stringify(value)}`);
  return value;
}

function optionalString(key: string, value: unknown, pattern: RegExp, what: string): string | undefined {
  return value === undefined ? undefined : string(key, value, '', pattern, what);
}

function integer(key: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new Error(`context ${key}: must be an integer in ${min}..${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

function boolean(key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${key}: must be true or false, got ${JSON.stringify(value)}`);
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
