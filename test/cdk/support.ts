/**
 * Builds the whole deployment for assertion tests, without bundling function code (slow, and not
 * what these tests check; bundling.test.ts bundles for real). Templates are cached per context.
 */
import { App, Stack as CdkStack, CfnElement, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct, IConstruct } from 'constructs';
import { buildPipeline, type PipelineStacks } from '../../lib/app';
import { type ApiSettings, DEFAULTS, type DeploymentConfig, loadDeploymentConfig } from '../../lib/config';
import { OrdersApi } from '../../lib/services/orders-api';
import type { FunctionId, QueueId, TableId } from '../../lib/topology';

export interface SynthesizedPipeline {
  readonly app: App;
  readonly config: DeploymentConfig;
  readonly stacks: PipelineStacks;
  readonly template: (stack: Stack) => Template;
  /** Logical ids of the topology's resources, as the templates name them. */
  readonly logicalIds: PipelineLogicalIds;
  /** The inline policy statements of a pipeline function's execution role. */
  readonly roleStatements: (f: FunctionId) => Statement[];
}

export interface PipelineLogicalIds {
  readonly function: (f: FunctionId) => string;
  /** The function's execution role. */
  readonly role: (f: FunctionId) => string;
  readonly deadLetterQueue: (q: QueueId) => string;
  readonly table: (t: TableId) => string;
}

/**
 * The logical id of the CloudFormation resource behind a construct, in its own stack: its default child,
 * or that child's (an L3 such as AwsCustomResource wraps a CustomResource that wraps the CfnResource).
 */
export function logicalIdOf(construct: IConstruct | undefined): string {
  let resource = construct?.node.defaultChild;
  while (resource && !CfnElement.isCfnElement(resource)) resource = resource.node.defaultChild;
  if (!CfnElement.isCfnElement(resource)) throw new Error(`${construct?.node.path}: no CloudFormation resource`);
  return CdkStack.of(resource).getLogicalId(resource);
}

export function synthPipeline(context: Record<string, unknown> = {}): SynthesizedPipeline {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  // No environment: the region comes from context only (default us-east-1), whatever the shell has set.
  const config = loadDeploymentConfig(app.node, {});
  const stacks = buildPipeline(app, config);
  const templates = new Map<Stack, Template>();
  const template = (stack: Stack): Template => {
    let t = templates.get(stack);
    if (!t) {
      t = Template.fromStack(stack);
      templates.set(stack, t);
    }
    return t;
  };
  const logicalIds: PipelineLogicalIds = {
    function: (f) => logicalIdOf(stacks.services.functions.get(f)),
    role: (f) => logicalIdOf(stacks.services.functions.get(f)?.role),
    deadLetterQueue: (q) => logicalIdOf(stacks.services.deadLetterQueues.get(q)),
    table: (t) => logicalIdOf(stacks.data.tables.get(t)),
  };
  return {
    app,
    config,
    stacks,
    template,
    logicalIds,
    roleStatements: (f) => statementsOfRole(template(stacks.services), logicalIds.role(f)),
  };
}

export type CfnResource = { Type: string; Properties: Record<string, unknown>; [key: string]: unknown };

export function resourcesOf(
  template: Template,
  type: string,
  props: unknown = Match.anyValue(),
): Record<string, CfnResource> {
  return template.findResources(type, { Properties: props }) as Record<string, CfnResource>;
}

/** The single resource of a type matching `props`; fails when there is not exactly one. */
export function onlyResource(
  template: Template,
  type: string,
  props: unknown = Match.anyValue(),
): [string, CfnResource] {
  const found = Object.entries(resourcesOf(template, type, props));
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0] as [string, CfnResource];
}

/** Policy statements attached (inline) to the role of a function, by the function's logical id prefix. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((p) =>
    JSON.stringify(p.Properties.Roles).includes(`"${roleLogicalId}"`),
  );
  return policies.flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

export const actionsOf = (s: Statement): string[] => [s.Action].flat();
export const resourcesOfStatement = (s: Statement): unknown[] => [s.Resource].flat();

/** A function with inline code, for synthesizing one construct on its own (what it runs does not matter). */
export function standInFunction(scope: Construct, id = 'Fn'): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_LATEST,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
}

/** The deployed API (lib/services/orders-api.ts) synthesized on its own, with a stand-in function. */
export function standaloneOrdersApi(settings: ApiSettings = DEFAULTS.api): Template {
  const stack = new CdkStack(new App(), 'Api');
  new OrdersApi(stack, 'Orders', {
    apiName: 'orders',
    handler: standInFunction(stack),
    settings,
    logRetentionDays: 14,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return Template.fromStack(stack);
}

/**
 * The synthesized properties of an alarm above `threshold` in `periods` consecutive periods, missing
 * data not breaching: what lib/monitoring/saga-alarms.ts alarmAbove gives, written out.
 */
export const alarmAboveProps = (threshold: number, periods: number) => ({
  Threshold: threshold,
  ComparisonOperator: 'GreaterThanThreshold',
  EvaluationPeriods: periods,
  DatapointsToAlarm: periods,
  TreatMissingData: 'notBreaching',
});
