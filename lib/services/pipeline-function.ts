/**
 * One Lambda function of the topology, bundled by esbuild on this machine (never Docker): Node.js 22
 * on arm64, minified, the AWS SDK bundled (lib/bundling.ts), a log group with bounded retention, and the
 * environment the topology defines for it plus what the deployment target adds. The source map ships
 * beside the bundle but is not enabled: --enable-source-maps parses it at every cold start (+14 ms on
 * the bench). To read stack traces while debugging, set NODE_OPTIONS=--enable-source-maps on the function.
 */
import { join } from 'node:path';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { BUNDLE_EXTERNALS, BUNDLE_MAIN_FIELDS, BUNDLE_TARGET } from '../bundling';
import type { DeploymentConfig } from '../config';
import { LAMBDA_NODE_RUNTIME } from '../runtime';
import { type FunctionId, functions } from '../topology';

export const REPO_ROOT = join(__dirname, '..', '..');
/** lib/runtime.ts LAMBDA_NODE_RUNTIME, which the local Node version check reads too. */
export const RUNTIME = new lambda.Runtime(LAMBDA_NODE_RUNTIME, lambda.RuntimeFamily.NODEJS, {
  supportsInlineCode: true,
});

/** The reservation a function gets: the relay's from context (opt-in), any other's from the topology. */
export function reservedConcurrencyOf(functionId: FunctionId, config: DeploymentConfig): number | undefined {
  const spec = functions[functionId];
  return spec.kafkaProducer ? (config.relayReservedConcurrency ?? spec.reservedConcurrency) : spec.reservedConcurrency;
}

export interface PipelineFunctionProps {
  readonly functionId: FunctionId;
  /** The topology's environment for this function plus target-specific settings. */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  readonly removalPolicy: RemovalPolicy;
  /** Reserved concurrency (undefined: the account's unreserved pool); see reservedConcurrencyOf. */
  readonly reservedConcurrency?: number;
  /** Only for functions that must reach VPC-only resources (the Kafka producer). */
  readonly vpc?: {
    readonly vpc: ec2.IVpc;
    readonly subnets: ec2.SubnetSelection;
    readonly securityGroups: ec2.ISecurityGroup[];
  };
}

export function createPipelineFunction(scope: Construct, id: string, props: PipelineFunctionProps): NodejsFunction {
  const spec = functions[props.functionId];
  if (spec.kafkaProducer && !props.vpc)
    throw new Error(`createPipelineFunction: ${props.functionId} produces to Kafka and needs the VPC`);
  if (!spec.kafkaProducer && props.vpc)
    throw new Error(`createPipelineFunction: only Kafka producers run in the VPC, not ${props.functionId}`);

  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: props.logRetentionDays,
    removalPolicy: props.removalPolicy,
  });
  return new NodejsFunction(scope, id, {
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
    ...(props.vpc
      ? { vpc: props.vpc.vpc, vpcSubnets: props.vpc.subnets, securityGroups: props.vpc.securityGroups }
      : {}),
    bundling: {
      minify: true,
      sourceMap: true,
      sourcesContent: false,
      target: BUNDLE_TARGET,
      format: OutputFormat.CJS,
      externalModules: [...BUNDLE_EXTERNALS],
      mainFields: [...BUNDLE_MAIN_FIELDS],
      forceDockerBundling: false,
    },
    depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
    projectRoot: REPO_ROOT,
  });
}
