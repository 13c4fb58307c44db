/**
 * Where the CLI's commands find SQS, DynamoDB Streams and Kafka, and how they turn a topology id
 * (`inventory-dlq`, `orders`) into a physical name. Two targets:
 * - local (default): the same resolution as the runner (localstack/runner/endpoints.ts): the local servers,
 *   or whatever AWS_ENDPOINT_URL* / KAFKA_BROKERS point at (LocalStack + Redpanda);
 * - aws: the SDK's own endpoint and credential chain, Kafka from KAFKA_BROKERS or MSK_CLUSTER_ARN (IAM).
 * Names are the topology's, prefixed by --prefix / PIPELINE_PREFIX like the runner's isolated copies.
 */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetQueueUrlCommand, QueueDoesNotExist, SQSClient } from '@aws-sdk/client-sqs';
import { Kafka, logLevel } from 'kafkajs';
import { ConfigError } from '../../functions/shared/config';
import { kafkaConfig } from '../../functions/shared/kafka-producer';
import { type QueueId, queues, type TopicId, topics } from '../../lib/topology';
import { clientConfig, endpointsFromEnv } from '../runner/endpoints';
import { type LocalNames, localNames } from '../runner/names';
import { type OptionSpec, type ParsedCommand, stringOpt } from './args';
import { CliError, EXIT, type ExitCode, UsageError } from './io';

export const PREFIX_ENV = 'PIPELINE_PREFIX';
export const TARGET_ENV = 'ORDER_CLI_TARGET';

export const TARGET_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  prefix: {
    type: 'string',
    value: 'PREFIX',
    description: `name prefix of an isolated copy of the topology, e.g. t1234- (env ${PREFIX_ENV})`,
  },
  target: {
    type: 'string',
    value: 'local|aws',
    description: `local: local servers or LocalStack+Redpanda per AWS_ENDPOINT_URL*/KAFKA_BROKERS; aws: SDK defaults, Kafka via KAFKA_BROKERS or MSK_CLUSTER_ARN (env ${TARGET_ENV}; default local)`,
  },
};

export interface Target {
  readonly kind: 'local' | 'aws';
  readonly names: LocalNames;
  readonly sqs: SQSClient;
  readonly streams: DynamoDBStreamsClient;
  /** A kafkajs client (created on first use; MSK needs a broker lookup). */
  readonly kafka: () => Promise<Kafka>;
  /** Where each service is, for error messages. */
  readonly where: { readonly sqs: string; readonly kafka: string };
  readonly close: () => void;
}

const KAFKA_COMMON = {
  clientId: 'order-cli',
  connectionTimeout: 3000,
  logLevel: logLevel.NOTHING,
  // Fail within seconds when the broker is down, instead of kafkajs' default ~10 s of retries
  // (5 retries from 300 ms, doubling: 0.3 + 0.6 + 1.2 + 2.4 + 4.8 s).
  retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
};

export function targetFrom(parsed: ParsedCommand, env: NodeJS.ProcessEnv): Target {
  const kind = stringOpt(parsed, 'target') ?? env[TARGET_ENV] ?? 'local';
  if (kind !== 'local' && kind !== 'aws') throw new UsageError(`--target must be "local" or "aws", got "${kind}"`);
  const prefix = stringOpt(parsed, 'prefix') ?? env[PREFIX_ENV] ?? '';
  let names: LocalNames;
  try {
    names = localNames(prefix);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return kind === 'local' ? localTarget(names, env) : awsTarget(names, env);
}

function localTarget(names: LocalNames, env: NodeJS.ProcessEnv): Target {
  const e = endpointsFromEnv(env);
  const sqs = new SQSClient(clientConfig(e, e.sqs));
  const streams = new DynamoDBStreamsClient(clientConfig(e, e.dynamodbStreams));
  const kafka = new Kafka({ ...KAFKA_COMMON, brokers: [...e.kafkaBrokers] });
  return {
    kind: 'local',
    names,
    sqs,
    streams,
    kafka: async () => kafka,
    where: { sqs: e.sqs, kafka: e.kafkaBrokers.join(',') },
    close: () => {
      sqs.destroy();
      streams.destroy();
    },
  };
}

function awsTarget(names: LocalNames, env: NodeJS.ProcessEnv): Target {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const sqs = new SQSClient(region ? { region } : {});
  const streams = new DynamoDBStreamsClient(region ? { region } : {});
  const brokers = env.KAFKA_BROKERS?.trim();
  const clusterArn = env.MSK_CLUSTER_ARN?.trim();
  let kafka: Promise<Kafka> | undefined;
  const connect = async (): Promise<Kafka> => {
    if (!brokers && !clusterArn) {
      throw new CliError('--target aws needs KAFKA_BROKERS (host:port,...) or MSK_CLUSTER_ARN in the environment');
    }
    // The producer's own resolution (plain brokers, or MSK with IAM auth), with the CLI's client settings.
    try {
      const config = await kafkaConfig({ clientId: KAFKA_COMMON.clientId, brokers, mskClusterArn: clusterArn, region });
      return new Kafka({ ...config, ...KAFKA_COMMON });
    } catch (err) {
      if (err instanceof ConfigError) {
        throw new CliError(`MSK cluster ${clusterArn} has no IAM bootstrap brokers (is IAM auth enabled?)`);
      }
      throw err;
    }
  };
  return {
    kind: 'aws',
    names,
    sqs,
    streams,
    kafka: () => {
      kafka ??= connect();
      return kafka;
    },
    where: {
      sqs: `SQS in ${region ?? 'the default region'}`,
      kafka: brokers ?? clusterArn ?? 'Kafka (not configured)',
    },
    close: () => {
      sqs.destroy();
      streams.destroy();
    },
  };
}

const isQueueId = (s: string): s is QueueId => Object.hasOwn(queues, s);
const isTopicId = (s: string): s is TopicId => Object.hasOwn(topics, s);

/** A topology topic id (`orders`) becomes its physical name under the prefix; anything else is taken as is. */
export const topicName = (target: Target, arg: string): string => (isTopicId(arg) ? target.names.topic(arg) : arg);

export interface ResolvedQueue {
  /** What the user knows it by: the topology id or the name they gave. */
  readonly label: string;
  readonly url: string;
}

/** Accepts a topology queue id (`inventory-dlq`), a physical queue name, or a queue URL. */
export async function resolveQueue(target: Target, arg: string): Promise<ResolvedQueue> {
  if (/^https?:\/\//.test(arg)) return { label: arg.split('/').pop() || arg, url: arg };
  const name = isQueueId(arg) ? target.names.queueName(arg) : arg;
  try {
    const out = await target.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    if (!out.QueueUrl) throw new CliError(`GetQueueUrl for "${name}" returned no URL`);
    return { label: arg, url: out.QueueUrl };
  } catch (err) {
    if (err instanceof QueueDoesNotExist || (err as Error).name === 'QueueDoesNotExist') {
      throw new CliError(
        `queue "${name}" does not exist at ${target.where.sqs}` +
          `${target.names.prefix ? ` (prefix "${target.names.prefix}")` : ''}. ` +
          `Topology queues: ${Object.keys(queues).join(', ')}; is the pipeline provisioned (npm start)?`,
      );
    }
    throw err;
  }
}

/** Every DLQ of the topology that exists; missing ones are reported, not fatal (a partial copy). */
export async function resolveAllQueues(target: Target): Promise<{ found: ResolvedQueue[]; missing: string[] }> {
  const found: ResolvedQueue[] = [];
  const missing: string[] = [];
  for (const id of Object.keys(queues) as QueueId[]) {
    try {
      found.push(await resolveQueue(target, id));
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      missing.push(target.names.queueName(id));
    }
  }
  return { found, missing };
}

/** Network failures reaching a server become one sentence naming the server and what to do. */
export function explainUnreachable(err: unknown, target: Target | undefined): CliError | undefined {
  if (err instanceof CliError) return undefined;
  const text = `${(err as Error)?.name ?? ''} ${(err as Error)?.message ?? ''} ${String((err as { code?: unknown })?.code ?? '')}`;
  const network =
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|KafkaJSConnectionError|KafkaJSNumberOfRetriesExceeded|Connection (error|timeout)/i;
  if (!network.test(text)) return undefined;
  const kafka = /KafkaJS/.test(text);
  const where = kafka ? `Kafka at ${target?.where.kafka ?? '?'}` : `SQS/DynamoDB at ${target?.where.sqs ?? '?'}`;
  const hint =
    target?.kind === 'aws'
      ? 'check the region, credentials and network path (VPC) to the service'
      : 'start the local servers with `npm run backends:start` (or the whole pipeline with `npm start`), or point AWS_ENDPOINT_URL* / KAFKA_BROKERS at yours';
  return new CliError(`cannot reach ${where} (${(err as Error).message}): ${hint}`, EXIT.unavailable);
}

/** Builds the target, runs the body, turns network failures into one clear sentence, and closes the clients. */
export async function withTarget(
  parsed: ParsedCommand,
  io: { readonly env: NodeJS.ProcessEnv },
  body: (target: Target) => Promise<ExitCode>,
): Promise<ExitCode> {
  const target = targetFrom(parsed, io.env);
  try {
    return await body(target);
  } catch (err) {
    throw explainUnreachable(err, target) ?? err;
  } finally {
    target.close();
  }
}
