/**
 * Where the CLI's commands find SQS, DynamoDB Streams and Kafka, and how they turn a topology id
 * (`inventory-dlq`, `orders`) into a physical name. Two targets:
 * - local (default): the same resolution as the runner (localstack/runner/endpoints.ts): the local servers,
 *   or whatever AWS_ENDPOINT_URL* / KAFKA_BROKERS point at (LocalStack + Redpanda);
 * - aws: the SDK's own endpoint and credential chain; queues, topics and the Kafka brokers (IAM auth) from
 *   the deployed stacks' CloudFormation outputs (aws-deployment.ts), since CloudFormation generates the
 *   physical names; KAFKA_BROKERS / MSK_CLUSTER_ARN in the environment override the brokers.
 * Local names are the topology's, prefixed by --prefix / PIPELINE_PREFIX like the runner's isolated
 * copies; on aws --prefix is the deployment's stack prefix (CDK context `prefix`, default OrderSaga).
 */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetQueueUrlCommand, QueueDoesNotExist, SQSClient } from '@aws-sdk/client-sqs';
import { Kafka, logLevel } from 'kafkajs';
import { ConfigError } from '../../functions/shared/config';
import { type KafkaConnectionSettings, kafkaConfig, kafkaSettingsFromEnv } from '../../functions/shared/kafka-producer';
import { SCHEMA_VERSION_IDS_ENV, SchemaVersionIds, schemaVersionIdsFromEnv } from '../../functions/shared/schema-ids';
import { OUTPUT_KEYS } from '../../lib/outputs';
import { type QueueId, queues, type TopicId, topics } from '../../lib/topology';
import { clientConfig, endpointsFromEnv } from '../runner/endpoints';
import { type LocalNames, localNames } from '../runner/names';
import { localRegistryName, registerSchemas } from '../runner/schema-registry-twin';
import { type OptionSpec, type ParsedCommand, stringOpt } from './args';
import { type AwsDeployment, awsClients, DEFAULT_DEPLOYMENT_PREFIX, describeDeployment } from './aws-deployment';
import { CliError, EXIT, type ExitCode, UsageError } from './io';

export const PREFIX_ENV = 'PIPELINE_PREFIX';
export const TARGET_ENV = 'ORDER_CLI_TARGET';

export const TARGET_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  prefix: {
    type: 'string',
    value: 'PREFIX',
    description: `local: name prefix of an isolated copy of the topology, e.g. t1234-; aws: the deployment's stack prefix (default ${DEFAULT_DEPLOYMENT_PREFIX}) (env ${PREFIX_ENV})`,
  },
  target: {
    type: 'string',
    value: 'local|aws',
    description: `local: local servers or LocalStack+Redpanda per AWS_ENDPOINT_URL*/KAFKA_BROKERS; aws: SDK defaults, names and brokers from the stacks' outputs (env ${TARGET_ENV}; default local)`,
  },
};

export interface Target {
  readonly kind: 'local' | 'aws';
  readonly names: LocalNames;
  /** On aws: a topology queue's URL from the stack outputs (no GetQueueUrl by a guessed name). */
  readonly queueUrlOf?: (q: QueueId) => string;
  readonly sqs: SQSClient;
  readonly streams: DynamoDBStreamsClient;
  /** A kafkajs client (created on first use; MSK needs a broker lookup). */
  readonly kafka: () => Promise<Kafka>;
  /** On aws: the deployed stacks' outputs. */
  readonly deployment?: AwsDeployment;
  /** The schema registry's version ids: the twin's for a local copy, the stack output's on aws. */
  readonly schemaVersionIds: () => Promise<SchemaVersionIds>;
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

export async function targetFrom(parsed: ParsedCommand, env: NodeJS.ProcessEnv): Promise<Target> {
  const kind = stringOpt(parsed, 'target') ?? env[TARGET_ENV] ?? 'local';
  if (kind !== 'local' && kind !== 'aws') throw new UsageError(`--target must be "local" or "aws", got "${kind}"`);
  const prefix = stringOpt(parsed, 'prefix') ?? env[PREFIX_ENV];
  if (kind === 'aws') return awsTarget(prefix ?? DEFAULT_DEPLOYMENT_PREFIX, env);
  let names: LocalNames;
  try {
    names = localNames(prefix ?? '');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return localTarget(names, env);
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
    schemaVersionIds: async () => new SchemaVersionIds(registerSchemas(localRegistryName(names.prefix))),
    where: { sqs: e.sqs, kafka: e.kafkaBrokers.join(',') },
    close: () => {
      sqs.destroy();
      streams.destroy();
    },
  };
}

/** The names a deployed copy has: topics and queues from its outputs; nothing else is looked up by name. */
function deployedNames(d: AwsDeployment): LocalNames {
  const notOnAws = (what: string) => (): never => {
    throw new CliError(`${what} names are not resolved on --target aws`);
  };
  return {
    prefix: d.prefix,
    topic: d.topicName,
    queueName: (q) => d.queueUrl(q).split('/').pop() ?? q,
    table: notOnAws('table'),
    consumerGroup: notOnAws('consumer group'),
    functionName: notOnAws('function'),
  };
}

/**
 * Kafka on aws: the deployment's KafkaBrokers output with IAM auth; KAFKA_BROKERS or MSK_CLUSTER_ARN in
 * the environment override it (e.g. a tunnel into the VPC), with KAFKA_AUTH defaulting to iam there too.
 */
export function awsKafkaSettings(
  deployment: AwsDeployment,
  env: NodeJS.ProcessEnv,
  region: string | undefined,
): KafkaConnectionSettings {
  if (env.KAFKA_BROKERS?.trim() || env.MSK_CLUSTER_ARN?.trim()) {
    const fromEnv = kafkaSettingsFromEnv(KAFKA_COMMON.clientId, { ...env, KAFKA_AUTH: env.KAFKA_AUTH || 'iam' });
    return { ...fromEnv, region: region ?? fromEnv.region };
  }
  return { clientId: KAFKA_COMMON.clientId, brokers: deployment.kafkaBrokers, auth: 'iam', region };
}

async function awsTarget(prefix: string, env: NodeJS.ProcessEnv): Promise<Target> {
  if (!/^[A-Za-z][A-Za-z0-9-]{0,63}$/.test(prefix)) {
    throw new UsageError(
      `--prefix "${prefix}" is not a deployment prefix (letters, digits, '-'), e.g. ${DEFAULT_DEPLOYMENT_PREFIX}`,
    );
  }
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const { cfn, apigw } = awsClients(region);
  let deployment: AwsDeployment;
  try {
    deployment = await describeDeployment(cfn, prefix);
  } finally {
    cfn.destroy();
    apigw.destroy();
  }
  const sqs = new SQSClient(region ? { region } : {});
  const streams = new DynamoDBStreamsClient(region ? { region } : {});
  const settings = awsKafkaSettings(deployment, env, region);
  let kafka: Promise<Kafka> | undefined;
  const connect = async (): Promise<Kafka> => {
    try {
      return new Kafka({ ...(await kafkaConfig(settings)), ...KAFKA_COMMON });
    } catch (err) {
      if (err instanceof ConfigError) throw new CliError(err.message);
      throw err;
    }
  };
  return {
    kind: 'aws',
    deployment,
    names: deployedNames(deployment),
    queueUrlOf: deployment.queueUrl,
    sqs,
    streams,
    kafka: () => {
      kafka ??= connect();
      return kafka;
    },
    schemaVersionIds: async () => deployedSchemaVersionIds(deployment),
    where: {
      sqs: `SQS in ${region ?? 'the default region'}`,
      kafka: settings.brokers ?? settings.mskClusterArn ?? 'Kafka',
    },
    close: () => {
      sqs.destroy();
      streams.destroy();
    },
  };
}

/** The streaming stack's SchemaVersionIds output (the Glue ids), read as the functions read SCHEMA_VERSION_IDS. */
function deployedSchemaVersionIds(deployment: AwsDeployment): SchemaVersionIds {
  if (!deployment.schemaVersionIds) {
    throw new CliError(
      `the streaming stack has no output ${OUTPUT_KEYS.schemaVersionIds}: redeploy it with this version (npx cdk deploy --all)`,
    );
  }
  try {
    return schemaVersionIdsFromEnv({ [SCHEMA_VERSION_IDS_ENV]: deployment.schemaVersionIds });
  } catch (err) {
    throw new CliError(`output ${OUTPUT_KEYS.schemaVersionIds}: ${(err as Error).message}`);
  }
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
  if (isQueueId(arg) && target.queueUrlOf) return { label: arg, url: target.queueUrlOf(arg) };
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
  const target = await targetFrom(parsed, io.env);
  try {
    return await body(target);
  } catch (err) {
    throw explainUnreachable(err, target) ?? err;
  } finally {
    target.close();
  }
}
