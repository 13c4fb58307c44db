/**
 * A deployed copy of the pipeline as the CLI's `--target aws` sees it: everything read from the stacks'
 * CloudFormation outputs (lib/outputs.ts), since CloudFormation generates the physical names. The
 * stacks are `<prefix>-Streaming` and `<prefix>-Services` (lib/names.ts; prefix = the CDK context
 * `prefix`, default OrderSaga). The API key's value is read with apigateway GetApiKey (includeValue).
 */
import { APIGatewayClient, GetApiKeyCommand } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { deploymentNames } from '../../lib/names';
import { OUTPUT_KEYS } from '../../lib/outputs';
import { type FunctionId, type QueueId, queues, type TopicId, topics } from '../../lib/topology';
import { CliError } from './io';

export const DEFAULT_DEPLOYMENT_PREFIX = 'OrderSaga';

export interface AwsDeployment {
  readonly prefix: string;
  readonly apiUrl: string;
  readonly apiKeyId: string;
  readonly kafkaBrokers: string;
  /** Streaming stack output SchemaVersionIds (JSON); absent on a stack deployed before it existed. */
  readonly schemaVersionIds?: string;
  /** Services stack output ReplayRoleArn; absent on a stack deployed before it existed. */
  readonly replayRoleArn?: string;
  /** Streaming stack output KafkaClusterArn; absent on a stack deployed before it existed. */
  readonly kafkaClusterArn?: string;
  /** A Kafka consumer's physical function name (services stack output), if the stack publishes it. */
  readonly functionName: (fn: FunctionId) => string | undefined;
  readonly pollerGroupName: string;
  readonly queueUrl: (q: QueueId) => string;
  readonly topicName: (t: TopicId) => string;
}

/** The outputs of one stack; a missing stack says which and what to do. */
async function outputsOf(cfn: CloudFormationClient, stackName: string): Promise<Map<string, string>> {
  let stack: { Outputs?: { OutputKey?: string; OutputValue?: string }[] } | undefined;
  try {
    stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  } catch (err) {
    if ((err as Error).name === 'ValidationError' && /does not exist/.test((err as Error).message)) {
      throw new CliError(
        `stack ${stackName} does not exist in this account and region: deploy it (npx cdk deploy --all), or pass the deployment's --prefix`,
      );
    }
    throw err;
  }
  if (!stack) throw new CliError(`stack ${stackName} was not found`);
  return new Map(
    (stack.Outputs ?? []).flatMap((o) => (o.OutputKey && o.OutputValue ? [[o.OutputKey, o.OutputValue]] : [])),
  );
}

export async function describeDeployment(cfn: CloudFormationClient, prefix: string): Promise<AwsDeployment> {
  const names = deploymentNames(prefix).stacks;
  const [streaming, services] = await Promise.all([outputsOf(cfn, names.streaming), outputsOf(cfn, names.services)]);
  const need = (outputs: Map<string, string>, stack: string, key: string): string => {
    const value = outputs.get(key);
    if (value === undefined) {
      throw new CliError(`stack ${stack} has no output ${key}: redeploy it with this version (npx cdk deploy --all)`);
    }
    return value;
  };
  // Read every output now, so a stack from an older version fails here and not halfway through a command.
  const queueUrls = new Map(
    (Object.keys(queues) as QueueId[]).map((q) => [q, need(services, names.services, OUTPUT_KEYS.queueUrl(q))]),
  );
  const topicNames = new Map(
    (Object.keys(topics) as TopicId[]).map((t) => [t, need(streaming, names.streaming, OUTPUT_KEYS.topicName(t))]),
  );
  return {
    prefix,
    apiUrl: need(services, names.services, OUTPUT_KEYS.apiUrl),
    apiKeyId: need(services, names.services, OUTPUT_KEYS.apiKeyId),
    kafkaBrokers: need(streaming, names.streaming, OUTPUT_KEYS.kafkaBrokers),
    ...optionalOutput('schemaVersionIds', streaming.get(OUTPUT_KEYS.schemaVersionIds)),
    ...optionalOutput('replayRoleArn', services.get(OUTPUT_KEYS.replayRoleArn)),
    ...optionalOutput('kafkaClusterArn', streaming.get(OUTPUT_KEYS.kafkaClusterArn)),
    functionName: (fn) => services.get(OUTPUT_KEYS.functionName(fn)),
    pollerGroupName: deploymentNames(prefix).pollerGroup,
    queueUrl: (q) => queueUrls.get(q) as string,
    topicName: (t) => topicNames.get(t) as string,
  };
}

function optionalOutput<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]: string });
}

/** The API key's value (the key the deployed API requires as x-api-key). */
export async function apiKeyValue(apigw: APIGatewayClient, keyId: string): Promise<string> {
  const out = await apigw.send(new GetApiKeyCommand({ apiKey: keyId, includeValue: true }));
  if (!out.value) throw new CliError(`API key ${keyId} has no value readable with these credentials (apigateway:GET)`);
  return out.value;
}

export function awsClients(region: string | undefined): { cfn: CloudFormationClient; apigw: APIGatewayClient } {
  const config = region ? { region } : {};
  return { cfn: new CloudFormationClient(config), apigw: new APIGatewayClient(config) };
}
