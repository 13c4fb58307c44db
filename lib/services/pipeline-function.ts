/**
 * PipelineFunction: one Lambda function of the topology with everything every function shares, and the
 * grant helpers that give it exactly what its code calls. Defaults (none of them configurable per
 * function, so every function is built alike):
 * - bundled by esbuild on this machine (never Docker), CommonJS, minified, the AWS SDK bundled
 *   (lib/bundling.ts); the source map ships beside the bundle but is not enabled: --enable-source-maps
 *   parses it at every cold start (+14 ms on the bench). To read stack traces while debugging, set
 *   NODE_OPTIONS=--enable-source-maps on the function;
 * - Node.js 22 (lib/runtime.ts) on arm64, memory, timeout, entry and description from the topology;
 * - its own log group, retention `logRetentionDays`, removed per `removalPolicy`;
 * - active X-Ray tracing (`tracing`, default ACTIVE): Lambda samples invocations and records their
 *   segment, the Powertools Tracer in the code adds subsegments (functions/shared/tracing.ts), and CDK
 *   adds xray:PutTraceSegments / xray:PutTelemetryRecords to the role
 *   (https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html);
 * - only Kafka producers run in the VPC (the brokers are VPC-only), and they must.
 */
import { join } from 'node:path';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { BUNDLE_EXTERNALS, BUNDLE_MAIN_FIELDS, BUNDLE_TARGET } from '../bundling';
import type { DeploymentConfig } from '../config';
import { LAMBDA_NODE_RUNTIME } from '../runtime';
import type { KafkaResourceArns } from '../streaming/kafka-arns';
import { type FunctionId, functions, kafkaMappings, type TableId, type TopicId } from '../topology';
import { kafkaConsumerStatements, kafkaProducerStatements } from './kafka-access';
import { tableAccessStatements, tableCallsOf } from './table-access';

export const REPO_ROOT = join(__dirname, '..', '..');

/**
 * The NodejsFunction bundling of every function the stacks deploy (lib/bundling.ts settings, local esbuild,
 * never Docker). `sourceMap`: stack traces map to the sources (without embedding them).
 */
export function esbuildBundling(options: { readonly sourceMap: boolean }) {
  return {
    bundling: {
      minify: true,
      sourceMap: options.sourceMap,
      ...(options.sourceMap ? { sourcesContent: false } : {}),
      target: BUNDLE_TARGET,
      format: OutputFormat.CJS,
      externalModules: [...BUNDLE_EXTERNALS],
      mainFields: [...BUNDLE_MAIN_FIELDS],
      forceDockerBundling: false,
    },
    depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
    projectRoot: REPO_ROOT,
  };
}
/** lib/runtime.ts LAMBDA_NODE_RUNTIME, which the local Node version check reads too. */
export const RUNTIME = new lambda.Runtime(LAMBDA_NODE_RUNTIME, lambda.RuntimeFamily.NODEJS, {
  supportsInlineCode: true,
});

/** The reservation a function gets: the relay's from context (opt-in), any other's from the topology. */
export function reservedConcurrencyOf(functionId: FunctionId, config: DeploymentConfig): number | undefined {
  const spec = functions[functionId];
  return spec.kafkaProducer ? (config.relayReservedConcurrency ?? spec.reservedConcurrency) : spec.reservedConcurrency;
}

/** The retention periods CloudWatch Logs accepts (logs.RetentionDays, INFINITE excluded: bounded retention). */
const RETENTION_DAYS = new Set<number>(
  Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number' && v > 0),
);

/** https://docs.aws.amazon.com/lambda/latest/api/API_Environment.html (Variables key pattern). */
const ENV_NAME = /^[a-zA-Z][a-zA-Z0-9_]+$/;

export interface PipelineFunctionProps {
  readonly functionId: FunctionId;
  /** The topology's environment for this function plus target-specific settings. */
  readonly environment: Readonly<Record<string, string>>;
  /** One of the periods CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, … days). */
  readonly logRetentionDays: number;
  readonly removalPolicy: RemovalPolicy;
  /** Reserved concurrency, an integer ≥ 1 (default: the account's unreserved pool); see reservedConcurrencyOf. */
  readonly reservedConcurrency?: number;
  /** Required for, and only allowed on, functions that produce to Kafka (VPC-only brokers). */
  readonly vpc?: {
    readonly vpc: ec2.IVpc;
    readonly subnets: ec2.SubnetSelection;
    readonly securityGroups: readonly ec2.ISecurityGroup[];
  };
  /** X-Ray tracing mode. Default: ACTIVE. */
  readonly tracing?: lambda.Tracing;
}

export class PipelineFunction extends NodejsFunction {
  readonly functionId: FunctionId;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    validate(props);
    const spec = functions[props.functionId];
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetentionDays,
      removalPolicy: props.removalPolicy,
    });
    super(scope, id, {
      entry: join(REPO_ROOT, spec.entry),
      handler: 'handler',
      description: spec.description,
      runtime: RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      ...(props.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      environment: { ...props.environment },
      logGroup,
      tracing: props.tracing ?? lambda.Tracing.ACTIVE,
      ...(props.vpc
        ? { vpc: props.vpc.vpc, vpcSubnets: props.vpc.subnets, securityGroups: [...props.vpc.securityGroups] }
        : {}),
      ...esbuildBundling({ sourceMap: true }),
    });
    this.functionId = props.functionId;
  }

  /** Exactly the DynamoDB calls the function's code makes on each of its tables (table-access.ts). */
  grantTableCalls(tableOf: (t: TableId) => dynamodb.ITable): void {
    for (const [t, calls] of tableCallsOf(this.functionId)) {
      for (const s of tableAccessStatements(tableOf(t).tableArn, calls)) this.addToRolePolicy(s);
    }
  }

  /** Sending to the function's dead-letter queue (the topology's `deadLetterQueue`). */
  grantDeadLetters(queue: sqs.IQueue): void {
    if (!functions[this.functionId].deadLetterQueue)
      throw new Error(`PipelineFunction ${this.functionId}: the topology gives it no dead-letter queue`);
    queue.grantSendMessages(this);
  }

  /** Kafka data-plane access: producing to `producedTopics` (producers), reading its mappings' topics as their groups (consumers). */
  grantKafka(arns: KafkaResourceArns, producedTopics: readonly TopicId[]): void {
    if (functions[this.functionId].kafkaProducer) {
      for (const s of kafkaProducerStatements(arns, producedTopics)) this.addToRolePolicy(s);
    }
    const consumed = kafkaMappings.filter((m) => m.function === this.functionId);
    if (consumed.length > 0) for (const s of kafkaConsumerStatements(arns, consumed)) this.addToRolePolicy(s);
  }
}

function validate(props: PipelineFunctionProps): void {
  const spec = functions[props.functionId];
  const name = `PipelineFunction ${props.functionId}`;
  if (!spec) throw new Error(`PipelineFunction: ${String(props.functionId)} is not a function of the topology`);
  if (spec.kafkaProducer && !props.vpc) throw new Error(`${name}: produces to Kafka and needs the VPC`);
  if (!spec.kafkaProducer && props.vpc) throw new Error(`${name}: only Kafka producers run in the VPC`);
  if (props.vpc && props.vpc.securityGroups.length === 0) throw new Error(`${name}: the VPC needs a security group`);
  if (!RETENTION_DAYS.has(props.logRetentionDays)) {
    throw new Error(`${name}: logRetentionDays ${props.logRetentionDays} is not a CloudWatch Logs retention period`);
  }
  // AWS::Lambda::Function Environment.Variables keys: a letter, then at least one letter, digit or _.
  for (const key of Object.keys(props.environment)) {
    if (!ENV_NAME.test(key)) throw new Error(`${name}: environment variable name "${key}" is not one Lambda accepts`);
  }
  const reserved = props.reservedConcurrency;
  // 0 would stop every invocation; Lambda's own upper bound is the account's quota, checked at deploy.
  if (reserved !== undefined && (!Number.isInteger(reserved) || reserved < 1)) {
    throw new Error(`${name}: reservedConcurrency must be an integer >= 1, got ${reserved}`);
  }
}
