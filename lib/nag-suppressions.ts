/**
 * Every cdk-nag (AwsSolutions) finding this deployment accepts, each on the narrowest construct and
 * finding id, with the reason it is acceptable. Anything not listed here fails `cdk synth`.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { PipelineStacks } from './app';
import { RUNTIME } from './services/pipeline-function';
import { functions, kafkaMappings, streamMappings } from './topology';

/**
 * Finding ids `<rule>[<finding>]` without a plugin namespace: cdk-nag 3.0.2 matches acknowledgements
 * by the bare id (aws-cdk-lib records them as `Annotation::<id>`), not by the `AwsSolutions::` form
 * the CLI suggests.
 */
const PACK = 'AwsSolutions';
const managedPolicy = (name: string) =>
  `${PACK}-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${name}]`;

const FUNCTION_ACKNOWLEDGEMENTS = {
  basicExecution: {
    id: managedPolicy('AWSLambdaBasicExecutionRole'),
    reason:
      'Lambda logging: logs:CreateLogGroup/CreateLogStream/PutLogEvents only; the function writes to its own log group created by this stack.',
  },
  runtime: {
    id: `${PACK}-L1`,
    reason: `${RUNTIME.name} is the project's chosen runtime (supported until 2027-04-30), the Node major the code and its local twin are tested on; moving to nodejs24.x is a deliberate upgrade, not a synth-time default.`,
  },
  mskExecution: {
    id: managedPolicy('AWSLambdaMSKExecutionRole'),
    reason:
      'Added by ManagedKafkaEventSource: the ESM pollers create ENIs in the cluster subnets (EC2 network-interface actions have no resource-level scoping) and call kafka:DescribeClusterV2. Data-plane access is granted separately, scoped to cluster, topic and group ARNs.',
  },
  vpcAccess: {
    id: managedPolicy('AWSLambdaVPCAccessExecutionRole'),
    reason:
      'The relay runs in the VPC to reach the brokers: ENI management for VPC functions, whose EC2 actions take no resource scoping.',
  },
  listStreams: {
    id: `${PACK}-IAM5[Resource::*]`,
    reason:
      'dynamodb:ListStreams, added by DynamoEventSource, does not support resource-level permissions; stream reads themselves are scoped to the orders table stream.',
  },
} as const;

export function applyNagSuppressions(stacks: PipelineStacks): void {
  const { services, data, streaming } = stacks;
  const consumers = new Set(kafkaMappings.map((m) => m.function));
  const streamReaders = new Set(streamMappings.map((m) => m.function));
  for (const [functionId, fn] of services.functions) {
    const acks: { id: string; reason: string }[] = [
      FUNCTION_ACKNOWLEDGEMENTS.basicExecution,
      FUNCTION_ACKNOWLEDGEMENTS.runtime,
    ];
    if (consumers.has(functionId)) acks.push(FUNCTION_ACKNOWLEDGEMENTS.mskExecution);
    if (functions[functionId].kafkaProducer) acks.push(FUNCTION_ACKNOWLEDGEMENTS.vpcAccess);
    if (streamReaders.has(functionId)) acks.push(FUNCTION_ACKNOWLEDGEMENTS.listStreams);
    Validations.of(fn).acknowledge(...acks);
  }

  for (const queue of services.deadLetterQueues.values()) {
    Validations.of(queue).acknowledge({
      id: `${PACK}-SQS3`,
      reason:
        "This queue is itself a dead-letter destination (ESM on-failure destination and the function's parked records); cdk-nag only recognises redrive-policy DLQs.",
    });
  }

  const api = services.ordersApi.api;
  for (const method of api.methods) {
    Validations.of(method).acknowledge(
      {
        id: `${PACK}-APIG4`,
        reason:
          'Sandbox API without end users: callers need an API key of the usage plan, which throttles and caps them. Put Cognito or IAM auth in front before real use.',
      },
      {
        id: `${PACK}-COG4`,
        reason: 'No Cognito user pool in the sandbox; access is by API key and usage plan (see APIG4).',
      },
    );
  }
  Validations.of(api.deploymentStage).acknowledge(
    {
      id: `${PACK}-APIG6`,
      reason:
        'Execution logging is off on purpose, not for want of the role (the stack sets the account CloudWatch role, see OrdersApi): API Gateway writes execution logs to a log group it creates itself (API-Gateway-Execution-Logs_<api-id>/<stage>), which never expires and is not deleted with the stack. JSON access logs, in a stack-owned group with bounded retention, record every request.',
    },
    {
      id: `${PACK}-APIG3`,
      reason: 'No WAF web ACL in the sandbox (fixed monthly cost); stage and usage-plan throttling bound abuse.',
    },
  );

  // The role API Gateway assumes to write logs for the whole account/region (AWS::ApiGateway::Account).
  Validations.of(child(api, 'CloudWatchRole')).acknowledge({
    id: managedPolicy('AmazonAPIGatewayPushToCloudWatchLogs'),
    reason:
      'The role AWS documents for API Gateway logging (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html): CloudWatch Logs actions only; account-wide by nature, as the log groups API Gateway writes to are chosen per API and stage.',
  });

  // The catalog seed custom resource's function (lib/data/catalog-seed.ts).
  Validations.of(child(child(data, 'InventoryCatalog'), 'Function')).acknowledge(
    FUNCTION_ACKNOWLEDGEMENTS.basicExecution,
    FUNCTION_ACKNOWLEDGEMENTS.runtime,
  );
  // The same provider in the streaming stack, which looks the bootstrap brokers up at deploy time.
  Validations.of(child(streaming, 'AWS679f53fac002430cb0da5b7982bd2287')).acknowledge({
    id: managedPolicy('AWSLambdaBasicExecutionRole'),
    reason: 'The AwsCustomResource provider that reads the MSK bootstrap brokers: logging permissions only.',
  });
}

function child(scope: IConstruct, id: string): IConstruct {
  const found = scope.node.tryFindChild(id);
  if (!found) throw new Error(`nag-suppressions: ${scope.node.path}/${id} not found (did aws-cdk-lib change it?)`);
  return found;
}
