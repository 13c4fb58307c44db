/**
 * Where the runner's twins and the functions they invoke find DynamoDB, SQS and Kafka. Defaults are the
 * foundation's local servers (localstack/backends); standard variables in the environment override them,
 * so the same runner drives LocalStack + Redpanda (AWS_ENDPOINT_URL=http://localhost:4566,
 * KAFKA_BROKERS=localhost:19092) without code changes.
 */
import { backendEnv, LOCAL_ACCOUNT_ID } from '../backends/config';

export interface LocalEndpoints {
  readonly region: string;
  readonly accountId: string;
  readonly dynamodb: string;
  readonly dynamodbStreams: string;
  readonly sqs: string;
  readonly kafkaBrokers: readonly string[];
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): LocalEndpoints {
  const defaults = backendEnv();
  const pick = (...names: string[]): string => {
    for (const n of names) {
      const v = env[n]?.trim();
      if (v) return v;
    }
    for (const n of names) if (defaults[n]) return defaults[n];
    throw new Error(`no value for ${names.join(' / ')}`);
  };
  const dynamodb = pick('AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL');
  const brokers = pick('KAFKA_BROKERS')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is empty: give host:port[,host:port...]');
  return {
    region: pick('AWS_REGION', 'AWS_DEFAULT_REGION'),
    accountId: LOCAL_ACCOUNT_ID,
    dynamodb,
    dynamodbStreams: env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS?.trim() || dynamodb,
    sqs: pick('AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL'),
    kafkaBrokers: brokers,
    credentials: { accessKeyId: pick('AWS_ACCESS_KEY_ID'), secretAccessKey: pick('AWS_SECRET_ACCESS_KEY') },
  };
}

/** The variables a function needs to reach the same servers (added to its topology environment). */
export function endpointEnv(e: LocalEndpoints): Record<string, string> {
  return {
    AWS_REGION: e.region,
    AWS_DEFAULT_REGION: e.region,
    AWS_ACCESS_KEY_ID: e.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: e.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: e.dynamodb,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: e.dynamodbStreams,
    AWS_ENDPOINT_URL_SQS: e.sqs,
    KAFKA_BROKERS: e.kafkaBrokers.join(','),
  };
}

/** SDK client options for the runner's own clients (provisioning, twins). */
/** `cacheMiddleware`: the twins add no middleware, so resolving it once per command saves CPU per call
 * (as in functions/shared/aws-clients.ts). */
export const clientConfig = (e: LocalEndpoints, endpoint: string) => ({
  region: e.region,
  endpoint,
  credentials: { ...e.credentials },
  cacheMiddleware: true,
});
