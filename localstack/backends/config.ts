/**
 * Where the local backends listen and where their files go. Everything is overridable by
 * environment variables so several checkouts (or a CI run next to a developer's servers) can run
 * side by side on different ports. Pure: no I/O, safe to import from jest setup files.
 */
import { resolve } from 'node:path';
import { BackendError } from './errors';

export type BackendId = 'kafka' | 'dynamodb' | 'sqs';
export const backendIds: readonly BackendId[] = ['kafka', 'dynamodb', 'sqs'];

/** The region and dummy credentials every local client uses (the servers accept any). */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** SDK client options for a readiness probe: one attempt, short timeouts (the caller polls until ready). */
export const probeClientConfig = (endpoint: string) =>
  ({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 2000, requestTimeout: 5000 },
  }) as const;

export const KAFKA_VERSION = '4.1.1';
export const LOG4J_VERSION = '2.24.3';
export const ELASTICMQ_VERSION = '1.7.1';

/** Environment variables that override the defaults (documented in README "Configuration"). */
export const settingVars = {
  host: 'LOCAL_BACKENDS_HOST',
  kafkaPort: 'LOCAL_KAFKA_PORT',
  kafkaControllerPort: 'LOCAL_KAFKA_CONTROLLER_PORT',
  dynamodbPort: 'LOCAL_DYNAMODB_PORT',
  sqsPort: 'LOCAL_SQS_PORT',
  stateDir: 'LOCAL_BACKENDS_STATE_DIR',
  cacheDir: 'LOCAL_BACKENDS_CACHE_DIR',
  mavenRepo: 'LOCAL_BACKENDS_MAVEN_REPO',
} as const;

export interface BackendSettings {
  /** Repository root (the checkout these servers belong to). */
  readonly root: string;
  /** Host the servers bind to and clients connect to. */
  readonly host: string;
  readonly kafkaPort: number;
  readonly kafkaControllerPort: number;
  readonly dynamodbPort: number;
  readonly sqsPort: number;
  /** Logs, pid files and server data (git-ignored). */
  readonly stateDir: string;
  /** Downloaded server jars (git-ignored), fetched once and reused. */
  readonly cacheDir: string;
  /** Maven local repository to download through; undefined = Maven's own default (~/.m2). */
  readonly mavenRepo: string | undefined;
}

const ROOT = resolve(__dirname, '..', '..');

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new BackendError(`${name}=${raw} is not a valid TCP port: use an integer between 1 and 65535.`);
  }
  return value;
}

export function backendSettings(env: NodeJS.ProcessEnv = process.env): BackendSettings {
  const host = env[settingVars.host] || '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) {
    throw new BackendError(`${settingVars.host}=${host} is not a host name or IP address.`);
  }
  const settings: BackendSettings = {
    root: ROOT,
    host,
    kafkaPort: port(env, settingVars.kafkaPort, 9092),
    kafkaControllerPort: port(env, settingVars.kafkaControllerPort, 9093),
    dynamodbPort: port(env, settingVars.dynamodbPort, 8000),
    sqsPort: port(env, settingVars.sqsPort, 9324),
    stateDir: resolve(ROOT, env[settingVars.stateDir] || '.local/backends'),
    cacheDir: resolve(ROOT, env[settingVars.cacheDir] || '.cache'),
    mavenRepo: env[settingVars.mavenRepo] ? resolve(ROOT, env[settingVars.mavenRepo] as string) : undefined,
  };
  const ports = [settings.kafkaPort, settings.kafkaControllerPort, settings.dynamodbPort, settings.sqsPort];
  if (new Set(ports).size !== ports.length) {
    throw new BackendError(
      `Two local backends were given the same port (${ports.join(', ')}); set distinct values for ` +
        `${settingVars.kafkaPort}, ${settingVars.kafkaControllerPort}, ${settingVars.dynamodbPort}, ${settingVars.sqsPort}.`,
    );
  }
  return settings;
}

/** URL host part: IPv6 literals need brackets. */
const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

export const endpoints = (s: BackendSettings) => ({
  kafkaBrokers: `${urlHost(s.host)}:${s.kafkaPort}`,
  dynamodb: `http://${urlHost(s.host)}:${s.dynamodbPort}`,
  sqs: `http://${urlHost(s.host)}:${s.sqsPort}`,
});

/**
 * The environment that points the project's code (AWS SDK v3 and kafkajs) at the local servers.
 * Only standard variables: the same code reaches LocalStack + Redpanda or AWS by changing them.
 */
export function backendEnv(s: BackendSettings = backendSettings()): Record<string, string> {
  const e = endpoints(s);
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: e.dynamodb,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: e.dynamodb,
    AWS_ENDPOINT_URL_SQS: e.sqs,
    KAFKA_BROKERS: e.kafkaBrokers,
  };
}
